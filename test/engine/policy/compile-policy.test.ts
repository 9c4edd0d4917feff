import { describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource } from '../../../src/engine/index';
import { compilePolicy, NEVER_MATCH_CN, NEVER_MATCH_FILTER, type PolicyOptions } from '../../../src/engine/policy/index';

const A = 'useEnrollmentCertificate';
const D = 'noCertificate';

function compile(raw: unknown[], options: PolicyOptions = {}) {
  return compilePolicy(buildRuleSet([compileSource('file', raw)]), options);
}

/** pattern → 'allow' | 'never', for compact expectations. */
function kinds(raw: unknown[], options: PolicyOptions = {}) {
  return Object.fromEntries(compile(raw, options).items.map((item) => [item.pattern, item.kind]));
}

const outcomes = (raw: unknown[], options: PolicyOptions = {}) => compile(raw, options).report.map((line) => line.outcome);

describe('compilePolicy', () => {
  it('acceptance example: *.acme.com exact, public.acme.com asks, *acme.org narrower', () => {
    const policy = compile(
      [
        { host: '*.acme.com', action: A },
        { host: 'public.acme.com', action: D },
        { host: '*acme.org', action: A },
      ],
      { filter: { issuer: { CN: 'Acme Enrollment CA' } } },
    );
    expect(policy.report.map(({ index, outcome }) => [index, outcome])).toEqual([
      [0, 'exact'],
      [1, 'asks'],
      [2, 'narrower'],
    ]);
    expect(policy.report[2]?.example).toBe('xacme.org:443');
    expect(Object.fromEntries(policy.items.map((item) => [item.pattern, item.kind]))).toEqual({
      'https://[*.]acme.com:443': 'allow',
      'https://acme.com:443': 'never',
      'https://public.acme.com:443': 'never',
      'https://[*.]acme.org:443': 'allow',
    });
    expect(policy.entries).toContain('{"pattern":"https://[*.]acme.com:443","filter":{"ISSUER":{"CN":"Acme Enrollment CA"}}}');
    expect(policy.entries).toContain(JSON.stringify({ pattern: 'https://public.acme.com:443', filter: NEVER_MATCH_FILTER }));
  });

  it('the never-match filter names a reserved .invalid name as issuer and subject', () => {
    expect(NEVER_MATCH_FILTER).toEqual({ ISSUER: { CN: NEVER_MATCH_CN }, SUBJECT: { CN: NEVER_MATCH_CN } });
    expect(NEVER_MATCH_CN.endsWith('.invalid')).toBe(true);
  });

  it('does not close the apex of *.d when another allow rule covers it', () => {
    expect(
      kinds([
        { host: '*.acme.com', action: A },
        { host: 'acme.com', action: A },
      ]),
    ).toEqual({
      'https://[*.]acme.com:443': 'allow',
      'https://acme.com:443': 'allow',
    });
  });

  it('ports: default 443 is written, * is omitted, port globs need --ports', () => {
    expect(
      kinds([
        { host: 'a.com', port: '*', action: A },
        { host: 'b.com', port: 8443, action: A },
        { host: 'c.com', action: A },
      ]),
    ).toEqual({
      'https://a.com': 'allow',
      'https://b.com:8443': 'allow',
      'https://c.com:443': 'allow',
    });
    const glob = [{ host: 'c.com', port: '*443', action: A }];
    expect(compile(glob).report[0]).toMatchObject({ outcome: 'not-expressible', example: 'c.com:443' });
    const listed = compile(glob, { ports: ['443', '8443', '80'] });
    expect(listed.items.map((item) => item.pattern)).toEqual(['https://c.com:443', 'https://c.com:8443']);
    expect(listed.report[0]).toMatchObject({ outcome: 'narrower', example: 'c.com:1443' });
  });

  it('a deny rule on one port under an allow rule on any port', () => {
    const raw = [
      { host: 'acme.com', port: '*', action: A },
      { host: 'acme.com', port: '8443', action: D },
    ];
    expect(kinds(raw)).toEqual({ 'https://acme.com': 'allow', 'https://acme.com:8443': 'never' });
    expect(outcomes(raw)).toEqual(['exact', 'asks']);
  });

  it('drops an allow entry Chrome cannot carve a deny glob out of, and says why', () => {
    const policy = compile([
      { host: '*.acme.com', action: A },
      { host: 'mail*.acme.com', action: D },
    ]);
    expect(policy.items.filter((item) => item.kind === 'allow')).toEqual([]);
    expect(policy.report[0]).toMatchObject({ outcome: 'not-expressible' });
    expect(policy.report[0]?.note).toContain('mail*.acme.com');
    const suffix = compile([
      { host: '*.com', action: A },
      { host: '*acme.com', action: D },
    ]);
    expect(suffix.report[0]).toMatchObject({ outcome: 'not-expressible' });
    expect(suffix.report[0]?.note).toContain('xacme.com:443');
  });

  it('cuts a never-match entry out of a wider allow entry when one fits, and restores the apex', () => {
    const policy = compile([
      { host: '*', port: '*', action: A },
      { host: '*acme.com', action: D },
    ]);
    expect(Object.fromEntries(policy.items.map((item) => [item.pattern, item.kind]))).toMatchObject({
      'https://*': 'allow',
      'https://[*.]acme.com:443': 'never',
      'https://[*.]com:443': 'never',
      'https://com': 'allow',
    });
    expect(policy.report[0]).toMatchObject({ outcome: 'narrower', example: 'x.com:443' });
    const nested = compile([
      { host: '*.com', port: '*', action: A },
      { host: '*.acme.com', action: D },
    ]);
    expect(Object.fromEntries(nested.items.map((item) => [item.pattern, item.kind]))).toMatchObject({
      'https://[*.]com': 'allow',
      'https://[*.]acme.com:443': 'never',
      'https://acme.com': 'allow',
    });
    expect(nested.report.map((line) => line.outcome)).toEqual(['exact', 'asks']);
  });

  it('never writes an allow and a never-match entry with the same pattern (Chrome would merge them)', () => {
    const raw = [
      { host: 'acme.com', action: A },
      { host: 'acme.com', action: D },
    ];
    expect(kinds(raw)).toEqual({ 'https://acme.com:443': 'never' });
    expect(outcomes(raw)).toEqual(['exact', 'asks']);
  });

  it('IP literals are exact hosts; IP globs are not expressible; a host no URL has is noted', () => {
    const policy = compile([
      { host: '::1', port: 8443, action: A },
      { host: '10.0.0.1', action: A },
      { host: '10.*', action: A },
      { host: '01.2.3.4', action: A },
    ]);
    expect(policy.items.map((item) => item.pattern)).toEqual(['https://10.0.0.1:443', 'https://[::1]:8443']);
    expect(policy.report.map((line) => line.outcome)).toEqual(['exact', 'exact', 'not-expressible', 'exact']);
    expect(policy.report[3]?.note).toContain('"1.2.3.4"');
  });

  it('a deny rule for every host leaves nothing to auto-select', () => {
    const policy = compile([
      { host: '*.acme.com', action: A },
      { host: '*', action: D },
    ]);
    expect(policy.items.map((item) => [item.pattern, item.kind])).toEqual([['https://*:443', 'never']]);
    expect(policy.report[0]?.note).toContain('deny rules or earlier rules decide every host');
  });

  it('is deterministic and says when no filter restricts the certificate', () => {
    const raw = [
      { host: '*.b.com', action: A },
      { host: 'x.b.com', action: D },
      { host: '*a.com', port: '*', action: A },
    ];
    expect(compile(raw).entries).toEqual(compile(raw).entries);
    expect(compile(raw).notes.join(' ')).toContain('No certificate filter');
    expect(compile(raw, { filter: { subject: { O: 'Acme' } } }).notes.join(' ')).not.toContain('No certificate filter');
  });

  it('no rules: no entries', () => {
    expect(compilePolicy(null).entries).toEqual([]);
  });
});
