import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleClient, type ConsoleAuth } from '../../src/console/client';
import { describeNodeNetworkError } from '../../src/console/node-network-error';
import { CookieJar } from '../../src/console/cookie-jar';
import { buildRuleSet, decide } from '../../src/engine/index';
import { createFileStorage } from '../../src/cli/file-storage';
import { runSync, type SyncOutcome } from '../../src/sync/run-sync';
import { syncSettings } from '../../src/sync/settings';
import { loadStateFileRules } from '../../src/cli/state-file';
import { SyncStateSchema, type SyncErrorCode } from '../../src/sync/state';
import { startConsoleEmulator, type ConsoleEmulator, type FaultInput, type Resource } from '../console/emulator/index';
import { PROFILE_SHAPES } from '../console/emulator/profile-shapes';
import { CORPORATE_PROFILE_ID, CORPORATE_RULES, DEMO_ADMIN } from '../console/emulator/seed';
import { startTrap } from '../console/helpers';
import { lastGoodBytes } from './state-bytes';

/**
 * The fault suite: the client and the sync against the emulator over real
 * HTTP on loopback. Every scenario starts from the same good state file and
 * must fail with the right error type, leave the stored rules byte for byte
 * unchanged, keep every decision as it was, and send nothing to another origin.
 */
const URLS = [
  'https://intranet.corp.example.com/',
  'https://public.corp.example.com/',
  'https://vpn.example.com:8443/',
  'https://mail.example.com/',
  'https://elsewhere.example.org/',
];

let emulator: ConsoleEmulator;
let trap: Awaited<ReturnType<typeof startTrap>>;
let dir: string;
let baseline: string;
let covered = 0;
const coveredByResource: Record<string, number> = {};

const adminAuth: ConsoleAuth = { kind: 'form', username: DEMO_ADMIN.email, password: DEMO_ADMIN.password };

async function syncInto(file: string, auth: ConsoleAuth = adminAuth): Promise<SyncOutcome> {
  const client = createConsoleClient({
    fetch,
    baseUrl: emulator.url,
    cookies: { kind: 'jar', jar: new CookieJar() },
    auth,
    timeoutMs: 400,
    describeNetworkError: describeNodeNetworkError,
  });
  return runSync({ client, storage: createFileStorage(file), clock: { now: Date.now }, settings: syncSettings(), random: Math.random });
}

async function decisions(file: string): Promise<string> {
  const { source } = await loadStateFileRules(file, Date.now());
  const ruleSet = source ? buildRuleSet([source]) : null;
  return JSON.stringify(URLS.map((url) => decide(ruleSet, url)));
}

let scenarioNumber = 0;
function freshState(): string {
  const file = path.join(dir, `state-${++scenarioNumber}.json`);
  copyFileSync(baseline, file);
  return file;
}

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  trap = await startTrap();
  dir = mkdtempSync(path.join(tmpdir(), 'console-faults-'));
  baseline = path.join(dir, 'baseline.json');
  const first = await syncInto(baseline);
  expect(first).toMatchObject({ ok: true, changed: true, rules: 4 });
});
afterEach(() => {
  emulator.clearFaults();
});
afterAll(async () => {
  expect(trap.count()).toBe(0);
  console.log(
    `console fault scenarios: ${covered} covered (${Object.entries(coveredByResource)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ')}); requests to another origin: ${trap.count()}`,
  );
  await emulator.close();
  await trap.close();
});

interface Scenario {
  name: string;
  resource: Resource;
  fault?: FaultInput | (() => FaultInput);
  /** Instead of a fault: change something else (credentials, console data). */
  arrange?: () => () => void;
  auth?: ConsoleAuth;
  code: SyncErrorCode;
  message?: RegExp;
  retryAfterMs?: number;
}

const trapFault = (): FaultInput => ({ type: 'redirect', location: trap.url });

const scenarios: Scenario[] = [
  // Login
  {
    name: 'login: wrong password',
    resource: 'login',
    auth: { ...adminAuth, password: 'not-the-password' } as ConsoleAuth,
    code: 'auth',
    message: /^authentication failed/,
  },
  {
    name: 'login: unknown user',
    resource: 'login',
    auth: { ...adminAuth, username: 'nobody@example.com' } as ConsoleAuth,
    code: 'auth',
    message: /^authentication failed/,
  },
  { name: 'login: HTTP 500', resource: 'login', fault: { type: 'status', status: 500 }, code: 'http', message: /HTTP 500/ },
  {
    name: 'login: HTTP 503 with Retry-After',
    resource: 'login',
    fault: { type: 'status', status: 503, retryAfter: '120' },
    code: 'http',
    retryAfterMs: 120_000,
  },
  { name: 'login: HTTP 429', resource: 'login', fault: { type: 'status', status: 429 }, code: 'http', message: /too many requests/ },
  {
    name: 'login: "status": "Error"',
    resource: 'login',
    fault: { type: 'status-error', message: 'Account locked' },
    code: 'auth',
    message: /authentication failed.*Account locked/,
  },
  { name: 'login: hang', resource: 'login', fault: { type: 'hang' }, code: 'timeout', message: /did not answer within/ },
  { name: 'login: connection reset', resource: 'login', fault: { type: 'reset' }, code: 'network' },
  { name: 'login: redirect to another origin', resource: 'login', fault: trapFault, code: 'redirect', message: /another origin/ },
  { name: 'login: ping after login is invalid JSON', resource: 'ping', fault: { type: 'invalid-json' }, code: 'bad-data', message: /not valid JSON/ },
  {
    name: 'login: direct-style login answer is invalid JSON',
    resource: 'login',
    fault: { type: 'invalid-json' },
    arrange: () => {
      emulator.options.loginStyle = 'direct';
      return () => {
        emulator.options.loginStyle = 'redirect';
      };
    },
    code: 'bad-data',
  },
  { name: 'login: ping after login shows the login page', resource: 'ping', fault: { type: 'login-page' }, code: 'auth', message: /^authentication failed/ },
  { name: 'login: ping after login truncated', resource: 'ping', fault: { type: 'truncated' }, code: 'network', message: /closed before the whole answer/ },
  // Default-profile lookup
  { name: 'default: HTTP 502', resource: 'default', fault: { type: 'status', status: 502 }, code: 'http', message: /bad gateway/ },
  { name: 'default: HTTP 500 as a block of HTML', resource: 'default', fault: { type: 'status', status: 500, html: true }, code: 'http' },
  { name: 'default: HTTP 401 (after one re-login)', resource: 'default', fault: { type: 'status', status: 401 }, code: 'auth' },
  { name: 'default: HTTP 403', resource: 'default', fault: { type: 'status', status: 403 }, code: 'auth', message: /not allowed/ },
  { name: 'default: the login page where JSON is expected', resource: 'default', fault: { type: 'login-page' }, code: 'auth', message: /sign-in page/ },
  { name: 'default: redirect to the login page', resource: 'default', fault: { type: 'login-redirect' }, code: 'auth' },
  {
    name: 'default: wrong content type',
    resource: 'default',
    fault: { type: 'content-type', contentType: 'text/plain' },
    code: 'bad-data',
    message: /content type "text\/plain"/,
  },
  { name: 'default: empty body', resource: 'default', fault: { type: 'empty-body' }, code: 'bad-data', message: /empty body/ },
  { name: 'default: invalid JSON', resource: 'default', fault: { type: 'invalid-json' }, code: 'bad-data', message: /not valid JSON/ },
  { name: 'default: no profile id in the answer', resource: 'default', fault: { type: 'wrong-shape' }, code: 'bad-data', message: /names no profile id/ },
  { name: 'default: "status": "Error"', resource: 'default', fault: { type: 'status-error' }, code: 'server' },
  { name: 'default: no default set', resource: 'default', fault: { type: 'no-default' }, code: 'config', message: /no default/ },
  { name: 'default: names a profile that does not exist', resource: 'default', fault: { type: 'unknown-default' }, code: 'http', message: /HTTP 404/ },
  { name: 'default: hang', resource: 'default', fault: { type: 'hang' }, code: 'timeout' },
  { name: 'default: redirect to another origin', resource: 'default', fault: trapFault, code: 'redirect' },
  // Profile fetch
  { name: 'profile: HTTP 500', resource: 'profile', fault: { type: 'status', status: 500 }, code: 'http', message: /internal server error/ },
  {
    name: 'profile: HTTP 503 with Retry-After',
    resource: 'profile',
    fault: { type: 'status', status: 503, retryAfter: '300' },
    code: 'http',
    retryAfterMs: 300_000,
  },
  {
    name: 'profile: HTTP 429 with Retry-After',
    resource: 'profile',
    fault: { type: 'status', status: 429, retryAfter: '60' },
    code: 'http',
    retryAfterMs: 60_000,
  },
  { name: 'profile: HTTP 401 (after one re-login)', resource: 'profile', fault: { type: 'status', status: 401 }, code: 'auth' },
  { name: 'profile: HTTP 403', resource: 'profile', fault: { type: 'status', status: 403 }, code: 'auth' },
  { name: 'profile: the login page where JSON is expected', resource: 'profile', fault: { type: 'login-page' }, code: 'auth' },
  { name: 'profile: an HTML error page with HTTP 200', resource: 'profile', fault: { type: 'html-error' }, code: 'bad-data', message: /HTML page/ },
  { name: 'profile: hang', resource: 'profile', fault: { type: 'hang' }, code: 'timeout' },
  { name: 'profile: body stops halfway', resource: 'profile', fault: { type: 'hang-body' }, code: 'timeout' },
  { name: 'profile: truncated body (connection closed)', resource: 'profile', fault: { type: 'truncated' }, code: 'network' },
  { name: 'profile: truncated JSON', resource: 'profile', fault: { type: 'truncated-json' }, code: 'bad-data' },
  { name: 'profile: invalid JSON', resource: 'profile', fault: { type: 'invalid-json' }, code: 'bad-data' },
  { name: 'profile: wrong content type', resource: 'profile', fault: { type: 'content-type', contentType: 'application/octet-stream' }, code: 'bad-data' },
  { name: 'profile: empty body', resource: 'profile', fault: { type: 'empty-body' }, code: 'bad-data' },
  { name: 'profile: body over 1 MiB', resource: 'profile', fault: { type: 'huge-body' }, code: 'too-large', message: /1 MiB/ },
  { name: 'profile: "status": "Error"', resource: 'profile', fault: { type: 'status-error' }, code: 'server', message: /reported an error/ },
  { name: 'profile: double-encoded profile_data', resource: 'profile', fault: { type: 'double-encoded' }, code: 'bad-data', message: /profile_data/ },
  { name: 'profile: no rules key', resource: 'profile', fault: { type: 'no-rules-key' }, code: 'bad-data', message: /clientCertsUrlMatchingRules/ },
  { name: 'profile: unexpected JSON shape', resource: 'profile', fault: { type: 'wrong-shape' }, code: 'bad-data' },
  {
    name: 'profile: answers with another profile',
    resource: 'profile',
    fault: { type: 'other-profile' },
    code: 'bad-data',
    message: /asked for profile .*, found profile "11111111-/,
  },
  // Answers that are not the profile asked for: never an empty profile.
  ...PROFILE_SHAPES.map((type): Scenario => ({
    name: `profile: not the profile asked for (${type})`,
    resource: 'profile',
    fault: { type },
    code: 'bad-data',
    message: /is not a profile: .* \(at \$[^)]*\)$/,
  })),
  {
    name: 'profile: 200,000 nested arrays in an unknown rule key',
    resource: 'profile',
    fault: { type: 'deep-nesting' },
    code: 'bad-data',
    message: /nests deeper than 64 levels/,
  },
  {
    name: 'profile: 200,000 nested arrays, profile_data an object',
    resource: 'profile',
    fault: { type: 'deep-nesting', asObject: true },
    code: 'bad-data',
    message: /nests deeper than 64 levels/,
  },
  {
    name: 'profile: 65 nested arrays in an unknown rule key',
    resource: 'profile',
    fault: { type: 'deep-nesting', depth: 65 },
    code: 'bad-data',
    message: /nests deeper than 64 levels/,
  },
  { name: 'profile: unknown action', resource: 'profile', fault: { type: 'unknown-action' }, code: 'rejected', message: /unknown action "allowAlways"/ },
  { name: 'profile: invalid deny rule', resource: 'profile', fault: { type: 'invalid-deny' }, code: 'rejected', message: /scheme/ },
  { name: 'profile: more than 5,000 rules', resource: 'profile', fault: { type: 'too-many-rules' }, code: 'too-large', message: /5001 rules/ },
  { name: 'profile: redirect to another origin', resource: 'profile', fault: trapFault, code: 'redirect' },
  { name: 'profile: connection reset', resource: 'profile', fault: { type: 'reset' }, code: 'network' },
  {
    name: 'profile: archived on the console',
    resource: 'profile',
    arrange: () => {
      emulator.model.archive(CORPORATE_PROFILE_ID);
      return () => {
        const profile = emulator.model.profiles.get(CORPORATE_PROFILE_ID);
        if (profile) profile.archived = false;
      };
    },
    code: 'server',
    message: /archived/,
  },
];

describe('console fault suite: every failure keeps the last good rules', () => {
  it('has at least 25 distinct fault scenarios across login, default lookup and profile fetch', () => {
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
    expect(scenarios.length).toBeGreaterThanOrEqual(25);
    for (const phase of ['login', 'default', 'profile']) expect(scenarios.filter((s) => s.name.startsWith(`${phase}:`)).length).toBeGreaterThanOrEqual(8);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const file = freshState();
    const before = { bytes: lastGoodBytes(file), decisions: await decisions(file) };
    if (scenario.fault) emulator.setFault(scenario.resource, typeof scenario.fault === 'function' ? scenario.fault() : scenario.fault);
    const undo = scenario.arrange?.();
    let outcome: SyncOutcome;
    try {
      outcome = await syncInto(file, scenario.auth);
    } finally {
      undo?.();
    }
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.code).toBe(scenario.code);
    if (scenario.message) expect(outcome.error?.message).toMatch(scenario.message);
    expect(outcome.error?.message).not.toContain(DEMO_ADMIN.password);
    expect(outcome).toMatchObject({ changed: false, rules: 4, profile: { id: CORPORATE_PROFILE_ID } });
    expect(lastGoodBytes(file)).toBe(before.bytes);
    expect(await decisions(file)).toBe(before.decisions);
    const state = SyncStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(state.history.at(-1)).toMatchObject({ type: scenario.code, message: outcome.error?.message });
    expect(state.lastError).toMatchObject({ code: scenario.code });
    if (scenario.retryAfterMs !== undefined) expect(state.lastError?.retryAfterMs).toBe(scenario.retryAfterMs);
    expect(trap.count()).toBe(0);
    covered++;
    const phase = scenario.name.split(':')[0] ?? '?';
    coveredByResource[phase] = (coveredByResource[phase] ?? 0) + 1;
  });
});

describe('console variants and recoveries that must succeed', () => {
  it('a session expiring mid-sync is renewed transparently', async () => {
    const file = freshState();
    const logins = () => emulator.requests.filter((r) => r.resource === 'login').length;
    const before = logins();
    emulator.setFault('profile', { type: 'expire-session', times: 1 });
    expect(await syncInto(file)).toMatchObject({ ok: true, changed: false });
    expect(logins() - before).toBe(2);
  });

  it.each(['profile-data-object', 'rules-string', 'data-direct'] as const)('the tolerated %s variant syncs with the same rules', async (type) => {
    const file = freshState();
    const before = await decisions(file);
    emulator.setFault('profile', { type });
    expect(await syncInto(file)).toMatchObject({ ok: true, changed: false, rules: 4 });
    expect(await decisions(file)).toBe(before);
  });

  it('an invalid allow rule is dropped with a warning; the rest is stored', async () => {
    const file = freshState();
    emulator.setFault('profile', { type: 'invalid-allow' });
    const outcome = await syncInto(file);
    expect(outcome).toMatchObject({ ok: true, changed: true, rules: 5 });
    expect(outcome.warnings[0]).toMatch(/rule 4/);
  });

  it('a profile that really is empty, in the full envelope with its id, is applied: no rules', async () => {
    const file = freshState();
    emulator.model.setRules(CORPORATE_PROFILE_ID, []);
    try {
      expect(await syncInto(file)).toMatchObject({ ok: true, changed: true, rules: 0, profile: { id: CORPORATE_PROFILE_ID }, error: null });
      expect(SyncStateSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).lastGood?.rules).toEqual([]);
    } finally {
      emulator.model.setRules(CORPORATE_PROFILE_ID, CORPORATE_RULES);
    }
  });

  it('notes nested within the bound are accepted, and only host, port and action are stored', async () => {
    const file = freshState();
    emulator.setFault('profile', { type: 'deep-nesting', depth: 40 });
    expect(await syncInto(file)).toMatchObject({ ok: true, changed: true, rules: 5 });
    const stored = SyncStateSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).lastGood?.rules;
    expect(stored?.at(-1)).toEqual({ host: 'deep.example.com', port: '', action: 'noCertificate' });
    expect(stored?.slice(0, 4)).toEqual(CORPORATE_RULES);
  });

  it('a slow answer within the time limit succeeds', async () => {
    const file = freshState();
    emulator.setFault('profile', { type: 'delay', ms: 150 });
    expect(await syncInto(file)).toMatchObject({ ok: true });
  });
});
