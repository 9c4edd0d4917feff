import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../helpers/run-cli';

const dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-cli-'));
const file = (name: string, content: unknown) => {
  const target = path.join(dir, name);
  writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
  return target;
};
const allow = (host: string, port: unknown = '') => ({ host, port, action: 'useEnrollmentCertificate' });
const deny = (host: string, port: unknown = '') => ({ host, port, action: 'noCertificate' });

describe('cert-rules check', () => {
  const rules = file('rules.json', { clientCertsUrlMatchingRules: [allow('*.acme.com', '*'), deny('public.acme.com', '*')] });

  it('prints one line per URL in input order: arguments first, then stdin', async () => {
    const result = await runCli(['check', '--rules', rules, '--stdin', 'https://mail.acme.com/'], 'https://public.acme.com/\r\n\nhttp://x.acme.com/\n');
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([
      {
        url: 'https://mail.acme.com/',
        decision: 'useEnrollmentCertificate',
        reason: 'allow-rule',
        rule: { source: 'file', index: 0, host: '*.acme.com', port: '*', action: 'useEnrollmentCertificate' },
      },
      {
        url: 'https://public.acme.com/',
        decision: 'noCertificate',
        reason: 'deny-rule',
        rule: { source: 'file', index: 1, host: 'public.acme.com', port: '*', action: 'noCertificate' },
      },
      { url: 'http://x.acme.com/', decision: 'notApplicable', reason: 'not-tls', rule: null },
    ]);
  });

  it('accepts a console profile response as the rules file', async () => {
    const profile = file('profile.json', {
      status: 'OK',
      message: '',
      profiles: { profile_id: 'p', profile_name: 'Corp', data: { profile_data: JSON.stringify({ clientCertsUrlMatchingRules: [allow('a.acme.com')] }) } },
    });
    const result = await runCli(['check', '--rules', profile, 'https://a.acme.com/']);
    expect(jsonLines(result.stdout)[0]).toMatchObject({ decision: 'useEnrollmentCertificate', rule: { index: 0 } });
  });

  it('a rejected file: exit 1, errors on stderr, decisions still printed failing closed', async () => {
    const bad = file('bad.json', [allow('a.acme.com'), deny('https://b.acme.com/')]);
    const result = await runCli(['check', '--rules', bad, 'https://a.acme.com/', 'http://a.acme.com/']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rule 2 \(index 1\): the host must not contain a scheme/);
    expect(result.stderr).toMatch(/rejected/);
    expect(jsonLines(result.stdout)).toEqual([
      { url: 'https://a.acme.com/', decision: 'noCertificate', reason: 'no-rules', rule: null },
      { url: 'http://a.acme.com/', decision: 'notApplicable', reason: 'not-tls', rule: null },
    ]);
  });

  it('a file that is not JSON is rejected the same way', async () => {
    const result = await runCli(['check', '--rules', file('broken.json', '[{'), 'https://a.acme.com/']);
    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout)[0]).toMatchObject({ reason: 'no-rules' });
  });

  it('dropped allow rules are warned about on stderr, exit 0', async () => {
    const result = await runCli(['check', '--rules', file('dropped.json', [allow('a.acme.com:8443'), allow('b.acme.com')]), 'https://b.acme.com/']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: rule 1 \(index 0\): the host must not contain a port.*rule dropped/);
  });

  describe('--managed POLICY: the managed source beside a rules file', () => {
    const corp = file('corp.json', [allow('*.corp', '*')]);

    it('accepted managed rules decide first (source "managed", its own indexes)', async () => {
      const policy = file('policy-ok.json', { guard: 'warn', rules: [deny('secret.corp', '*'), allow('bad host:1')] });
      const result = await runCli(['check', '--managed', policy, '--rules', corp, 'https://secret.corp/', 'https://mail.corp/']);
      expect(result.code).toBe(0);
      expect(jsonLines(result.stdout)).toMatchObject([
        { reason: 'deny-rule', rule: { source: 'managed', index: 0 } },
        { reason: 'allow-rule', rule: { source: 'file', index: 0 } },
      ]);
      // The dropped allow rule is a warning, not a rejection.
      expect(result.stderr).toMatch(/policy-ok\.json: warning: rule 2 \(index 1\):/);
    });

    it.each([
      [
        'an invalid deny rule',
        [deny('secret.corp'), deny('bad host')],
        /rules unavailable: the managed policy's rules were rejected and no earlier version was accepted: rule 2 \(index 1\): the host contains white space/,
      ],
      [
        'an unknown action',
        { rules: [{ host: 'secret.corp', action: 'deny' }] },
        /rules unavailable: the managed policy's rules were rejected.*rule 1 \(index 0\): unknown action "deny"/,
      ],
      [
        'a "rules" value that is no rule document',
        { rules: 'not rules' },
        /rules unavailable: the managed policy's rules were rejected.*the policy value "rules" as a whole/,
      ],
      [
        'JSON that is not a policy',
        42,
        /rules unavailable: the managed policy's rules could not be read: the policy must be an object of settings or an array of rules/,
      ],
    ])('%s: every TLS decision is no-rules, exit 1, the reason on stderr', async (_name, content, message) => {
      const result = await runCli(['check', '--managed', file('policy-bad.json', content), '--rules', corp, 'https://mail.corp/', 'http://mail.corp/']);
      expect(result.code).toBe(1);
      expect(jsonLines(result.stdout)).toEqual([
        { url: 'https://mail.corp/', decision: 'noCertificate', reason: 'no-rules', rule: null },
        { url: 'http://mail.corp/', decision: 'notApplicable', reason: 'not-tls', rule: null },
      ]);
      expect(result.stderr).toMatch(message);
    });

    it('alone it is the only source; a policy without "rules" leaves nothing to decide with', async () => {
      expect(jsonLines((await runCli(['check', '--managed', file('only.json', [allow('*.corp')]), 'https://a.corp/'])).stdout)).toMatchObject([
        { reason: 'allow-rule', rule: { source: 'managed' } },
      ]);
      const none = await runCli(['check', '--managed', file('empty-policy.json', { guard: 'off' }), 'https://a.corp/']);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/sets no "rules"/);
      expect(jsonLines(none.stdout)).toMatchObject([{ reason: 'no-rules' }]);
    });

    it('a missing policy file is a usage error', async () => {
      const result = await runCli(['check', '--managed', path.join(dir, 'no-policy.json'), 'https://a.corp/']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/cannot read .*no-policy\.json \(ENOENT\)/);
    });
  });

  it.each([
    [['check'], /--rules FILE is required/],
    [['check', '--rules', 'x.json'], /give one or more URLs/],
    [['check', '--rules', path.join(dir, 'missing.json'), 'https://a/'], /cannot read .*missing\.json \(ENOENT\)/],
    [['check', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('usage errors exit 2: %j', async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('--help on the tool and on each command', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/Commands:[\s\S]*check[\s\S]*lint/);
    expect((await runCli(['check', '--help'])).stdout).toMatch(/Usage: cert-rules check --rules FILE/);
    expect((await runCli(['lint', '--help'])).stdout).toMatch(/Usage: cert-rules lint FILE/);
  });
});

describe('cert-rules lint', () => {
  it('reports the four documented warnings and nothing for "*.acme.com" alone', async () => {
    const risky = file('risky.json', [allow('*acme.com'), allow('*', '*'), deny('x.acme.com'), deny('x.acme.com')]);
    const result = await runCli(['lint', risky]);
    expect(result.code).toBe(0);
    const findings = jsonLines(result.stdout) as { index: number; severity: string; code: string; message: string }[];
    expect(findings.map((finding) => [finding.index, finding.code])).toEqual([
      [0, 'wildcard-suffix'],
      [1, 'allow-everywhere'],
      [3, 'unreachable'],
    ]);
    for (const finding of findings) expect(Object.keys(finding)).toEqual(['index', 'severity', 'code', 'message']);
    const clean = await runCli(['lint', file('clean.json', [allow('*.acme.com')])]);
    expect(clean).toMatchObject({ code: 0, stdout: '' });
  });

  it('exits 1 when any rule has an error', async () => {
    const result = await runCli(['lint', file('errors.json', [allow('a.acme.com', 'x')])]);
    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout)).toEqual([
      { index: 0, severity: 'error', code: 'invalid-port', message: expect.stringMatching(/^rule 1 \(index 0\): the port "x"/) },
    ]);
  });

  it('exits 1 on a document with no rules, 2 on a missing file', async () => {
    expect((await runCli(['lint', file('norules.json', { foo: 1 })])).code).toBe(1);
    expect((await runCli(['lint', path.join(dir, 'nope.json')])).code).toBe(2);
  });
});
