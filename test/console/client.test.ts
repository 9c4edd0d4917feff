import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleClient, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_RULES, type ConsoleClientOptions } from '../../src/console/client';
import { CookieJar } from '../../src/console/cookie-jar';
import { compileSource } from '../../src/engine/index';
import { startConsoleEmulator, type ConsoleEmulator } from './emulator/index';
import { CORPORATE_PROFILE_ID, CORPORATE_RULES, DEMO_ADMIN, DEMO_USER, LARGE_PROFILE_ID, PATTERNS_PROFILE_ID, PATTERN_RULES } from './emulator/seed';
import { browserLikeFetch } from './browser-fetch';
import { adminAuth, failureOf, nodeClient, startTrap } from './helpers';

let emulator: ConsoleEmulator;
let trap: Awaited<ReturnType<typeof startTrap>>;

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  trap = await startTrap();
});
afterEach(() => {
  emulator.clearFaults();
  emulator.options.loginStyle = 'redirect';
  emulator.options.catalogStyle = 'profiles';
  emulator.options.defaultStyle = 'settings';
});
afterAll(async () => {
  expect(trap.count()).toBe(0);
  await emulator.close();
  await trap.close();
});

const logins = () => emulator.requests.filter((r) => r.resource === 'login').length;

describe('console client: form login and session', () => {
  it.each(['redirect', 'direct'] as const)('logs in (%s style), keeping the cookie set on the login answer', async (style) => {
    emulator.options.loginStyle = style;
    const { client, jar } = nodeClient(emulator.url);
    const before = logins();
    expect(await client.ping()).toEqual({ email: DEMO_ADMIN.email, id: '1', admin: true });
    expect(jar.header(new URL(emulator.url))).toMatch(/^JSESSIONID=/);
    expect((await client.ping()).admin).toBe(true);
    expect(logins() - before).toBe(1);
  });

  it('logs in lazily before the first call and only once for many calls', async () => {
    const before = logins();
    const { client } = nodeClient(emulator.url);
    await client.catalog();
    await client.getDefaultProfileId();
    await client.getProfile(CORPORATE_PROFILE_ID);
    expect(logins() - before).toBe(1);
  });

  it('wrong credentials: an auth error that says authentication failed', async () => {
    const { client } = nodeClient(emulator.url, { auth: { kind: 'form', username: DEMO_ADMIN.email, password: 'wrong' } });
    const error = await failureOf(client.getProfile(CORPORATE_PROFILE_ID));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/^authentication failed/);
    expect(error.message).not.toContain('wrong');
  });

  it('an expired session is renewed by one fresh login, transparently', async () => {
    const { client } = nodeClient(emulator.url);
    await client.ping();
    emulator.expireSessions();
    const before = logins();
    const profile = await client.getProfile(CORPORATE_PROFILE_ID);
    expect(profile.rules).toEqual(CORPORATE_RULES);
    expect(logins() - before).toBe(1);
  });

  it('a session that keeps expiring is retried once, then reported as auth', async () => {
    const { client } = nodeClient(emulator.url);
    await client.ping();
    emulator.setFault('profile', { type: 'login-page' });
    const before = logins();
    const error = await failureOf(client.getProfile(CORPORATE_PROFILE_ID));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/sign-in page/);
    expect(logins() - before).toBe(1);
  });

  it('a non-admin may read but not write', async () => {
    const { client } = nodeClient(emulator.url, { auth: { kind: 'form', username: DEMO_USER.email, password: DEMO_USER.password } });
    expect((await client.ping()).admin).toBe(false);
    expect((await client.getProfile(CORPORATE_PROFILE_ID)).rules).toHaveLength(4);
    const error = await failureOf(client.createProfile({ name: 'nope', rules: [] }));
    expect(error).toMatchObject({ kind: 'auth', status: 403 });
  });

  it('bearer token mode sends the header and needs no login', async () => {
    const before = logins();
    const { client } = nodeClient(emulator.url, { auth: { kind: 'bearer', token: DEMO_ADMIN.token } });
    expect((await client.getProfile(CORPORATE_PROFILE_ID)).name).toBe('Corporate');
    expect(logins()).toBe(before);
    const bad = nodeClient(emulator.url, { auth: { kind: 'bearer', token: 'not-a-token' } }).client;
    const error = await failureOf(bad.ping());
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).toMatch(/bearer token/);
  });

  it('browser-session mode without a session says to sign in to the console', async () => {
    const { client } = nodeClient(emulator.url, { auth: { kind: 'browserSession' } });
    const error = await failureOf(client.getProfile(CORPORATE_PROFILE_ID));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/sign in to the console/);
  });

  it('refuses configuration that would send credentials in the clear or not at all', () => {
    expect(() =>
      createConsoleClient({ fetch, baseUrl: 'http://console.example.com/rest/', cookies: { kind: 'jar', jar: new CookieJar() }, auth: adminAuth }),
    ).toThrowError(/https/);
    expect(() =>
      createConsoleClient({
        fetch,
        baseUrl: emulator.url,
        cookies: { kind: 'jar', jar: new CookieJar() },
        auth: { kind: 'form', username: 'a', password: '' },
      }),
    ).toThrowError(/password/);
  });
});

describe('console client: calls', () => {
  it('reads the catalog as {profiles: [...]} and as a bare array', async () => {
    const { client } = nodeClient(emulator.url);
    const names = (await client.catalog()).map((p) => p.name);
    emulator.options.catalogStyle = 'bare-array';
    expect((await client.catalog()).map((p) => p.name)).toEqual(names);
    expect(names).toEqual(expect.arrayContaining(['Corporate', 'Every pattern form', 'Large (5,000 rules)']));
  });

  it.each(['settings', 'profile_id', 'data-string', 'bare-string'] as const)('reads the default profile id in the %s shape', async (style) => {
    emulator.options.defaultStyle = style;
    const { client } = nodeClient(emulator.url);
    expect(await client.getDefaultProfileId()).toBe(CORPORATE_PROFILE_ID);
  });

  it('reads the seeded profiles: every pattern form compiles, 5,000 rules are accepted', async () => {
    const { client } = nodeClient(emulator.url);
    const patterns = await client.getProfile(PATTERNS_PROFILE_ID);
    expect(patterns.rules).toEqual(PATTERN_RULES);
    const compiled = compileSource('profile', patterns.rules);
    expect(compiled).toMatchObject({ accepted: true, warnings: [] });
    expect(compiled.rules).toHaveLength(PATTERN_RULES.length);
    const large = await client.getProfile(LARGE_PROFILE_ID);
    expect(large.rules).toHaveLength(DEFAULT_MAX_RULES);
    expect(large.stamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+$/);
  });

  it.each(['profile-data-object', 'rules-string', 'data-direct'] as const)('tolerates the %s variant with the same rules', async (type) => {
    const { client } = nodeClient(emulator.url);
    emulator.setFault('profile', { type });
    const profile = await client.getProfile(CORPORATE_PROFILE_ID);
    expect(profile.rules).toEqual(CORPORATE_RULES);
    expect(profile.stamp).toContain(type);
  });

  it('creates, updates, sets as default, archives', async () => {
    const { client } = nodeClient(emulator.url);
    const rules = [{ host: 'new.example.com', port: '', action: 'useEnrollmentCertificate' }];
    const id = await client.createProfile({ name: 'Created', description: 'by a test', rules });
    const created = await client.getProfile(id);
    expect(created).toMatchObject({ name: 'Created', description: 'by a test', rules });
    await client.updateProfile(id, { name: 'Updated', rules: [...rules, { host: 'x.example.com', action: 'noCertificate' }] });
    const updated = await client.getProfile(id);
    expect(updated.name).toBe('Updated');
    expect(updated.rules).toHaveLength(2);
    expect(updated.stamp).not.toBe(created.stamp);
    await client.setDefaultProfile(id);
    expect(await client.getDefaultProfileId()).toBe(id);
    await client.archiveDefaultProfile();
    expect(await client.getDefaultProfileId()).toBeNull();
    await client.setDefaultProfile(CORPORATE_PROFILE_ID);
    await client.archiveProfile(id);
    expect((await client.catalog()).map((p) => p.id)).not.toContain(id);
    expect(await failureOf(client.getProfile(id))).toMatchObject({ kind: 'server' });
  });

  it('reads the Client Certificates policy record by code and by id', async () => {
    const { client } = nodeClient(emulator.url);
    const byCode = await client.getPolicy();
    expect(byCode).toMatchObject({ name: 'Client Certificates', status: 'active' });
    expect(byCode.applications).toHaveLength(2);
    expect(await client.getPolicy({ id: byCode.id })).toEqual(byCode);
  });

  it('refuses ids that could change the request path', async () => {
    const { client } = nodeClient(emulator.url);
    expect(await failureOf(client.getProfile('../settings/client-certs-default-profile'))).toMatchObject({ kind: 'config' });
  });
});

describe('console client: limits', () => {
  it('uses 15 s, 1 MiB and 5,000 rules by default', () => {
    expect(DEFAULT_TIMEOUT_MS).toBe(15_000);
    expect(DEFAULT_MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(DEFAULT_MAX_RULES).toBe(5000);
  });

  it('a hung server fails with timeout after the per-request limit', async () => {
    const { client } = nodeClient(emulator.url, { timeoutMs: 300 });
    await client.ping();
    emulator.setFault('profile', { type: 'hang' });
    const started = Date.now();
    const error = await failureOf(client.getProfile(CORPORATE_PROFILE_ID));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a body that stops halfway also times out', async () => {
    const { client } = nodeClient(emulator.url, { timeoutMs: 300 });
    await client.ping();
    emulator.setFault('profile', { type: 'hang-body' });
    expect((await failureOf(client.getProfile(CORPORATE_PROFILE_ID))).kind).toBe('timeout');
  });

  it('a body over the limit is abandoned while streaming', async () => {
    const { client } = nodeClient(emulator.url);
    await client.ping();
    emulator.setFault('profile', { type: 'huge-body', bytes: 50 * 1024 * 1024 });
    const started = Date.now();
    expect((await failureOf(client.getProfile(CORPORATE_PROFILE_ID))).kind).toBe('too-large');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('more than 5,000 rules is too large', async () => {
    const { client } = nodeClient(emulator.url);
    emulator.setFault('profile', { type: 'too-many-rules' });
    const error = await failureOf(client.getProfile(CORPORATE_PROFILE_ID));
    expect(error.kind).toBe('too-large');
    expect(error.message).toMatch(/5001 rules/);
  });

  it('never follows a redirect to another origin', async () => {
    const { client } = nodeClient(emulator.url);
    for (const resource of ['login', 'profile', 'default'] as const) {
      emulator.setFault(resource, { type: 'redirect', location: trap.url });
      const error = await failureOf(resource === 'default' ? client.getDefaultProfileId() : client.getProfile(CORPORATE_PROFILE_ID));
      expect(error.kind).toBe('redirect');
      expect(error.message).toMatch(/another origin/);
      emulator.clearFaults();
    }
    expect(trap.count()).toBe(0);
  });

  it('stops a same-origin redirect loop', async () => {
    const { client } = nodeClient(emulator.url);
    await client.ping();
    emulator.setFault('profile', { type: 'redirect', location: `${emulator.url}profile/${CORPORATE_PROFILE_ID}` });
    const error = await failureOf(client.getProfile(CORPORATE_PROFILE_ID));
    expect(error.kind).toBe('redirect');
    expect(error.message).toMatch(/more than 5 times/);
  });

  it('Retry-After on 503 and 429 is reported in ms', async () => {
    const { client } = nodeClient(emulator.url);
    await client.ping();
    emulator.setFault('profile', { type: 'status', status: 429, retryAfter: '90' });
    expect(await failureOf(client.getProfile(CORPORATE_PROFILE_ID))).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 90_000 });
  });
});

describe('console client: browser cookie strategy', () => {
  it('uses credentials "include", sends no Cookie header, and treats a hidden redirect as a lost session', async () => {
    const seen: RequestInit[] = [];
    const fakeFetch = async (_url: string, init: RequestInit): Promise<Response> => {
      seen.push(init);
      return new Response('{"status":"OK","message":"","user":[{"email":"a@b.c","ua_admin":"0"}]}', { headers: { 'content-type': 'application/json' } });
    };
    const client = createConsoleClient({
      fetch: fakeFetch,
      baseUrl: 'https://console.example.com/rest/',
      cookies: { kind: 'browser' },
      auth: { kind: 'browserSession' },
    });
    expect((await client.ping()).email).toBe('a@b.c');
    expect(seen.every((init) => init.credentials === 'include' && init.redirect === 'manual')).toBe(true);
    expect(seen.every((init) => !('cookie' in (init.headers as Record<string, string>)))).toBe(true);

    const opaque = async (): Promise<Response> => Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' });
    const hidden = createConsoleClient({
      fetch: opaque,
      baseUrl: 'https://console.example.com/rest/',
      cookies: { kind: 'browser' },
      auth: { kind: 'browserSession' },
    });
    const error = await failureOf(hidden.ping());
    expect(error.kind).toBe('redirect');
    expect(error.message).toMatch(/sign-in page/);
  });
});

describe('console client in a browser: one sign-in, checked by the call it was made for', () => {
  const REST = '/mocana-app-control/rest/';
  const LOGIN = `POST ${REST}user/ping/j_security_check`;
  const DEFAULT = `GET ${REST}settings/client-certs-default-profile`;
  const PROFILE = `GET ${REST}profile/${CORPORATE_PROFILE_ID}`;
  const inBrowser = (browser: ReturnType<typeof browserLikeFetch>, overrides: Partial<ConsoleClientOptions> = {}) =>
    createConsoleClient({ fetch: browser.fetch, baseUrl: emulator.url, cookies: { kind: 'browser' }, auth: adminAuth, ...overrides });
  const sync = async (client: ReturnType<typeof createConsoleClient>) => client.getProfile((await client.getDefaultProfileId()) ?? '');

  it('signs in with no request of its own to check the sign-in: sign-in, default, profile', async () => {
    const browser = browserLikeFetch();
    expect((await sync(inBrowser(browser))).rules).toEqual(CORPORATE_RULES);
    expect(browser.sent).toEqual([LOGIN, DEFAULT, PROFILE]);
  });

  it('with reuseSession, a live session is used as it is: no sign-in', async () => {
    const browser = browserLikeFetch();
    await sync(inBrowser(browser));
    browser.sent.length = 0;
    expect((await sync(inBrowser(browser, { reuseSession: true }))).rules).toEqual(CORPORATE_RULES);
    expect(browser.sent).toEqual([DEFAULT, PROFILE]);
  });

  it('with reuseSession, a session the console no longer knows costs one sign-in, once the console said so', async () => {
    const browser = browserLikeFetch();
    await sync(inBrowser(browser));
    emulator.expireSessions();
    browser.sent.length = 0;
    expect((await sync(inBrowser(browser, { reuseSession: true }))).rules).toEqual(CORPORATE_RULES);
    expect(browser.sent).toEqual([DEFAULT, LOGIN, DEFAULT, PROFILE]);
  });

  it('without reuseSession, a live session is not tried: the fresh sign-in replaces it', async () => {
    const browser = browserLikeFetch();
    await sync(inBrowser(browser));
    browser.sent.length = 0;
    await sync(inBrowser(browser));
    expect(browser.sent).toEqual([LOGIN, DEFAULT, PROFILE]);
  });

  it('a sign-in the console answers with a hidden redirect but does not accept: authentication failed, with no second sign-in', async () => {
    emulator.setFault('login', { type: 'login-redirect' });
    const browser = browserLikeFetch();
    const error = await failureOf(sync(inBrowser(browser, { auth: { kind: 'form', username: DEMO_ADMIN.email, password: 'wrong' } })));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/^authentication failed/);
    expect(browser.sent).toEqual([LOGIN, DEFAULT]);
  });

  it('a tried session that is gone, then a sign-in that does not take: authentication failed after one sign-in', async () => {
    emulator.setFault('login', { type: 'login-redirect' });
    const browser = browserLikeFetch();
    const error = await failureOf(sync(inBrowser(browser, { reuseSession: true })));
    expect(error).toMatchObject({ kind: 'auth' });
    expect(error.message).toMatch(/^authentication failed/);
    expect(browser.sent).toEqual([DEFAULT, LOGIN, DEFAULT]);
  });

  it('a session dropped between two calls is renewed by one more sign-in', async () => {
    const browser = browserLikeFetch();
    const client = inBrowser(browser);
    const id = await client.getDefaultProfileId();
    emulator.setFault('profile', { type: 'expire-session', times: 1 });
    expect((await client.getProfile(id ?? '')).rules).toEqual(CORPORATE_RULES);
    expect(browser.sent).toEqual([LOGIN, DEFAULT, PROFILE, LOGIN, PROFILE]);
  });
});
