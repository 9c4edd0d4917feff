import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SyncStateSchema } from '../../src/sync/state';
import { startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { CORPORATE_PROFILE_ID, CORPORATE_RULES, DEMO_ADMIN, DEMO_USER, PATTERNS_PROFILE_ID } from '../console/emulator/seed';
import { jsonLines, runCli, type CliRun } from '../helpers/run-cli';

let emulator: ConsoleEmulator;
let dir: string;
const outputs: string[] = [];
const ENV = { CONSOLE_PASSWORD: DEMO_ADMIN.password, USER_PASSWORD: DEMO_USER.password, CONSOLE_TOKEN: DEMO_ADMIN.token };

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-sync-'));
});
afterEach(() => {
  emulator.clearFaults();
});
afterAll(async () => {
  // Nothing the CLI printed in this file ever contained a password or token.
  for (const secret of Object.values(ENV)) expect(outputs.join('\n')).not.toContain(secret);
  await emulator.close();
});

const stateFile = (name: string) => path.join(dir, name);
async function cli(argv: string[], stdin = ''): Promise<CliRun> {
  const run = await runCli(argv, stdin, ENV);
  outputs.push(run.stdout, run.stderr);
  return run;
}
const sync = (state: string, ...extra: string[]) =>
  cli(['sync', '--console', emulator.url, '--user', DEMO_ADMIN.email, '--password-env', 'CONSOLE_PASSWORD', '--state', state, ...extra]);
/** The contract: the last line of stdout is one JSON object. */
const result = (run: CliRun) => JSON.parse(run.stdout.trimEnd().split('\n').at(-1) ?? '') as Record<string, unknown>;
const URLS = ['https://intranet.corp.example.com/', 'https://public.corp.example.com/', 'https://vpn.example.com:8443/', 'https://new.example.com/'];
const check = async (state: string) => {
  const run = await cli(['check', '--state', state, ...URLS]);
  return {
    code: run.code,
    lines: jsonLines(run.stdout) as Array<{ url: string; decision: string; reason: string; rule: { source: string; index: number } | null }>,
  };
};

describe('cert-rules sync against the console emulator', () => {
  it('first sync ok and changed; second unchanged; after a console edit changed again, and check --state follows', async () => {
    const state = stateFile('walkthrough.json');
    const first = await sync(state);
    expect(first.code).toBe(0);
    expect(result(first)).toEqual({
      ok: true,
      changed: true,
      profile: { id: CORPORATE_PROFILE_ID, name: 'Corporate', stamp: expect.any(String) as string },
      rules: 4,
      error: null,
    });
    expect(first.stderr).toMatch(/synced 4 rules/);
    const before = await check(state);
    expect(before.code).toBe(0);
    expect(before.lines.map((l) => [l.decision, l.reason, l.rule?.source ?? null])).toEqual([
      ['useEnrollmentCertificate', 'allow-rule', 'profile'],
      ['noCertificate', 'deny-rule', 'profile'],
      ['useEnrollmentCertificate', 'allow-rule', 'profile'],
      ['noCertificate', 'no-match', null],
    ]);

    const second = await sync(state);
    expect(second.code).toBe(0);
    expect(result(second)).toMatchObject({ ok: true, changed: false, rules: 4, profile: result(first)['profile'] });

    emulator.model.setRules(CORPORATE_PROFILE_ID, [
      { host: 'new.example.com', port: '', action: 'useEnrollmentCertificate' },
      { host: '*.corp.example.com', port: '*', action: 'noCertificate' },
    ]);
    try {
      const third = await sync(state);
      expect(third.code).toBe(0);
      expect(result(third)).toMatchObject({ ok: true, changed: true, rules: 2 });
      expect((result(third)['profile'] as { stamp: string }).stamp).not.toBe((result(first)['profile'] as { stamp: string }).stamp);
      const after = await check(state);
      expect(after.lines.map((l) => [l.decision, l.reason, l.rule?.index ?? null])).toEqual([
        ['noCertificate', 'deny-rule', 1],
        ['noCertificate', 'deny-rule', 1],
        ['noCertificate', 'no-match', null],
        ['useEnrollmentCertificate', 'allow-rule', 0],
      ]);
    } finally {
      emulator.model.setRules(CORPORATE_PROFILE_ID, CORPORATE_RULES);
    }
  });

  it('an expired session is renewed transparently', async () => {
    const state = stateFile('expiry.json');
    emulator.setFault('default', { type: 'expire-session', times: 1 });
    const logins = emulator.requests.filter((r) => r.resource === 'login').length;
    const run = await sync(state);
    expect(run.code).toBe(0);
    expect(result(run)).toMatchObject({ ok: true, changed: true });
    expect(emulator.requests.filter((r) => r.resource === 'login').length - logins).toBe(2);
  });

  it('wrong credentials: exit 1 and an error that says authentication failed; nothing stored', async () => {
    const state = stateFile('wrong-password.json');
    const run = await cli(['sync', '--console', emulator.url, '--user', DEMO_ADMIN.email, '--password-env', 'USER_PASSWORD', '--state', state]);
    expect(run.code).toBe(1);
    expect(result(run)).toMatchObject({ ok: false, changed: false, profile: null, rules: 0, error: { code: 'auth' } });
    expect((result(run)['error'] as { message: string }).message).toMatch(/^authentication failed/);
    expect(run.stderr).toMatch(/sync failed \(auth\): authentication failed/);
    const checked = await check(state);
    expect(checked.code).toBe(1);
    expect(checked.lines.every((l) => l.decision === 'noCertificate' && l.reason === 'no-rules')).toBe(true);
  });

  it('--profile GUID syncs that profile; --token-env authenticates with a bearer token', async () => {
    const state = stateFile('patterns.json');
    const run = await cli(['sync', '--console', emulator.url, '--token-env', 'CONSOLE_TOKEN', '--profile', PATTERNS_PROFILE_ID, '--state', state]);
    expect(run.code).toBe(0);
    expect(result(run)).toMatchObject({ ok: true, profile: { id: PATTERNS_PROFILE_ID, name: 'Every pattern form' }, rules: 16 });
    const decided = jsonLines(
      (await cli(['check', '--state', state, 'https://www.acme.com/', 'https://xn--mnchen-3ya.example/', 'https://[2001:db8::1]/'])).stdout,
    ) as Array<{ decision: string }>;
    expect(decided.map((d) => d.decision)).toEqual(['useEnrollmentCertificate', 'useEnrollmentCertificate', 'useEnrollmentCertificate']);
  });

  it('--browser-session sends no credentials and says to sign in', async () => {
    const run = await cli(['sync', '--console', emulator.url, '--browser-session', '--state', stateFile('browser.json')]);
    expect(run.code).toBe(1);
    expect(result(run)).toMatchObject({ ok: false, error: { code: 'auth', message: expect.stringMatching(/sign in to the console/) as string } });
  });

  it('the state file records the history of attempts', async () => {
    const state = stateFile('history.json');
    await sync(state);
    // A Retry-After above the backoff (a third of the interval while rules are held, ±20%) is the floor.
    emulator.setFault('profile', { type: 'status', status: 503, retryAfter: '7200' });
    expect((await sync(state)).code).toBe(1);
    const saved = SyncStateSchema.parse(JSON.parse(readFileSync(state, 'utf8')));
    expect(saved.history.map((h) => h.type)).toEqual(['changed', 'http']);
    expect(saved.lastError).toMatchObject({ code: 'http', status: 503, retryAfterMs: 7_200_000 });
    expect(Date.parse(saved.nextAttemptAt ?? '') - Date.parse(saved.lastAttemptAt ?? '')).toBe(7_200_000);
  });
});

describe('cert-rules sync: options and settings', () => {
  it('--help describes the contract; the main help lists sync', async () => {
    const help = await cli(['sync', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--console', '--user', '--password-env', '--token-env', '--browser-session', '--profile', '--state', '"ok"', 'rejected', 'config'])
      expect(help.stdout).toContain(option);
    expect((await cli(['--help'])).stdout).toMatch(/sync\s+fetch the Client Certificates profile/);
  });

  it.each([
    ['no --state', ['sync', '--console', 'https://c.example.com/', '--browser-session']],
    ['no --console', ['sync', '--state', 'x.json', '--browser-session']],
    ['no authentication', ['sync', '--console', 'https://c.example.com/', '--state', 'x.json']],
    ['two authentications', ['sync', '--console', 'https://c.example.com/', '--state', 'x.json', '--browser-session', '--token-env', 'T']],
    ['--user without --password-env', ['sync', '--console', 'https://c.example.com/', '--state', 'x.json', '--user', 'a@b.c']],
    ['an unknown option', ['sync', '--console', 'https://c.example.com/', '--state', 'x.json', '--browser-session', '--password', 'secret']],
  ])('usage error (%s): exit 2, JSON line with code config', async (_name, argv) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(result(run)).toMatchObject({ ok: false, error: { code: 'config' } });
  });

  it.each([
    ['plain http to a remote host', ['--console', 'http://console.example.com/mocana-app-control/rest/', '--browser-session'], /https/],
    ['an unset password variable', ['--console', 'https://console.example.com/', '--user', 'a@b.c', '--password-env', 'NOT_SET'], /NOT_SET.*not set/],
    ['a profile id that is not a GUID', ['--console', 'https://127.0.0.1:1/', '--browser-session', '--profile', '../x'], /not a profile id/],
  ])('bad settings (%s): exit 1 with code config, nothing written', async (_name, args, message) => {
    const state = stateFile(`config-${Math.random()}.json`);
    const run = await cli(['sync', ...args, '--state', state]);
    expect(run.code).toBe(1);
    expect(result(run)).toMatchObject({ ok: false, error: { code: 'config', message: expect.stringMatching(message) as string } });
  });

  it('refuses to overwrite a file that is not a state file', async () => {
    const state = stateFile('precious.json');
    writeFileSync(state, '{"precious": true}');
    const run = await sync(state);
    expect(run.code).toBe(1);
    expect(result(run)).toMatchObject({ ok: false, error: { code: 'storage' } });
    expect(readFileSync(state, 'utf8')).toBe('{"precious": true}');
  });
});

describe('cert-rules check --state', () => {
  it('a missing or foreign state file fails closed with no-rules and exit 1', async () => {
    for (const file of [stateFile('missing.json'), (writeFileSync(stateFile('foreign.json'), '[1,2]'), stateFile('foreign.json'))]) {
      const run = await cli(['check', '--state', file, 'https://intranet.corp.example.com/']);
      expect(run.code).toBe(1);
      expect(jsonLines(run.stdout)).toEqual([{ url: 'https://intranet.corp.example.com/', decision: 'noCertificate', reason: 'no-rules', rule: null }]);
      expect(run.stderr).toMatch(/no rules in force/);
    }
  });

  it('--rules and --state together, or neither, is a usage error', async () => {
    expect((await cli(['check', '--rules', 'a.json', '--state', 'b.json', 'https://x/'])).code).toBe(2);
    expect((await cli(['check', 'https://x/'])).code).toBe(2);
  });

  it('reads URLs from stdin too', async () => {
    const state = stateFile('stdin.json');
    await sync(state);
    const run = await cli(['check', '--state', state, '--stdin'], 'https://mail.example.com/\nhttp://mail.example.com/\n');
    expect((jsonLines(run.stdout) as Array<{ reason: string }>).map((l) => l.reason)).toEqual(['allow-rule', 'not-tls']);
  });
});
