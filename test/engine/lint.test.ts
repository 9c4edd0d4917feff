import { describe, expect, it } from 'vitest';
import { lintRules, type Finding } from '../../src/engine/index';

const allow = (host: string, port: unknown = '') => ({ host, port, action: 'useEnrollmentCertificate' });
const deny = (host: string, port: unknown = '') => ({ host, port, action: 'noCertificate' });
const codes = (findings: Finding[]) => findings.map((finding) => `${finding.index}:${finding.code}`);

describe('lint: one test per code, each with a near miss', () => {
  it('wildcard-suffix: "*acme.com" also matches evilacme.com', () => {
    const findings = lintRules([allow('*acme.com')]);
    expect(codes(findings)).toEqual(['0:wildcard-suffix']);
    expect(findings[0]?.message).toMatch(/evilacme\.com/);
    expect(findings[0]?.message).toMatch(/"acme\.com" and "\*\.acme\.com"/);
    expect(codes(lintRules([deny('www.*acme.com')]))).toEqual(['0:wildcard-suffix']);
  });
  it('wildcard-suffix near misses: "*.acme.com", "mail*.acme.com", "10.0.0.*"', () => {
    for (const host of ['*.acme.com', 'mail*.acme.com', '10.0.0.*', 'a.b*']) expect(lintRules([allow(host, '*')])).toEqual([]);
  });

  it('allow-everywhere: "*", "*.com", "*.co.uk"', () => {
    expect(codes(lintRules([allow('*')]))).toEqual(['0:allow-everywhere']);
    expect(codes(lintRules([allow('*.com')]))).toEqual(['0:allow-everywhere']);
    expect(codes(lintRules([allow('*.co.uk')]))).toEqual(['0:allow-everywhere']);
    expect(codes(lintRules([allow('*.*')]))).toEqual(['0:allow-everywhere']);
  });
  it('allow-everywhere near misses: a deny on "*", and "*.acme.com"', () => {
    expect(lintRules([deny('*')])).toEqual([]);
    expect(lintRules([allow('*.acme.co.uk')])).toEqual([]);
    expect(lintRules([allow('*.acme.com')])).toEqual([]);
  });

  it('unreachable: a duplicate', () => {
    const findings = lintRules([allow('a.acme.com'), allow('A.acme.com.', 443)]);
    expect(codes(findings)).toEqual(['1:unreachable']);
    expect(findings[0]?.message).toMatch(/duplicates rule 0/);
  });
  it('unreachable: an allow rule wholly covered by a deny rule, in any order', () => {
    expect(codes(lintRules([allow('mail.acme.com', '8443'), deny('*.acme.com', '*')]))).toEqual(['0:unreachable']);
    expect(codes(lintRules([deny('mail.acme.com', '*'), allow('mail.acme.com')]))).toEqual(['1:unreachable']);
  });
  it('unreachable: a rule covered by an earlier rule with the same action', () => {
    expect(codes(lintRules([allow('*.acme.com', '*'), allow('mail.acme.com', '8443')]))).toEqual(['1:unreachable']);
  });
  it('unreachable near misses: partial overlap, other port, same host other action', () => {
    expect(lintRules([allow('*.acme.com'), deny('public.acme.com')])).toEqual([]);
    expect(lintRules([allow('mail.acme.com', '*'), deny('mail.acme.com', '443')])).toEqual([]);
    expect(lintRules([allow('mail.acme.com'), allow('*.acme.com')])).toEqual([]);
    expect(lintRules([allow('a*.acme.com'), allow('*b.acme.com')]).map((finding) => finding.code)).toEqual(['wildcard-suffix']);
  });

  it('plaintext-port: an allow rule on port 80', () => {
    expect(codes(lintRules([allow('a.acme.com', 80)]))).toEqual(['0:plaintext-port']);
  });
  it('plaintext-port near misses: 8080, 443 and a deny on 80', () => {
    expect(lintRules([allow('a.acme.com', 8080), allow('b.acme.com', '*80'), deny('c.acme.com', 80)])).toEqual([]);
  });

  it('errors: invalid-host, invalid-port, invalid-action, each naming the rule', () => {
    const findings = lintRules([allow('https://a.acme.com'), allow('b.acme.com', '70000'), { host: 'c.acme.com', action: 'allow' }, 'nonsense']);
    expect(codes(findings)).toEqual(['0:invalid-host', '1:invalid-port', '2:invalid-action', '3:invalid-action']);
    expect(findings.every((finding) => finding.severity === 'error')).toBe(true);
    expect(findings[0]?.message).toMatch(/^rule 0: .*write just the host/);
    expect(findings[2]?.message).toMatch(/unknown action "allow"/);
  });
  it('an action with the wrong case is explained', () => {
    expect(lintRules([{ host: 'a', action: 'nocertificate' }])[0]?.message).toMatch(/exactly "noCertificate"/);
  });
  it('"*.acme.com" alone gives nothing', () => {
    expect(lintRules([allow('*.acme.com')])).toEqual([]);
  });
});
