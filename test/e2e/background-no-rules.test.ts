import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { TabState } from '../../src/shared/tab-state';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { environmentForSuite } from './support/suite-environment';
import { E2E_USER, HOSTS } from './support/scenario';

/** A port nothing listens on: the console is unreachable from the very first start. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The console cannot be reached from the first start and the policy carries
 * an invalid value: every TLS decision is `no-rules` (fail closed, "rules
 * unavailable"), the invalid value is reported and its safe default applies.
 */
describe('console unreachable from the first start, invalid policy value (Chromium)', () => {
  let env: E2eEnvironment;
  environmentForSuite(
    'e2e no-rules suite',
    async () => {
      const port = await closedPort();
      env = await startEnvironment({
        seed: null,
        policy: () => ({
          consoleUrl: `http://127.0.0.1:${port}/mocana-app-control/rest/`,
          authMode: 'form',
          username: E2E_USER.email,
          password: E2E_USER.password,
          // Not one of off | warn | block. managed_schema.json types it only as a
          // string, so Chromium passes it through and the extension itself
          // reports it (an enum there would make Chromium drop it silently).
          guard: 'sometimes',
        }),
      });
      return env;
    },
    600_000,
  );

  it('reports the invalid guard value as a policy error and applies the safe default (off)', async () => {
    const status = await env.ext.ask({ type: 'getStatus' });
    expect(status.settings.managedPresent).toBe(true);
    expect(status.settings.policyErrors).toEqual([expect.objectContaining({ key: 'guard', message: expect.stringContaining('sometimes') })]);
    expect(status.settings.values['guard']).toBe('off');
    // Still the policy's key: a local setting cannot take its place.
    expect(status.settings.origins['guard']).toBe('policy');
    expect(status.guard).toMatchObject({ mode: 'off', browserRules: 0 });
    expect(await env.ext.send({ type: 'setLocalSettings', settings: { guard: 'block' } })).toMatchObject({ ok: false, error: { code: 'managed' } });
  });

  it('records the failed sync and decides every TLS request "no-rules", with the "rules unavailable" badge', async () => {
    await expect.poll(async () => (await env.ext.ask({ type: 'getStatus' })).sync.lastError?.code, { timeout: 20_000 }).toBe('network');
    const { sites } = env;
    const page = await env.ext.open(
      sites.pageWith(HOSTS.allowed, [sites.site(HOSTS.image, '/a.png'), sites.site(HOSTS.deny, '/b.png'), sites.site(HOSTS.unmatched, '/c.png')]),
    );
    const tabId = await env.ext.tabId(page);
    let state: TabState | null = null;
    await expect
      .poll(
        async () => {
          state = await env.ext.ask({ type: 'getTabState', tabId });
          return state?.endpoints.length ?? 0;
        },
        // The page and its three images; generous, as the machine may be busy with the rest of the suite.
        { timeout: 20_000 },
      )
      .toBe(4);
    const settled = state as unknown as TabState;
    const noRules = { decision: 'noCertificate', reason: 'no-rules', rule: null };
    expect(settled.verdict).toEqual(noRules);
    for (const endpoint of settled.endpoints) expect(endpoint.verdict, endpoint.host).toEqual(noRules);
    const badge = await env.ext.badge(tabId);
    expect(badge.text).toBe('!');
    expect(badge.title).toContain('Rules unavailable');
    const popup = await env.ext.ask({ type: 'getPopupState', tabId });
    expect(popup.rulesAvailable).toBe(false);
    expect(popup.sync.lastError?.code).toBe('network');
    await page.close();
  });

  // A local deny rule does not make the rules usable: the console configured by
  // policy has never been synced, so its profile's rules are not known and may
  // deny what nothing else does (docs/rules.md §5 step 2). Every decision stays
  // no-rules, the local host included, and with the guard off nothing is stopped.
  it('with guard off and the console never synced, a local deny rule neither decides nor stops the navigation', async () => {
    const { sites } = env;
    // Any policy makes localRules default to denyOnly: a deny rule may be added.
    await env.ext.ask({ type: 'setLocalRules', rules: [{ host: HOSTS.localDeny, port: '*', action: 'noCertificate' }] });
    const page = await env.ext.open(sites.site(HOSTS.localDeny, '/reached'));
    expect(page.url()).toBe(sites.site(HOSTS.localDeny, '/reached'));
    expect(sites.requestsTo(HOSTS.localDeny)).toHaveLength(1);
    const tabId = await env.ext.tabId(page);
    await expect
      .poll(async () => (await env.ext.ask({ type: 'getTabState', tabId }))?.verdict, { timeout: 10_000 })
      .toEqual({ decision: 'noCertificate', reason: 'no-rules', rule: null });
    expect((await env.ext.badge(tabId)).text).toBe('!');
    expect(await env.ext.inWorker(() => chrome.declarativeNetRequest.getDynamicRules(), null)).toEqual([]);
    expect((await env.ext.ask({ type: 'evaluateUrl', url: sites.site(HOSTS.allowed) })).reason).toBe('no-rules');
    // Why: the console profile, never synced, with the last attempt's failure.
    const popup = await env.ext.ask({ type: 'getPopupState', tabId });
    expect(popup.unavailable).toEqual([expect.objectContaining({ source: 'profile', code: 'not-synced', message: popup.sync.lastError?.message })]);
    expect(popup.sync.lastError?.code).toBe('network');
    const sources = await env.ext.ask({ type: 'getRuleSources' });
    expect(sources.sources.find((source) => source.name === 'local')).toMatchObject({ rules: [{ host: HOSTS.localDeny }] });
    await page.close();
  });
});
