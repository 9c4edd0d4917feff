import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { expectNothingReached } from './support/guard-spelling-checks';
import { HOSTS } from './support/scenario';
import { environmentForSuite } from './support/suite-environment';

/**
 * Chromium connects ahead of a navigation (network prediction): without the
 * extension's setting, a navigation the guard stops still sends one to three
 * TLS handshakes naming the denied host, before any redirect rule can act.
 * The site server logs every handshake's name (SNI), which is the proof here.
 * Each navigation goes to a host never contacted before: a connection kept
 * open from an earlier visit would make a preconnect unnecessary.
 */
const DENY_ALL_BLOCKED = { host: '*.blocked.acme.test', port: '*', action: 'noCertificate' };
let fresh = 0;
const freshDenied = (label: string) => `${label}-${++fresh}.blocked.acme.test`;
const freshAllowed = (label: string) => `${label}-${++fresh}.acme.test`;

async function status(env: E2eEnvironment) {
  return env.ext.ask({ type: 'getStatus' });
}

/** The browser's setting as the extension sees it. */
async function prediction(env: E2eEnvironment) {
  return env.ext.inWorker(() => chrome.privacy.network.networkPredictionEnabled.get({}), null);
}

const HELD_OFF = { value: false, levelOfControl: 'controlled_by_this_extension' };
const USERS_ON = { value: true, levelOfControl: 'controllable_by_this_extension' };

/** Opens `url` in a fresh tab the way `how` says, and returns the tab once it is on the guard page. */
async function navigateToDenied(env: E2eEnvironment, how: 'typed' | 'link' | 'script', url: string): Promise<Page> {
  const guardPage = env.ext.extensionUrl('src/ui/guard/index.html');
  const page = await env.ext.context.newPage();
  if (how === 'typed') {
    await env.ext.navigate(page, url);
  } else {
    await env.ext.navigate(page, env.sites.site(HOSTS.allowed, `/start-${how}`));
    await page.evaluate(
      ([href, viaLink]) => {
        if (!viaLink) {
          location.href = href;
          return;
        }
        const link = document.createElement('a');
        link.href = href;
        link.id = 'go';
        link.textContent = 'go';
        document.body.append(link);
      },
      [url, how === 'link'] as const,
    );
    // A real click: the mouse moves over the link and presses, which is when browsers like to preconnect.
    if (how === 'link') await page.click('#go');
  }
  await page.waitForURL((current) => current.href.startsWith(guardPage), { timeout: 10_000 });
  return page;
}

/** Waits long enough for a preconnect to show (measured at 20–260 ms after the navigation starts). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

describe('network prediction while the guard is on (Chromium, guard set locally)', () => {
  let env: E2eEnvironment;
  environmentForSuite(
    'e2e network-prediction suite',
    async () => (env = await startEnvironment({ seed: null, policy: () => ({ localRules: 'all' }) })),
    600_000,
  );

  it('leaves the setting alone while the guard is off', async () => {
    expect((await env.ext.send({ type: 'setLocalRules', rules: [DENY_ALL_BLOCKED] })).ok).toBe(true);
    expect((await status(env)).guard).toMatchObject({ mode: 'off' });
    expect(await prediction(env)).toEqual(USERS_ON);
  });

  it('turns it off with the guard on: a stopped navigation sends no TLS handshake naming the denied host', async () => {
    expect((await env.ext.send({ type: 'setLocalSettings', settings: { guard: 'block' } })).ok).toBe(true);
    await expect.poll(async () => (await status(env)).guard, { timeout: 10_000 }).toMatchObject({ mode: 'block', applied: true });
    expect(await prediction(env)).toEqual(HELD_OFF);
    const denied: string[] = [];
    for (const how of ['typed', 'link', 'script'] as const) {
      const host = freshDenied(how);
      denied.push(host);
      const page = await navigateToDenied(env, how, env.sites.site(host, `/${how}`));
      await settle();
      await page.close();
    }
    expectNothingReached(env.sites, denied, { handshakes: true });
    // The log sees handshakes: an allowed host's navigation shows its own.
    const allowed = freshAllowed('allowed');
    const page = await env.ext.open(env.sites.site(allowed, '/'));
    expect(env.sites.handshakesTo(allowed).length).toBeGreaterThan(0);
    await page.close();
  });

  it('would show the preconnect with prediction on: the handshake log catches it (the control for the check above)', async () => {
    // The extension's own value, switched on from inside it for this check only.
    await env.ext.inWorker(() => chrome.privacy.network.networkPredictionEnabled.set({ value: true }), null);
    const host = freshDenied('predicted');
    const page = await navigateToDenied(env, 'typed', env.sites.site(host, '/predicted'));
    await expect.poll(() => env.sites.handshakesTo(host).length, { timeout: 5_000 }).toBeGreaterThan(0);
    // Still no request: the guard stopped the navigation; only the preconnect got through.
    expect(env.sites.requestsTo(host)).toEqual([]);
    await page.close();
    await env.ext.inWorker(() => chrome.privacy.network.networkPredictionEnabled.set({ value: false }), null);
  });

  it('gives the setting back when the guard is turned off', async () => {
    expect((await env.ext.send({ type: 'setLocalSettings', settings: { guard: 'off' } })).ok).toBe(true);
    await expect.poll(async () => (await status(env)).guard, { timeout: 10_000 }).toMatchObject({ mode: 'off', applied: true });
    expect(await prediction(env)).toEqual(USERS_ON);
  });
});

describe('network prediction held by a policy (Chromium NetworkPredictionOptions)', () => {
  const guardPolicy = () => ({ rules: [DENY_ALL_BLOCKED], guard: 'block' });

  describe('NetworkPredictionOptions 2 (never), as docs/deploy.md recommends', () => {
    let env: E2eEnvironment;
    environmentForSuite(
      'e2e prediction-policy-off suite',
      async () => (env = await startEnvironment({ seed: null, policy: guardPolicy, browserPolicy: { NetworkPredictionOptions: 2 } })),
      600_000,
    );

    it('finds prediction off by policy, and no handshake names a denied host', async () => {
      await expect.poll(async () => (await status(env)).guard, { timeout: 10_000 }).toMatchObject({ mode: 'block', applied: true });
      expect(await prediction(env)).toEqual({ value: false, levelOfControl: 'not_controllable' });
      const host = freshDenied('policy-off');
      const page = await navigateToDenied(env, 'typed', env.sites.site(host, '/'));
      await settle();
      await page.close();
      expectNothingReached(env.sites, [host], { handshakes: true });
    });
  });

  describe('NetworkPredictionOptions 0 (always)', () => {
    let env: E2eEnvironment;
    environmentForSuite(
      'e2e prediction-policy-on suite',
      async () => (env = await startEnvironment({ seed: null, policy: guardPolicy, browserPolicy: { NetworkPredictionOptions: 0 } })),
      600_000,
    );

    it('cannot turn prediction off, and says so on the options page', async () => {
      await expect.poll(async () => (await status(env)).guard, { timeout: 10_000 }).toMatchObject({ mode: 'block', applied: true });
      expect(await prediction(env)).toEqual({ value: true, levelOfControl: 'not_controllable' });
      const options = await env.ext.context.newPage();
      await options.goto(env.ext.extensionUrl('src/ui/options/index.html#policy'));
      await expect.poll(() => options.locator('[data-guard="block"]').innerText(), { timeout: 10_000 }).toContain('NetworkPredictionOptions to 2');
      await options.close();
    });
  });
});
