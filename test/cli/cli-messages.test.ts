import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { CORPORATE_PROFILE_ID, DEMO_ADMIN } from '../console/emulator/seed';
import { runCli, type CliRun } from '../helpers/run-cli';

let emulator: ConsoleEmulator;
let dir: string;
const ENV = { CONSOLE_PASSWORD: DEMO_ADMIN.password };

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-messages-'));
});
afterAll(async () => {
  await emulator.close();
});

const file = (name: string, text?: string) => {
  const where = path.join(dir, name);
  if (text !== undefined) writeFileSync(where, text);
  return where;
};
/** The contract: the last line of stdout is one JSON object. */
const result = (run: CliRun) => JSON.parse(run.stdout.trimEnd().split('\n').at(-1) ?? '') as Record<string, unknown>;
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

describe('cert-rules sync with bad options or settings reports what the state file holds', () => {
  it('an unset password variable after a good sync: the previous profile and rule count, the file untouched', async () => {
    const state = file('held.json');
    const good = await runCli(['sync', '--console', emulator.url, '--user', DEMO_ADMIN.email, '--password-env', 'CONSOLE_PASSWORD', '--state', state], '', ENV);
    expect(good.code).toBe(0);
    const before = readFileSync(state, 'utf8');

    const run = await runCli(['sync', '--console', emulator.url, '--user', DEMO_ADMIN.email, '--password-env', 'NOT_SET', '--state', state], '', ENV);
    expect(run.code).toBe(1);
    expect(result(run)).toEqual({
      ok: false,
      changed: false,
      profile: { id: CORPORATE_PROFILE_ID, name: 'Corporate', stamp: expect.any(String) as string },
      rules: 4,
      error: { code: 'config', message: 'the environment variable NOT_SET (--password-env) is not set or empty' },
    });
    expect(run.stderr).toContain(`${state} still holds the previous 4 rules of profile "Corporate"`);
    expect(readFileSync(state, 'utf8')).toBe(before);

    // A usage error with --state given: the same account of the file.
    const usage = await runCli(['sync', '--console', emulator.url, '--state', state], '', ENV);
    expect(usage.code).toBe(2);
    expect(result(usage)).toMatchObject({ ok: false, profile: { id: CORPORATE_PROFILE_ID }, rules: 4, error: { code: 'config' } });
  });

  it('no state file yet, or one that is not a state file: nothing held', async () => {
    const missing = await runCli(['sync', '--console', emulator.url, '--token-env', 'NOT_SET', '--state', file('missing.json')], '', ENV);
    expect(result(missing)).toMatchObject({ ok: false, profile: null, rules: 0, error: { code: 'config' } });
    expect(missing.stderr).toContain('holds no rules (decisions fail closed)');
    const foreign = await runCli(['sync', '--console', emulator.url, '--token-env', 'NOT_SET', '--state', file('foreign.json', '{"precious": true}')], '', ENV);
    expect(result(foreign)).toMatchObject({ profile: null, rules: 0 });
  });
});

describe('usage errors are not buried under the help', () => {
  it.each([
    [['sync', '--console', 'https://c.example.com/', '--browser-session'], 'cert-rules sync: --state FILE is required', 'sync'],
    [['check', 'https://x.example/'], 'cert-rules check: --rules FILE is required (or --state FILE, or --managed POLICY)', 'check'],
    [['lint'], 'cert-rules lint: give exactly one rules FILE', 'lint'],
    [['export', '--rules', 'a.json', '--state', 'b.json'], 'cert-rules export: ', 'export'],
    [['check', '--rules', 'a.json', '--bogus', 'https://x/'], 'cert-rules check: ', 'check'],
  ])('%j: the error, then where the options are; no help text', async (argv, error, command) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]?.startsWith(error)).toBe(true);
    expect(lines[1]).toBe(`Run "cert-rules ${command} --help" for its options.`);
    expect(run.stderr).not.toContain('Usage:');
  });

  it('an unknown command names the commands and the main help', async () => {
    const run = await runCli(['chek']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('cert-rules: unknown command "chek"; the commands are check, lint, export, sync\nRun "cert-rules --help" for the commands.\n');
  });
});

describe('a file that is not valid JSON: line and column, in words', () => {
  const broken =
    '[\n  {"host": "a.example.com", "port": "", "action": "noCertificate"}\n  {"host": "b.example.com", "port": "", "action": "noCertificate"}\n]\n';
  const expected = 'not valid JSON at line 3, column 3: expected "," or "]" after an array element, found "{"';

  it.each([
    ['lint', (rules: string) => ['lint', rules]],
    ['check --rules', (rules: string) => ['check', '--rules', rules, 'https://a.example.com/']],
    ['check --managed', (rules: string) => ['check', '--managed', rules, 'https://a.example.com/']],
    ['export', (rules: string) => ['export', '--format', 'chrome-json', '--rules', rules, '--issuer-cn', 'CA']],
  ])('%s', async (_name, argv) => {
    const rules = file(`broken-${Math.random()}.json`, broken);
    const run = await runCli(argv(rules));
    expect(run.stderr).toContain(expected);
    expect(run.stderr).not.toMatch(/position \d|\(at \$\)/);
  });

  it('a state file', async () => {
    const state = file('broken-state.json', '{"format": "cert-rules-sync-state",\n "version": 1,,}');
    const run = await runCli(['sync', '--console', emulator.url, '--token-env', 'TOKEN', '--state', state], '', { TOKEN: DEMO_ADMIN.token });
    expect(run.code).toBe(1);
    expect(result(run)).toMatchObject({
      error: {
        code: 'storage',
        message: expect.stringContaining('is not valid JSON at line 2, column 15: expected a property name in double quotes, found ","') as string,
      },
    });
    expect(lastLine(readFileSync(state, 'utf8'))).toBe(' "version": 1,,}');
  });
});
