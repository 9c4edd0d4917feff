import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_CERTIFICATE_FILTER_NOTE } from '../../src/engine/policy/index';
import { createInitialState } from '../../src/sync/state';
import { runCli } from '../helpers/run-cli';

const dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: unknown) => {
  const target = path.join(dir, name);
  writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
  return target;
};

const ACME = file('acme.json', {
  clientCertsUrlMatchingRules: [
    { host: '*.acme.com', action: 'useEnrollmentCertificate' },
    { host: 'public.acme.com', action: 'noCertificate' },
    { host: '*acme.org', action: 'useEnrollmentCertificate' },
  ],
});

describe('cert-rules export', () => {
  it('acceptance: prints the policy and a report naming each rule outcome; --report writes JSON', async () => {
    const report = path.join(dir, 'report.json');
    const run = await runCli(['export', '--format', 'chrome-json', '--rules', ACME, '--issuer-cn', 'Acme Enrollment CA', '--report', report]);
    expect(run.code).toBe(0);
    const policy = JSON.parse(run.stdout) as { AutoSelectCertificateForUrls: string[] };
    expect(policy.AutoSelectCertificateForUrls.map((entry) => (JSON.parse(entry) as { pattern: string }).pattern).sort()).toEqual(
      ['https://[*.]acme.com:443', 'https://acme.com:443', 'https://public.acme.com:443', 'https://[*.]acme.org:443'].sort(),
    );
    expect(run.stderr).toMatch(/file rule 1 \(index 0\) allow \*\.acme\.com:443 {2}Exact: written: /);
    expect(run.stderr).not.toContain(NO_CERTIFICATE_FILTER_NOTE);
    expect(run.stderr).toMatch(/file rule 2 \(index 1\) deny {2}public\.acme\.com:443 {2}Asks the user: written: /);
    expect(run.stderr).toMatch(/file rule 3 \(index 2\) allow \*acme\.org:443 {2}Narrower: written: .*xacme\.org:443/);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { rules: Record<string, unknown>[] };
    expect(Object.keys(json)).toEqual(['rules']);
    expect(json.rules.map((line) => Object.keys(line))).toEqual([0, 1, 2].map(() => ['source', 'index', 'outcome', 'note']));
    expect(json.rules.map((line) => [line['source'], line['index'], line['outcome']])).toEqual([
      ['file', 0, 'exact'],
      ['file', 1, 'asks'],
      ['file', 2, 'narrower'],
    ]);
  });

  it('--output writes the file (.reg as UTF-16LE with BOM) and keeps stdout empty', async () => {
    const output = path.join(dir, 'policy.reg');
    const run = await runCli(['export', '--format', 'edge-reg', '--rules', ACME, '--output', output]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const bytes = readFileSync(output);
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    const text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
    expect(text).toContain('[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge\\AutoSelectCertificateForUrls]');
    expect(run.stderr).toContain('No certificate filter');
    // The same statement the options page shows next to its downloads.
    expect(run.stderr).toContain(`note: ${NO_CERTIFICATE_FILTER_NOTE}\n`);
  });

  it('mobileconfig and Firefox formats', async () => {
    const mac = await runCli(['export', '--format', 'chrome-mobileconfig', '--rules', ACME, '--subject-o', 'Acme', '--issuer-ou', 'PKI']);
    expect(mac.code).toBe(0);
    expect(mac.stdout).toContain('<string>com.google.Chrome</string>');
    expect(mac.stdout).toContain('&quot;SUBJECT&quot;:{&quot;O&quot;:&quot;Acme&quot;}');
    const firefox = await runCli(['export', '--format', 'firefox-json', '--rules', ACME]);
    expect(firefox.code).toBe(0);
    expect(JSON.parse(firefox.stdout)).toHaveProperty(['policies', 'Preferences', 'security.default_personal_cert', 'Status'], 'locked');
    expect(firefox.stderr).toContain('no per-site');
    expect(firefox.stderr).toMatch(/file rule 1 \(index 0\) allow .*Not expressible: nothing written/);
  });

  it('--ports lets port patterns through', async () => {
    const rules = file('ports.json', [{ host: 'app.acme.com', port: '*443', action: 'useEnrollmentCertificate' }]);
    const without = await runCli(['export', '--format', 'chrome-json', '--rules', rules]);
    expect(without.stderr).toContain('Not expressible: nothing written');
    const listed = await runCli(['export', '--format', 'chrome-json', '--rules', rules, '--ports', '443, 8443']);
    expect(JSON.parse(listed.stdout)).toEqual({
      AutoSelectCertificateForUrls: ['{"pattern":"https://app.acme.com:443","filter":{}}', '{"pattern":"https://app.acme.com:8443","filter":{}}'],
    });
    expect(listed.stderr).toContain('Narrower: written: https://app.acme.com:443, https://app.acme.com:8443;');
  });

  it('a rejected rules file: exit 1, the errors, no policy', async () => {
    const rejected = file('rejected.json', [
      { host: 'a.com', action: 'useEnrollmentCertificate' },
      { host: 'https://b.com', action: 'noCertificate' },
    ]);
    const run = await runCli(['export', '--format', 'chrome-json', '--rules', rejected]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('rule 2 (index 1)');
    expect(run.stderr).toContain('nothing written');
  });

  it('--state: the synced profile rules; none in force is exit 1', async () => {
    const now = new Date().toISOString();
    const state = {
      ...createInitialState(() => 0.5),
      lastGood: {
        profile: { id: 'p1', name: 'Client certs', stamp: 's1', description: null },
        rules: [{ host: '*.corp.example', action: 'useEnrollmentCertificate' }],
        fetchedAt: now,
        confirmedAt: now,
      },
    };
    const run = await runCli(['export', '--format', 'chrome-json', '--state', file('state.json', state)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('https://[*.]corp.example:443');
    expect(run.stderr).toMatch(/profile rule 1 \(index 0\) allow \*\.corp\.example:443 {2}Exact: /);
    const empty = await runCli([
      'export',
      '--format',
      'chrome-json',
      '--state',
      file(
        'never.json',
        createInitialState(() => 0),
      ),
    ]);
    expect(empty.code).toBe(1);
    expect(empty.stdout).toBe('');
  });

  it('usage errors exit 2; --help exits 0', async () => {
    for (const argv of [
      ['export', '--rules', ACME],
      ['export', '--format', 'safari', '--rules', ACME],
      ['export', '--format', 'chrome-json'],
      ['export', '--format', 'chrome-json', '--rules', ACME, '--state', ACME],
      ['export', '--format', 'chrome-json', '--rules', ACME, '--ports', '44*'],
      ['export', '--format', 'chrome-json', '--rules', ACME, '--issuer-cn', ''],
      ['export', '--format', 'chrome-json', '--rules', ACME, '--issuer-cn', 'never-auto-select.cert-rules.invalid'],
      ['export', '--format', 'chrome-json', '--rules', ACME, '--bogus'],
      ['export', '--format', 'chrome-json', '--rules', path.join(dir, 'missing.json')],
    ]) {
      const run = await runCli(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
    }
    const help = await runCli(['export', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--format');
  });
});
