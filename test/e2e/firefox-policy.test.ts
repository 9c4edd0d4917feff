import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirefoxEnvironment, type FirefoxEnvironment } from './support/firefox-environment';
import { pollUntil } from './support/poll';
import { E2E_USER, HOSTS } from './support/scenario';
import { environmentForSuite } from './support/suite-environment';

/** A loopback URL where nothing listens: a console that is down from the very first start. */
async function deadConsoleUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/mocana-app-control/rest/`;
}

/**
 * Firefox hands policies.json to storage.managed as it is: no schema check
 * (Chrome drops values that do not fit managed_schema.json), and with no
 * policy at all storage.managed.get() throws instead of answering {}. The
 * extension's own validation is what stands between a typo and the browser.
 */
describe('Firefox ESR without policies.json', () => {
  let env: FirefoxEnvironment;

  beforeAll(async () => {
    env = await startFirefoxEnvironment({ seed: null, policy: null });
  });

  afterAll(async () => {
    await env?.close();
  });

  it('storage.managed throws "Managed storage manifest not found", which the extension takes as "no policy"', async () => {
    const read = await env.ext.inExtension(
      (api) =>
        api.storage.managed.get().then(
          (value) => ({ value, error: null }),
          (error: Error) => ({ value: null, error: error.message }),
        ),
      null,
    );
    expect(read).toEqual({ value: null, error: 'Managed storage manifest not found' });
    const status = await env.ext.ask({ type: 'getStatus' });
    expect(status.settings).toMatchObject({ managedPresent: false, policyErrors: [], policyWarnings: [] });
    // No policy: local rules may do everything, and nothing syncs.
    expect(status.settings.values['localRules']).toBe('all');
    expect(status.sync.configured).toBe(false);
  });
});

describe('Firefox ESR with an invalid policies.json value and the console down from the first start', () => {
  let env: FirefoxEnvironment;
  let consoleUrl: string;
  environmentForSuite('firefox policy suite (invalid value, console down)', async () => {
    consoleUrl = await deadConsoleUrl();
    env = await startFirefoxEnvironment({
      seed: null,
      policy: () => ({ consoleUrl, authMode: 'form', username: E2E_USER.email, password: E2E_USER.password, guard: 'sometimes' }),
    });
    return env;
  });

  it('Firefox passes guard: "sometimes" through; the status reports it and the safe default (off) applies', async () => {
    const raw = await env.ext.inExtension((api) => api.storage.managed.get('guard'), null);
    expect(raw).toEqual({ guard: 'sometimes' });
    const status = await env.ext.ask({ type: 'getStatus' });
    expect(status.settings.managedPresent).toBe(true);
    expect(status.settings.policyErrors).toEqual([{ key: 'guard', message: expect.stringContaining('sometimes') }]);
    expect(status.settings.values['guard']).toBe('off');
    // Still the policy's key: a local setting cannot take the invalid value's place.
    expect(status.settings.origins['guard']).toBe('policy');
    expect(status.guard).toMatchObject({ mode: 'off', browserRules: 0 });
    const locked = await env.ext.send({ type: 'setLocalSettings', settings: { guard: 'warn' } });
    expect(locked).toMatchObject({ ok: false, error: { code: 'managed' } });
    // The valid keys beside it are in force.
    expect(status.settings.values['consoleUrl']).toBe(consoleUrl);
  });

  it('with the console unreachable, every TLS decision is "rules unavailable", on the badge too', async () => {
    const status = await pollUntil(
      () => env.ext.ask({ type: 'getStatus' }),
      (value) => value.sync.lastError !== null,
      {
        timeoutMs: 20_000,
        what: 'the first sync attempt to fail',
      },
    );
    expect(status.sync).toMatchObject({ configured: true, lastSuccessAt: null });
    expect(status.sync.lastError?.code).toBe('network');
    expect((await env.ext.ask({ type: 'getRuleSources' })).rulesAvailable).toBe(false);

    const { sites } = env;
    for (const host of [HOSTS.allowed, HOSTS.deny, HOSTS.unmatched]) {
      const page = await env.ext.open(sites.site(host, '/unavailable'));
      const state = await env.ext.tabState(page, (s) => s.host === host);
      expect(state.verdict, host).toEqual({ decision: 'noCertificate', reason: 'no-rules', rule: null });
      expect(state.endpoints.every((entry) => entry.verdict.reason === 'no-rules')).toBe(true);
      const badge = await env.ext.badge(await env.ext.tabId(page));
      expect(badge.text).toBe('!');
      expect(badge.title).toContain('Rules unavailable');
      if (host === HOSTS.deny) {
        // Guard off and no rules: nothing is stopped (the server saw the request).
        expect(sites.requestsTo(host)).toHaveLength(1);
        const popup = await env.ext.openExtensionPage(`src/ui/popup/index.html?tabId=${state.tabId}`);
        const text = await pollUntil(
          () => popup.evaluate(() => document.body.innerText),
          (shown) => shown.includes('Rules unavailable'),
          {
            what: 'the popup to say rules unavailable',
          },
        );
        expect(text).toContain(host);
        await popup.close();
      }
      await page.close();
    }
    // An http page is still "not TLS", not "unavailable".
    const plain = await env.ext.open(sites.plain(HOSTS.plain, '/'));
    expect((await env.ext.tabState(plain, (s) => s.url.startsWith('http:'))).verdict.reason).toBe('not-tls');
    await plain.close();
  });
});
