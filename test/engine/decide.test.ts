import { describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource, decide, explain } from '../../src/engine/index';

const allow = (host: string, port: unknown = '') => ({ host, port, action: 'useEnrollmentCertificate' });
const deny = (host: string, port: unknown = '') => ({ host, port, action: 'noCertificate' });

describe('sources, their order and the decision (docs/rules.md §5–7)', () => {
  it('reports source and index counting dropped rules', () => {
    const local = compileSource('local', [allow('bad host'), allow('x.acme.com')]);
    expect(local.accepted).toBe(true);
    expect(local.warnings).toHaveLength(1);
    expect(local.warnings[0]?.message).toMatch(/rule 0.*\(rule dropped\)/);
    const verdict = decide(buildRuleSet([local]), 'https://x.acme.com/');
    expect(verdict.rule).toEqual({ source: 'local', index: 1, host: 'x.acme.com', port: '443', action: 'useEnrollmentCertificate' });
  });

  it('concatenates managed, profile, local whatever order they are given in', () => {
    const ruleSet = buildRuleSet([
      compileSource('local', [allow('*.acme.com')]),
      compileSource('profile', [allow('*.acme.com')]),
      compileSource('managed', [allow('*.acme.com')]),
    ]);
    expect(decide(ruleSet, 'https://a.acme.com/').rule?.source).toBe('managed');
  });

  it('a deny rule in a later source beats an allow rule in an earlier one', () => {
    const ruleSet = buildRuleSet([compileSource('managed', [allow('*.acme.com')]), compileSource('local', [deny('a.acme.com')])]);
    expect(decide(ruleSet, 'https://a.acme.com/')).toMatchObject({ decision: 'noCertificate', reason: 'deny-rule', rule: { source: 'local', index: 0 } });
  });

  it('a rejected source contributes nothing; with every source rejected the decision is no-rules', () => {
    const rejected = compileSource('profile', [allow('a.acme.com'), deny('bad host')]);
    expect(rejected.accepted).toBe(false);
    expect(rejected.rules).toEqual([]);
    expect(rejected.errors[0]).toMatchObject({ index: 1, code: 'invalid-host' });
    expect(buildRuleSet([rejected])).toBeNull();
    expect(decide(null, 'https://a.acme.com/')).toEqual({ decision: 'noCertificate', reason: 'no-rules', rule: null });
    const withManaged = buildRuleSet([rejected, compileSource('managed', [allow('a.acme.com')])]);
    expect(decide(withManaged, 'https://a.acme.com/').rule?.source).toBe('managed');
  });

  it('not TLS and invalid URLs come before no-rules', () => {
    expect(decide(null, 'http://a.acme.com/').reason).toBe('not-tls');
    expect(decide(null, 'https://').reason).toBe('invalid-url');
  });

  it('denyOnly drops allow rules with a warning and keeps deny rules', () => {
    const local = compileSource('local', [allow('a.acme.com'), deny('b.acme.com')], { denyOnly: true });
    expect(local.rules.map((rule) => rule.index)).toEqual([1]);
    expect(local.warnings[0]).toMatchObject({ index: 0, severity: 'warning' });
  });

  it('a non-object rule counts as an unknown action and rejects the source', () => {
    expect(compileSource('local', [allow('a'), null]).accepted).toBe(false);
    expect(compileSource('local', [allow('a'), 'x']).errors[0]?.code).toBe('invalid-action');
  });

  it('an invalid allow rule that also has an invalid port is dropped, not rejecting', () => {
    const source = compileSource('local', [allow('https://x', 'abc'), allow('y')]);
    expect(source.accepted).toBe(true);
    expect(source.warnings.map((finding) => finding.code)).toEqual(['invalid-host', 'invalid-port']);
  });

  it('explain lists every matching rule in order and the compared host and port', () => {
    const ruleSet = buildRuleSet([compileSource('managed', [allow('*.acme.com', '*'), deny('mail.*'), allow('mail.acme.com')])]);
    const explanation = explain(ruleSet, 'https://MAIL.acme.com:443/x');
    expect(explanation).toMatchObject({ decision: 'noCertificate', reason: 'deny-rule', host: 'mail.acme.com', port: '443' });
    expect(explanation.matched.map((rule) => rule.index)).toEqual([0, 1, 2]);
  });

  it('extra keys on a rule are ignored', () => {
    const ruleSet = buildRuleSet([compileSource('file', [{ ...allow('a.acme.com'), comment: 'x', priority: 9 }])]);
    expect(decide(ruleSet, 'https://a.acme.com/').decision).toBe('useEnrollmentCertificate');
  });

  it('glob matching stays fast on patterns that make backtracking matchers blow up', () => {
    const ruleSet = buildRuleSet([compileSource('file', [allow(`${'*a'.repeat(30)}*b`, '*')])]);
    const host = `${'a'.repeat(60)}.acme.com`;
    const started = performance.now();
    expect(decide(ruleSet, `https://${host}/`).reason).toBe('no-match');
    // Generous bound: a backtracking matcher needs minutes here, ours microseconds.
    expect(performance.now() - started).toBeLessThan(500);
  });
});
