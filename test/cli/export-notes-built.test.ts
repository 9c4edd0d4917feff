import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_CLI } from '../helpers/paths';

const exec = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-export-notes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const A = 'useEnrollmentCertificate';
const D = 'noCertificate';

const RULES = [
  { host: 'mail*.acme.org', port: '*443', action: A },
  { host: '*intranet.test', port: '*', action: A },
  { host: '*', port: '80', action: A },
  { host: '*.acme.com', port: '8443', action: A },
  { host: 'public.acme.com', action: D },
];

async function exportReport(extra: string[] = []) {
  const rules = path.join(dir, 'rules.json');
  const report = path.join(dir, 'report.json');
  writeFileSync(rules, JSON.stringify(RULES));
  const { stderr } = await exec(process.execPath, [
    BUILT_CLI,
    'export',
    '--format',
    'chrome-json',
    '--issuer-cn',
    'Acme CA',
    '--rules',
    rules,
    '--report',
    report,
    ...extra,
  ]);
  const json = JSON.parse(readFileSync(report, 'utf8')) as { rules: { index: number; outcome: string; note: string }[] };
  const lineOf = (index: number) => stderr.split('\n').find((line) => line.includes(`rule ${index + 1} (index ${index})`)) ?? '';
  return { stderr, json, lineOf };
}

/** The shipped `cert-rules export`: each report line says what was written, names a plausible example, and repeats lint. */
describe('cert-rules export report notes (built)', () => {
  it('a rule with nothing written says so, in words and in JSON, and does not say what it would have been written as', async () => {
    const { json, lineOf } = await exportReport();
    expect(json.rules[0]).toMatchObject({ outcome: 'not-expressible', note: expect.stringMatching(/^nothing written: /) });
    expect(lineOf(0)).toMatch(/nothing written: the port pattern "\*443" has no Chrome equivalent/);
    expect(lineOf(0)).not.toMatch(/written as|the one host/);
    // With --ports the entries are written, and only then is their narrower host described.
    const listed = await exportReport(['--ports', '443']);
    expect(listed.lineOf(0)).toMatch(/written: https:\/\/mail\.acme\.org:443; .*the host is written as the one host mail\.acme\.org/);
  });

  it('narrower: the example is on port 443 (or the port the rule names)', async () => {
    const { json, lineOf } = await exportReport();
    expect(json.rules[1]?.outcome).toBe('narrower');
    expect(lineOf(1)).toMatch(/Chrome will not auto-select on [a-z0-9-]+intranet\.test:443, which the rule covers/);
    expect(json.rules[3]?.note).toMatch(/^written: https:\/\/\[\*\.\]acme\.com:8443; https:\/\/acme\.com:8443 with a filter that matches no certificate/);
  });

  it('*:80 is exact and its line repeats lint: allow everywhere and plain HTTP, in the numbering for people', async () => {
    const { json, lineOf } = await exportReport();
    expect(json.rules[2]?.outcome).toBe('exact');
    expect(json.rules[2]?.note).toContain('lint warns: rule 2: "*" sends the certificate to every site');
    expect(lineOf(2)).toContain('lint warns: rule 3 (index 2): "*" sends the certificate to every site');
    expect(lineOf(2)).toContain('port 80 carries plain HTTP');
    expect(lineOf(4)).not.toContain('lint warns');
  });
});
