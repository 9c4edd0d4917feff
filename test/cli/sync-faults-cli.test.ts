import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleEmulator, type ConsoleEmulator, type FaultInput, type Resource } from '../console/emulator/index';
import { DEMO_ADMIN } from '../console/emulator/seed';
import { startTrap } from '../console/helpers';
import { runCli, type CliRun } from '../helpers/run-cli';
import { lastGoodBytes } from '../sync/state-bytes';

/**
 * "What it must show" 2, through the real command (`main`, in-process): for
 * every fault the issue lists, `cert-rules sync` exits 1 with a clear error,
 * `check --state` answers exactly as before, and no request reaches another
 * origin. (A hung console is in sync-timeout.test.ts.)
 */
const URLS = [
  'https://intranet.corp.example.com/',
  'https://public.corp.example.com/',
  'https://vpn.example.com:10443/',
  'https://mail.example.com:8443/',
  'https://example.org/',
];
const ENV = { CONSOLE_PASSWORD: DEMO_ADMIN.password };

let emulator: ConsoleEmulator;
let trap: Awaited<ReturnType<typeof startTrap>>;
let dir: string;
let baseline: string;
let baselineDecisions: string;
let covered = 0;

const sync = (state: string) =>
  runCli(['sync', '--console', emulator.url, '--user', DEMO_ADMIN.email, '--password-env', 'CONSOLE_PASSWORD', '--state', state], '', ENV);
const check = async (state: string) => (await runCli(['check', '--state', state, ...URLS])).stdout;
const lastLine = (run: CliRun) =>
  JSON.parse(run.stdout.trimEnd().split('\n').at(-1) ?? '') as {
    ok: boolean;
    changed: boolean;
    rules: number;
    error: { code: string; message: string } | null;
  };

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  trap = await startTrap();
  dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-cli-faults-'));
  baseline = path.join(dir, 'baseline.json');
  expect((await sync(baseline)).code).toBe(0);
  baselineDecisions = await check(baseline);
});
afterEach(() => emulator.clearFaults());
afterAll(async () => {
  console.log(`cli fault scenarios: ${covered} covered; requests to another origin: ${trap.count()}`);
  expect(trap.count()).toBe(0);
  await emulator.close();
  await trap.close();
});

const faults: Array<[string, Resource, FaultInput | (() => FaultInput), string, RegExp]> = [
  ['HTTP 500', 'profile', { type: 'status', status: 500 }, 'http', /HTTP 500/],
  ['HTTP 502', 'default', { type: 'status', status: 502 }, 'http', /HTTP 502/],
  ['HTTP 503 with Retry-After', 'profile', { type: 'status', status: 503, retryAfter: '120' }, 'http', /retry after 120 s/],
  ['HTTP 429', 'profile', { type: 'status', status: 429 }, 'http', /too many requests/],
  ['HTTP 401', 'profile', { type: 'status', status: 401 }, 'auth', /not signed in/],
  ['HTTP 403', 'default', { type: 'status', status: 403 }, 'auth', /not allowed/],
  ['the HTML login page where JSON is expected', 'profile', { type: 'login-page' }, 'auth', /sign-in page/],
  ['a truncated body', 'profile', { type: 'truncated' }, 'network', /closed before the whole answer/],
  ['invalid JSON', 'profile', { type: 'invalid-json' }, 'bad-data', /not valid JSON/],
  ['a wrong content type', 'profile', { type: 'content-type', contentType: 'text/plain' }, 'bad-data', /content type/],
  ['an empty body', 'default', { type: 'empty-body' }, 'bad-data', /empty body/],
  ['a body over 1 MiB', 'profile', { type: 'huge-body' }, 'too-large', /larger than 1 MiB/],
  ['"status": "Error"', 'profile', { type: 'status-error', message: 'Database unavailable' }, 'server', /Database unavailable/],
  ['double-encoded profile_data', 'profile', { type: 'double-encoded' }, 'bad-data', /profile_data/],
  ['an unknown action', 'profile', { type: 'unknown-action' }, 'rejected', /unknown action/],
  ['an invalid deny rule', 'profile', { type: 'invalid-deny' }, 'rejected', /rejected, the previous rules stay in force/],
  ['a redirect to another origin', 'profile', () => ({ type: 'redirect', location: trap.url }), 'redirect', /another origin/],
  ['a redirect to another origin at login', 'login', () => ({ type: 'redirect', location: trap.url }), 'redirect', /another origin/],
  ['a connection reset', 'profile', { type: 'reset' }, 'network', /connection/],
];

describe('cert-rules sync: every listed fault → exit 1, clear error, decisions unchanged', () => {
  it.each(faults)('%s', async (_name, resource, fault, code, message) => {
    const state = path.join(dir, `${covered}-${resource}.json`);
    copyFileSync(baseline, state);
    const rulesBefore = lastGoodBytes(state);
    emulator.setFault(resource, typeof fault === 'function' ? fault() : fault);
    const run = await sync(state);
    expect(run.code).toBe(1);
    const result = lastLine(run);
    expect(result).toMatchObject({ ok: false, changed: false, rules: 4, error: { code } });
    expect(result.error?.message).toMatch(message);
    expect(run.stderr).toContain(`sync failed (${code})`);
    expect(run.stderr).toMatch(/still holds the previous 4 rules/);
    expect(lastGoodBytes(state)).toBe(rulesBefore);
    expect(await check(state)).toBe(baselineDecisions);
    expect(trap.count()).toBe(0);
    covered++;
  });

  it('tolerated: profile_data as an object, and a short delay — exit 0, same decisions', async () => {
    for (const fault of [{ type: 'profile-data-object' }, { type: 'delay', ms: 200 }] as FaultInput[]) {
      const state = path.join(dir, `tolerated-${fault.type}.json`);
      copyFileSync(baseline, state);
      emulator.setFault('profile', fault);
      const run = await sync(state);
      expect(run.code).toBe(0);
      expect(lastLine(run)).toMatchObject({ ok: true, rules: 4, error: null });
      expect(await check(state)).toBe(baselineDecisions);
      emulator.clearFaults();
    }
  });
});
