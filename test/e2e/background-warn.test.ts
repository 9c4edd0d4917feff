import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TabState } from '../../src/shared/tab-state';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { HOSTS, MANAGED_RULES, e2eSeed } from './support/scenario';
import {
  consoleFormPolicy,
  expectAllowedBadge,
  expectAllowedPageVerdicts,
  expectConsolePolicyRead,
  expectDefaultProfileSynced,
  expectUnmatchedAndPlainBadges,
} from './support/shared-scenarios';
import { environmentForSuite } from './support/suite-environment';

/**
 * One Chromium launch with a managed policy: the console (form login) as the
 * profile source, managed rules, local rules limited to deny rules, guard
 * `warn`. The tests run in order and share the browser.
 */
describe('the extension at work in Chromium (policy: console, managed rules, localRules denyOnly, guard warn)', () => {
  let env: E2eEnvironment;
  // Generous timeout: another run on this machine may hold the policy lock for a while.
  environmentForSuite(
    'e2e warn suite',
    async () =>
      (env = await startEnvironment({
        seed: e2eSeed(),
        policy: consoleFormPolicy({ rules: MANAGED_RULES, localRules: 'denyOnly', guard: 'warn', syncIntervalMinutes: 60 }),
      })),
    600_000,
  );

  /** The tab's state once `until` holds (events reach the background asynchronously). */
  const tabState = async (page: Page, until: (state: TabState) => boolean, url?: string): Promise<TabState> => {
    const tabId = await env.ext.tabId(page, url);
    const deadline = Date.now() + 10_000;
    let state: TabState | null = null;
    while (Date.now() < deadline) {
      state = await env.ext.ask({ type: 'getTabState', tabId });
      if (state !== null && until(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`tab ${tabId} never reached the expected state; last state: ${JSON.stringify(state, null, 1)}`);
  };

  const waitForFrame = async (page: Page, prefix: string) => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const frame = page.frames().find((candidate) => candidate.url().startsWith(prefix));
      if (frame) return frame;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no frame at ${prefix}`);
  };

  it('reads the managed policy, and never shows its password', async () => {
    await expectConsolePolicyRead(env.ext, env.console?.url, { guard: 'warn', localRules: 'denyOnly' });
  });

  it('syncs the console default profile at first start (form login)', async () => {
    const sources = await expectDefaultProfileSynced(env.ext, env.console?.requests);
    expect(sources.sources.map((source) => [source.name, source.inForce])).toEqual([
      ['managed', true],
      ['profile', true],
      ['local', false],
    ]);
  });

  let allowedPage: Page;

  it('decides an allowed page and every TLS endpoint it contacts, and records the client-certificate failure of an image', async () => {
    const { sites } = env;
    allowedPage = await env.ext.open(
      sites.pageWith(HOSTS.allowed, [
        sites.site(HOSTS.image, '/a.png'),
        sites.site(HOSTS.deny, '/sub.png'),
        sites.site(HOSTS.unmatched, '/c.png'),
        sites.mtls(HOSTS.mtls, '/needs-cert.png'),
      ]),
    );
    const state = await tabState(allowedPage, (s) => s.clientAuthEvents.length > 0 && s.endpoints.length >= 5);
    expectAllowedPageVerdicts(state, sites, sites.mtlsPort);
    expect(state.clientAuthEvents).toEqual([
      expect.objectContaining({
        host: HOSTS.mtls,
        port: String(sites.mtlsPort),
        error: 'net::ERR_BAD_SSL_CLIENT_AUTH_CERT',
        resourceType: 'image',
        verdict: expect.objectContaining({ decision: 'useEnrollmentCertificate', reason: 'allow-rule' }),
      }),
    ]);
    expect(sites.requestsTo(HOSTS.deny).length).toBeGreaterThan(0);
    await expectAllowedBadge(env.ext, allowedPage);
  });

  it('gives an unmatched host "no rule matched" and an http page "not TLS", each with its own badge', async () => {
    await expectUnmatchedAndPlainBadges(env.ext, (page, until) => tabState(page, until), env.sites, allowedPage);
  });

  it('records a top-level navigation that the mTLS server refuses, with the rules’ decision for it', async () => {
    const { sites } = env;
    const page = await env.ext.open(sites.mtls(HOSTS.mtls, '/login'));
    // The tab shows Chromium's error page; its URL stays the one that failed.
    const state = await tabState(page, (s) => s.host === HOSTS.mtls && s.clientAuthEvents.length > 0, sites.mtls(HOSTS.mtls, '/login'));
    expect(state.verdict.reason).toBe('allow-rule');
    expect(state.clientAuthEvents).toEqual([
      expect.objectContaining({
        url: sites.mtls(HOSTS.mtls, '/login'),
        error: 'net::ERR_BAD_SSL_CLIENT_AUTH_CERT',
        resourceType: 'main_frame',
        verdict: state.verdict,
      }),
    ]);
    expect(sites.mtlsRejections.length).toBeGreaterThan(0);
    expect(sites.requestsTo(HOSTS.mtls)).toEqual([]);
    await page.close();
  });

  it('guard warn: a deny-rule host shows the guard page before any request reaches it, and "continue" goes through for the session', async () => {
    const { sites } = env;
    const blockedUrl = sites.site(HOSTS.blocked, '/secret?x=1&y=two');
    const page = await env.ext.open(blockedUrl);
    expect(page.url()).toBe(`${env.ext.extensionUrl('src/ui/guard/index.html')}?url=${blockedUrl}`);
    await expect.poll(() => page.locator('main').innerText(), { timeout: 10_000 }).toContain(HOSTS.blocked);
    expect(sites.requestsTo(HOSTS.blocked)).toEqual([]);

    // The tab's decision is the blocked site's, and so is its badge.
    const state = await tabState(page, (s) => s.host === HOSTS.blocked);
    expect(state.verdict).toMatchObject({ decision: 'noCertificate', reason: 'deny-rule', rule: { source: 'profile', index: 2, host: '*.blocked.acme.test' } });
    expect((await env.ext.badge(await env.ext.tabId(page))).text).toBe('✕');

    // The apex is not covered by *.blocked.acme.test (requestDomains alone would have caught it).
    const apex = await env.ext.open(sites.site(HOSTS.blockedApex, '/apex'));
    expect(apex.url()).toBe(sites.site(HOSTS.blockedApex, '/apex'));
    expect(sites.requestsTo(HOSTS.blockedApex)).toHaveLength(1);
    await apex.close();

    await page.locator('button.danger').click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toBe(blockedUrl);
    expect(sites.requestsTo(HOSTS.blocked).map((request) => request.path)).toEqual(['/secret?x=1&y=two']);
    // For the rest of the session, the same origin goes through without asking again;
    await env.ext.navigate(page, sites.site(HOSTS.blocked, '/again'));
    expect(page.url()).toBe(sites.site(HOSTS.blocked, '/again'));
    // another host under the same rule is still guarded.
    await env.ext.navigate(page, sites.site(HOSTS.blockedOther, '/'));
    expect(page.url()).toContain(env.ext.extensionUrl('src/ui/guard/index.html'));
    expect(sites.requestsTo(HOSTS.blockedOther)).toEqual([]);
    const status = await env.ext.ask({ type: 'getStatus' });
    expect(status.guard).toMatchObject({ mode: 'warn', applied: true, notFitted: [], bypassed: [`https://${HOSTS.blocked}:${sites.sitePort}`] });
    await page.close();
  });

  /** The guard page's address for this browser session (use_dynamic_url): what a site would need to learn to open it. */
  const sessionGuardUrl = () => env.ext.inWorker(() => chrome.runtime.getURL('src/ui/guard/index.html'), undefined);

  /** Opens `url` from a web page the way a site would (window.open), and gives the new tab once its load settled. */
  const openFromSite = async (site: Page, url: string): Promise<Page> => {
    const [opened] = await Promise.all([env.ext.context.waitForEvent('page'), site.evaluate((target) => void window.open(target), url)]);
    await opened.waitForLoadState('load', { timeout: 10_000 }).catch(() => undefined);
    return opened;
  };

  it('guard warn: a web page cannot frame the guard page at its public address, nor pass the guard from a frame at any address', async () => {
    const { sites } = env;
    const target = sites.site(HOSTS.blockedOther, '/framed');
    const publicGuard = env.ext.extensionUrl('src/ui/guard/index.html');
    const page = await env.ext.open(sites.site(HOSTS.image, '/framer'));
    const frameFrom = (src: string) =>
      page.evaluate(
        (address) =>
          new Promise<void>((resolve) => {
            const frame = document.createElement('iframe');
            frame.addEventListener('load', () => resolve(), { once: true });
            frame.src = address;
            document.body.append(frame);
          }),
        src,
      );
    // The fixed public address: Chromium refuses to load it in a web page (use_dynamic_url).
    await frameFrom(`${publicGuard}?url=${target}`);
    expect(page.frames().filter((frame) => frame.url().startsWith('chrome-extension://'))).toEqual([]);

    // The session's address, as if the site had learned it: the frame loads, but cannot pass the guard.
    const sessionGuard = await sessionGuardUrl();
    expect(sessionGuard).not.toBe(publicGuard);
    await frameFrom(`${sessionGuard}?url=${target}`);
    const guardFrame = await waitForFrame(page, 'chrome-extension://');
    const reply = await guardFrame.evaluate((url) => chrome.runtime.sendMessage({ type: 'guardContinue', url }), target);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await env.ext.navigate(page, target);
    expect(page.url()).toContain(publicGuard);
    expect(sites.requestsTo(HOSTS.blockedOther)).toEqual([]);
    await page.close();
  });

  it('guard warn: a web page that opens the guard page with an arbitrary address in a tab gets no continue', async () => {
    const { sites } = env;
    const arbitrary = sites.site(HOSTS.unmatched, '/sign-in');
    const publicGuard = env.ext.extensionUrl('src/ui/guard/index.html');
    const site = await env.ext.open(sites.site(HOSTS.image, '/opener'));

    // At the fixed public address the browser does not even show the page.
    const blocked = await openFromSite(site, `${publicGuard}?url=${arbitrary}`);
    expect(blocked.url()).not.toContain('chrome-extension://');
    await blocked.close();

    // At the session's address, as if the site had learned it, the page shows but refuses: it was not opened by the guard.
    const opened = await openFromSite(site, `${await sessionGuardUrl()}?url=${arbitrary}`);
    expect(opened.url()).toBe(`${publicGuard}?url=${arbitrary}`);
    await expect.poll(() => opened.locator('main').innerText(), { timeout: 10_000 }).toContain('This page was not opened by the guard');
    expect(await opened.locator('button').count()).toBe(0);
    // Nor does the background let the address through when the page asks (a top-level tab of the guard page).
    const reply = await opened.evaluate((url) => chrome.runtime.sendMessage({ type: 'guardContinue', url }), arbitrary);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining(HOSTS.unmatched) } });
    expect((await env.ext.ask({ type: 'getStatus' })).guard.bypassed).not.toContain(`https://${HOSTS.unmatched}:${sites.sitePort}`);
    expect(sites.requestsTo(HOSTS.unmatched).map((request) => request.path)).not.toContain('/sign-in');
    await Promise.all([opened.close(), site.close()]);
  });

  it('honours managed rules (before the profile) and local rules as policy allows (denyOnly)', async () => {
    const { sites } = env;
    const managedAllow = await env.ext.ask({ type: 'evaluateUrl', url: sites.site(HOSTS.managedAllow) });
    expect(managedAllow).toMatchObject({ decision: 'useEnrollmentCertificate', rule: { source: 'managed', index: 0 } });
    const managed = await env.ext.open(sites.site(HOSTS.managedDeny, '/m'));
    expect(managed.url()).toContain(env.ext.extensionUrl('src/ui/guard/index.html'));
    const managedState = await tabState(managed, (s) => s.host === HOSTS.managedDeny);
    expect(managedState.verdict).toMatchObject({ reason: 'deny-rule', rule: { source: 'managed', index: 1 } });
    await managed.close();

    // denyOnly: an allow rule is refused, nothing is saved; a deny rule is accepted and guarded at once.
    const refused = await env.ext.send({ type: 'setLocalRules', rules: [{ host: HOSTS.unmatched, port: '*', action: 'useEnrollmentCertificate' }] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-rules' } });
    expect((await env.ext.ask({ type: 'evaluateUrl', url: sites.site(HOSTS.unmatched) })).reason).toBe('no-match');
    const saved = await env.ext.ask({ type: 'setLocalRules', rules: [{ host: HOSTS.localDeny, port: '*', action: 'noCertificate' }] });
    expect(saved.sources.find((source) => source.name === 'local')).toMatchObject({ editable: true, inForce: true });
    expect((await env.ext.ask({ type: 'getStatus' })).guard.applied).toBe(true);
    const local = await env.ext.open(sites.site(HOSTS.localDeny, '/l'));
    expect(local.url()).toContain(env.ext.extensionUrl('src/ui/guard/index.html'));
    const localState = await tabState(local, (s) => s.host === HOSTS.localDeny);
    expect(localState.verdict).toMatchObject({ reason: 'deny-rule', rule: { source: 'local', index: 0 } });
    expect(sites.requestsTo(HOSTS.localDeny)).toEqual([]);
    await local.close();

    // A managed setting cannot be changed locally.
    const locked = await env.ext.send({ type: 'setLocalSettings', settings: { guard: 'off' } });
    expect(locked).toMatchObject({ ok: false, error: { code: 'managed' } });
  });

  it('keeps the popup-facing state of a tab when the service worker is killed and restarted', async () => {
    const tabId = await env.ext.tabId(allowedPage);
    const before = await env.ext.ask({ type: 'getTabState', tabId });
    const popupBefore = await env.ext.ask({ type: 'getPopupState', tabId });
    expect(before?.clientAuthEvents.length).toBeGreaterThan(0);
    expect(before?.endpoints.length).toBeGreaterThanOrEqual(5);
    const badgeBefore = await env.ext.badge(tabId);

    await env.ext.stopWorker();
    // The next message wakes a fresh worker, which must find everything in storage.
    const after = await env.ext.ask({ type: 'getTabState', tabId });
    const popupAfter = await env.ext.ask({ type: 'getPopupState', tabId });
    expect(after).toEqual(before);
    expect(popupAfter.tab).toEqual(popupBefore.tab);
    expect(popupAfter.current).toEqual(popupBefore.current);
    expect(popupAfter.rulesAvailable).toBe(true);
    expect(await env.ext.badge(tabId)).toEqual(badgeBefore);

    // The restarted worker decides new navigations with the same rules (its listeners are back at top level,
    // its rules came from the compiled cache); stopped again, the next event alone wakes it.
    await env.ext.stopWorker();
    await env.ext.navigate(allowedPage, env.sites.site(HOSTS.image, '/after-restart'));
    const next = await tabState(allowedPage, (s) => s.host === HOSTS.image);
    expect(next.verdict).toMatchObject({ reason: 'allow-rule', rule: { source: 'profile', index: 0 } });
    expect(next.clientAuthEvents).toEqual([]);
    expect((await env.ext.badge(tabId)).text).toBe('✓');
    await env.ext.navigate(allowedPage, env.sites.site(HOSTS.unmatched, '/after-restart'));
    expect((await tabState(allowedPage, (s) => s.host === HOSTS.unmatched)).verdict.reason).toBe('no-match');
    expect((await env.ext.badge(tabId)).text).toBe('–');
  });
});
