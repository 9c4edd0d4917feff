import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, globCovers, type Glob } from '../../src/engine/glob';
import { lintNormalized, type Finding, type NormalizedRule } from '../../src/engine/index';
import { coverIndex } from '../../src/engine/lint-index';
import { normalizeRule } from '../../src/engine/rule';
import { generateBenchData } from '../../scripts/bench/rule-data';
import { ruleArb } from '../helpers/arbitraries';
import { propertyRuns } from '../helpers/property-runs';

/**
 * The reference for lint's "unreachable" check: every rule against every
 * earlier wildcard rule, in list order, as docs/rules.md §6 states it. The
 * engine files wildcard rules by their literal head and tail instead; both
 * must report the same rules, naming the same covering rule.
 */
function naiveUnreachable(rules: readonly NormalizedRule[]): string[] {
  const out: string[] = [];
  const seen = new Map<string, NormalizedRule>();
  const compiled = rules.map((rule, position) => ({ rule, position, host: compileGlob(rule.host), port: compileGlob(rule.port) }));
  const covers = (outer: { host: Glob; port: Glob }, inner: { host: Glob; port: Glob }) =>
    globCovers(outer.host, inner.host) && globCovers(outer.port, inner.port);
  for (const entry of compiled) {
    const { rule } = entry;
    const key = `${rule.action}|${rule.host}|${rule.port}`;
    const duplicate = seen.get(key);
    if (duplicate) {
      out.push(`${rule.index} duplicates ${duplicate.index}`);
      continue;
    }
    seen.set(key, rule);
    const earlier = compiled.find(
      (other) => (other.host.hasStar || other.port.hasStar) && other.rule.action === rule.action && other.position < entry.position && covers(other, entry),
    );
    if (earlier) {
      out.push(`${rule.index} covered by ${earlier.rule.index}`);
      continue;
    }
    if (rule.action === 'useEnrollmentCertificate') {
      // A deny rule for the very same host is named before a wildcard deny rule.
      const denies = compiled.filter((other) => other.rule.action === 'noCertificate');
      const deny = denies.find((other) => !other.host.hasStar && covers(other, entry)) ?? denies.find((other) => other.host.hasStar && covers(other, entry));
      if (deny) out.push(`${rule.index} denied by ${deny.rule.index}`);
    }
  }
  return out;
}

/** The engine's unreachable findings in the reference's words (the covering rule is named in the message). */
function engineUnreachable(findings: readonly Finding[]): string[] {
  return findings
    .filter((finding) => finding.code === 'unreachable')
    .map((finding) => {
      const duplicate = /duplicates rule (\d+)/.exec(finding.message);
      if (duplicate) return `${finding.index} duplicates ${duplicate[1]}`;
      const deny = /noCertificate rule (\d+)/.exec(finding.message);
      if (deny) return `${finding.index} denied by ${deny[1]}`;
      const earlier = /rule (\d+) \(/.exec(finding.message);
      return `${finding.index} covered by ${earlier?.[1] ?? '?'}`;
    });
}

const normalized = (raw: readonly unknown[]): NormalizedRule[] =>
  raw.flatMap((rule, index) => {
    const checked = normalizeRule(rule, index, 'file');
    return checked.ok ? [checked.rule] : [];
  });

describe('lint: the indexed unreachable check finds what a scan of every rule finds', () => {
  it('on random rule lists with overlapping hosts and ports: every finding the same, with and without the index', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 0, maxLength: 40 }), (raw) => {
        const rules = normalized(raw);
        const indexed = lintNormalized(rules, coverIndex);
        expect(indexed).toEqual(lintNormalized(rules));
        expect(engineUnreachable(indexed)).toEqual(naiveUnreachable(rules));
      }),
      { numRuns: propertyRuns(3000) },
    );
  });

  it('on realistic rule sets of 2,000 rules', () => {
    for (const seed of [1, 2, 3]) {
      const rules = normalized(generateBenchData(2000, 1, seed).rules);
      const indexed = lintNormalized(rules, coverIndex);
      const found = engineUnreachable(indexed);
      expect(found.length).toBeGreaterThan(0);
      expect(found).toEqual(naiveUnreachable(rules));
      expect(indexed).toEqual(lintNormalized(rules));
    }
  });

  it('wildcards with an empty head or tail: "*", "*.*", "10.0.*", "*.acme.*" and an exact host with any port', () => {
    const rules = normalized([
      { host: 'mail.acme.com', port: '8443', action: 'noCertificate' },
      { host: '10.0.*', port: '*', action: 'useEnrollmentCertificate' },
      { host: '10.0.1.2', port: '443', action: 'useEnrollmentCertificate' },
      { host: '*.acme.*', port: '*', action: 'noCertificate' },
      { host: 'www.acme.org', port: '443', action: 'useEnrollmentCertificate' },
      { host: 'mail.acme.com', port: '*', action: 'useEnrollmentCertificate' },
      { host: '*.*', port: '44*', action: 'useEnrollmentCertificate' },
      { host: 'x.y', port: '443', action: 'useEnrollmentCertificate' },
      { host: '*', port: '*', action: 'noCertificate' },
      { host: 'x.y', port: '1', action: 'useEnrollmentCertificate' },
    ]);
    const found = engineUnreachable(lintNormalized(rules, coverIndex));
    expect(found).toEqual(naiveUnreachable(rules));
    expect(engineUnreachable(lintNormalized(rules))).toEqual(found);
    expect(found).toEqual(['1 denied by 8', '2 covered by 1', '4 denied by 3', '5 denied by 3', '6 denied by 8', '7 covered by 6', '9 denied by 8']);
  });

  it('"*" rules on ports of their own: a rule meets only those on its port or a starred one, and the findings are the scan\'s', () => {
    const raw = [
      ...Array.from({ length: 300 }, (_, i) => ({ host: '*', port: String(10_000 + i), action: i % 2 ? 'noCertificate' : 'useEnrollmentCertificate' })),
      { host: '*', port: '44*', action: 'noCertificate' },
      { host: 'a.acme.com', port: '10002', action: 'useEnrollmentCertificate' },
      { host: 'b.acme.com', port: '10001', action: 'useEnrollmentCertificate' },
      { host: 'c.acme.com', port: '443', action: 'useEnrollmentCertificate' },
      { host: 'd.acme.com', port: '8443', action: 'useEnrollmentCertificate' },
    ];
    const rules = normalized(raw);
    const entries = rules.map((rule, position) => ({ rule, position, host: compileGlob(rule.host), port: compileGlob(rule.port) }));
    const candidatesFor = coverIndex(entries.filter((entry) => entry.host.hasStar || entry.port.hasStar));
    expect(candidatesFor(entries[301]!).map((entry) => entry.rule.port)).toEqual(['10002', '44*']);
    expect(candidatesFor(entries[304]!).map((entry) => entry.rule.port)).toEqual(['44*']);
    expect(candidatesFor({ host: compileGlob('e.acme.com'), port: compileGlob('1*') })).toHaveLength(1);
    const found = engineUnreachable(lintNormalized(rules, coverIndex));
    expect(found).toEqual(naiveUnreachable(rules));
    expect(found).toEqual(['301 covered by 2', '302 denied by 1', '303 denied by 300']);
  });
});
