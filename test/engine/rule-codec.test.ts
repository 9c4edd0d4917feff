import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSource, type CompiledSource } from '../../src/engine/compile';
import type { NormalizedRule, SourceName } from '../../src/engine/model';
import { buildRuleSet } from '../../src/engine/rule-set';
import { decodeRules, decodeSources, encodeRules, encodeSources } from '../../src/engine/rule-codec';
import { decide } from '../../src/engine/decide';
import { propertyRuns } from '../helpers/property-runs';

// Raw rules as delivered, including ones normalising rewrites (IDNA, IPv6, case,
// ports as numbers) and invalid allow rules that are dropped (index gaps).
const rawRuleArb = fc.record({
  host: fc.constantFrom(
    'acme.com',
    '*.acme.com',
    '*acme.com',
    'WWW.Acme.COM.',
    'münchen.de',
    '::1',
    '[2001:db8::1]',
    'fe80::*',
    '10.0.*.1',
    '*',
    'a_b-c.*.x',
    'https://bad.example',
    'a..b',
  ),
  port: fc.constantFrom<unknown>(undefined, null, '', '443', 443, '8443', '08443', '*', '*443', '4*3', '99999'),
  action: fc.constantFrom('useEnrollmentCertificate', 'useEnrollmentCertificate', 'noCertificate'),
});
const sourcesArb = fc.array(
  fc.record({
    name: fc.constantFrom<SourceName>('managed', 'profile', 'local', 'file'),
    label: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
    rules: fc.array(rawRuleArb, { maxLength: 30 }),
  }),
  { maxLength: 4 },
);
const compiled = (sources: { name: SourceName; label: string | undefined; rules: unknown[] }[]): CompiledSource[] =>
  sources.map((source) => compileSource(source.name, source.rules, { label: source.label }));

describe('the compact stored form of rules', () => {
  it('gives back exactly the rules it was given', () => {
    fc.assert(
      fc.property(sourcesArb, (sources) => {
        const rules: NormalizedRule[] = compiled(sources).flatMap((source) => source.rules);
        const decoded = decodeRules(encodeRules(rules));
        expect(decoded).toEqual({ ok: true, value: rules });
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('gives back whole sources, findings and labels included, and the same decisions', () => {
    fc.assert(
      fc.property(
        sourcesArb,
        fc.constantFrom('https://acme.com/', 'https://www.acme.com:8443/', 'https://[::1]/', 'https://xn--mnchen-3ya.de/'),
        (raw, url) => {
          const sources = compiled(raw);
          const decoded = decodeSources(encodeSources(sources));
          expect(decoded).toEqual({ ok: true, value: sources });
          if (decoded.ok) expect(decide(buildRuleSet(decoded.value), url)).toEqual(decide(buildRuleSet(sources), url));
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });

  it('writes one short line per rule', () => {
    const rules = compileSource('profile', [
      { host: 'intranet.acme.com', action: 'useEnrollmentCertificate' },
      { host: 'bad host', action: 'useEnrollmentCertificate' },
      { host: '*.lab.acme.com', port: 8443, action: 'noCertificate' },
    ]).rules;
    expect(encodeRules(rules)).toBe('cert-rules/1 2\n@profile\n+intranet.acme.com\n-*.lab.acme.com 8443#2');
    const many = compileSource(
      'profile',
      Array.from({ length: 10_000 }, (_, i) => ({ host: `host${i}.corp.example`, action: 'useEnrollmentCertificate' })),
    ).rules;
    expect(encodeRules(many).length * 3).toBeLessThan(JSON.stringify(many).length);
  });

  it('fails closed on a damaged or cut-off string instead of returning fewer rules', () => {
    const text = encodeRules(
      compileSource('managed', [
        { host: 'a.example', action: 'useEnrollmentCertificate' },
        { host: '*.b.example', action: 'noCertificate' },
      ]).rules,
    );
    expect(decodeRules(text).ok).toBe(true);
    const damaged = [
      '',
      text.split('\n').slice(0, -1).join('\n'), // the deny rule cut off
      text.replace('cert-rules/1', 'cert-rules/2'),
      text.replace('@managed', '@elsewhere'),
      text.replace('+a.example', '+a example'),
      text.replace('+a.example', '*a.example'),
      text.replace('+a.example', '+a.example 0'),
      text.replace('+a.example', '+a.example 08443'),
      text.replace('+a.example', '+a.example 70000'),
      text.replace('-*.b.example', '-*.b.example#0'),
      text.replace('-*.b.example', '-**.b.example'),
      `${text}\n`,
      text.replace('@managed', ''),
    ];
    for (const bad of damaged) expect(decodeRules(bad).ok, JSON.stringify(bad)).toBe(false);
    expect(decodeSources(text).ok).toBe(false); // rules only: no source descriptions
    expect(decodeSources('cert-rules/1 0\n@local {"accepted":"yes"}').ok).toBe(false);
  });
});
