import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { clientAuthKind } from '../../src/background/client-auth-errors';
import { followLinkFrom } from './support/firefox-link';
import { startFirefoxEnvironment, type FirefoxEnvironment } from './support/firefox-environment';
import { E2E_PROFILE_NAME, HOSTS, MANAGED_RULES, e2eSeed } from './support/scenario';
import {
  consoleFormPolicy,
  endpoint,
  expectAllowedBadge,
  expectAllowedPageVerdicts,
  expectConsolePolicyRead,
  expectDefaultProfileSynced,
  expectUnmatchedAndPlainBadges,
} from './support/shared-scenarios';
import { environmentForSuite } from './support/suite-environment';

/**
 * Firefox ESR with policies.json: the console (form login) as the profile
 * source, managed rules, guard `warn`. The same scenarios as the Chromium
 * suite (background-warn.test.ts) where Firefox supports them. Not here:
 * killing the background — Firefox runs a background page (an event page
 * under MV3) that WebDriver BiDi can neither see nor stop; the state it would
 * lose lives in storage.session as in Chrome, and the Chromium suite proves a
 * restart keeps it.
 */
describe('the extension at work in Firefox ESR (policies.json: console, managed rules, guard warn)', () => {
  let env: FirefoxEnvironment;
  environmentForSuite(
    'firefox at-work suite',
    async () =>
      (env = await startFirefoxEnvironment({ seed: e2eSeed(), policy: consoleFormPolicy({ rules: MANAGED_RULES, guard: 'warn', syncIntervalMinutes: 60 }) })),
  );

  it('reads policies.json through storage.managed, and never shows its password', async () => {
    // Any policy makes local rules deny-only unless it says otherwise.
    await expectConsolePolicyRead(env.ext, env.console?.url, { guard: 'warn', localRules: 'denyOnly' });
  });

  it('syncs the console default profile at first start (form login)', async () => {
    const sources = await expectDefaultProfileSynced(env.ext, env.console?.requests);
    expect(sources.sources.filter((source) => source.inForce).map((source) => source.name)).toEqual(['managed', 'profile']);
  });

  let allowedPage: Page;

  it('decides an allowed page and every TLS endpoint it contacts, and records the client-certificate failure of an image', async () => {
    const { sites, mtls13 } = env;
    allowedPage = await env.ext.open(
      sites.pageWith(HOSTS.allowed, [
        sites.site(HOSTS.image, '/a.png'),
        sites.site(HOSTS.deny, '/sub.png'),
        sites.site(HOSTS.unmatched, '/c.png'),
        mtls13.url(HOSTS.mtls, '/needs-cert.png'),
        sites.plain(HOSTS.plain, '/plain.png'),
      ]),
    );
    const state = await env.ext.tabState(allowedPage, (s) => s.clientAuthEvents.length > 0 && s.endpoints.length >= 5);
    expectAllowedPageVerdicts(state, sites, mtls13.port);
    // Unlike Chromium, Firefox upgrades an http image on an https page to
    // https (security.mixed_content.upgrade_display_content): the request is a
    // TLS request to the plain server's port, and is decided like any other.
    expect(endpoint(state, HOSTS.plain, sites.plainPort)?.verdict.reason).toBe('allow-rule');
    // Firefox names the TLS 1.3 certificate_required alert by its NSS error inside an nsresult.
    expect(state.clientAuthEvents).toEqual([
      expect.objectContaining({
        host: HOSTS.mtls,
        port: String(mtls13.port),
        error: 'NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT)',
        resourceType: 'image',
        verdict: expect.objectContaining({ decision: 'useEnrollmentCertificate', reason: 'allow-rule' }),
      }),
    ]);
    expect(mtls13.rejections.length).toBeGreaterThan(0);
    expect(mtls13.requests).toEqual([]);
    await expectAllowedBadge(env.ext, allowedPage);
  });

  it('gives an unmatched host "no rule matched" and an http page "not TLS", each with its own badge', async () => {
    await expectUnmatchedAndPlainBadges(env.ext, (page, until) => env.ext.tabState(page, until), env.sites, allowedPage);
    // The http page was reached over http (HTTPS-First is off in the test profile), so no TLS request was made.
    expect(env.sites.requestsTo(HOSTS.plain).map((request) => request.server)).toContain('plain');
  });

  it('records a top-level navigation that the mTLS server refuses, with the rules’ decision for it', async () => {
    const url = env.mtls13.url(HOSTS.mtls, '/login');
    const page = await env.ext.open(url);
    const state = await env.ext.tabState(page, (s) => s.host === HOSTS.mtls && s.clientAuthEvents.length > 0);
    expect(state.verdict.reason).toBe('allow-rule');
    expect(state.clientAuthEvents).toEqual([
      expect.objectContaining({
        url,
        error: expect.stringContaining('SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT'),
        resourceType: 'main_frame',
        verdict: state.verdict,
      }),
    ]);
    expect(env.mtls13.requests).toEqual([]);
    await page.close();
  });

  it('what Firefox reports for a refused client certificate, under TLS 1.3 and TLS 1.2', async () => {
    // Listen where the background listens (webRequest.onErrorOccurred), from an extension page.
    await env.ext.inExtension((api) => {
      const store = globalThis as unknown as { seenErrors: string[][] };
      store.seenErrors = [];
      api.webRequest.onErrorOccurred.addListener((details) => store.seenErrors.push([details.url, details.error]), { urls: ['<all_urls>'] });
    }, null);
    const { sites, mtls13 } = env;
    const tls13 = mtls13.url(HOSTS.mtls, '/probe13.png');
    const tls12 = sites.mtls(HOSTS.mtls, '/probe12.png');
    const page = await env.ext.open(sites.pageWith(HOSTS.allowed, [tls13, tls12], '/probe'));
    let seen: string[][] = [];
    await expect
      .poll(
        async () => {
          seen = await env.ext.inExtension(() => (globalThis as unknown as { seenErrors: string[][] }).seenErrors, null);
          return seen.length;
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(2);
    const errorFor = (url: string) => seen.find(([seenUrl]) => seenUrl === url)?.[1];
    expect(errorFor(tls13)).toBe('NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT)');
    expect(clientAuthKind(errorFor(tls13))).toBe('certificate-required');
    // Under TLS 1.2 OpenSSL answers a missing certificate with a generic
    // handshake_failure alert, and Firefox reports NSS's message for
    // SSL_ERROR_HANDSHAKE_FAILURE_ALERT. The same alert means "no common
    // cipher suite", so it is not counted as a certificate demand (Chromium
    // knows it sent no certificate to a CertificateRequest and reports
    // ERR_BAD_SSL_CLIENT_AUTH_CERT; Firefox exposes nothing like it).
    expect(errorFor(tls12)).toBe('SSL peer was unable to negotiate an acceptable set of security parameters.');
    expect(clientAuthKind(errorFor(tls12))).toBeNull();
    const state = await env.ext.tabState(page, (s) => s.clientAuthEvents.length > 0);
    expect(state.clientAuthEvents.map((event) => event.url)).toEqual([tls13]);
    expect(sites.mtlsRejections.length).toBeGreaterThan(0);
    await page.close();
  });

  it('guard warn: a deny-rule host shows the guard page before any request reaches it, and "continue" goes through for the session', async () => {
    const { sites } = env;
    const guardPage = env.ext.extensionUrl('src/ui/guard/index.html');
    const blockedUrl = sites.site(HOSTS.blocked, '/secret?x=1&y=two');
    // Followed from a link on a web page, as a user would (the redirect to a web-accessible extension page).
    const start = await followLinkFrom(env.ext, sites.site(HOSTS.unmatched, '/links'), blockedUrl);
    await expect.poll(() => env.ext.href(start), { timeout: 10_000 }).toBe(`${guardPage}?url=${blockedUrl}`);
    await expect
      .poll(() => start.evaluate(() => document.querySelector('main')?.textContent ?? '').catch(() => ''), { timeout: 10_000 })
      .toContain(HOSTS.blocked);
    expect(sites.requestsTo(HOSTS.blocked)).toEqual([]);

    const state = await env.ext.tabState(start, (s) => s.host === HOSTS.blocked);
    expect(state.verdict).toMatchObject({ decision: 'noCertificate', reason: 'deny-rule', rule: { source: 'profile', index: 2, host: '*.blocked.acme.test' } });
    expect((await env.ext.badge(await env.ext.tabId(start))).text).toBe('✕');

    // The apex is not covered by *.blocked.acme.test.
    const apex = await env.ext.open(sites.site(HOSTS.blockedApex, '/apex'));
    expect(await env.ext.href(apex)).toBe(sites.site(HOSTS.blockedApex, '/apex'));
    await apex.close();

    await start.click('button.danger');
    await expect.poll(() => env.ext.href(start), { timeout: 10_000 }).toBe(blockedUrl);
    expect(sites.requestsTo(HOSTS.blocked).map((request) => request.path)).toEqual(['/secret?x=1&y=two']);
    // For the rest of the session the same origin goes through without asking again (a typed address this time);
    await env.ext.navigate(start, sites.site(HOSTS.blocked, '/again'));
    expect(await env.ext.href(start)).toBe(sites.site(HOSTS.blocked, '/again'));
    // another host under the same rule is still guarded.
    await env.ext.navigate(start, sites.site(HOSTS.blockedOther, '/'));
    expect(await env.ext.href(start)).toContain(guardPage);
    expect(sites.requestsTo(HOSTS.blockedOther)).toEqual([]);
    const status = await env.ext.ask({ type: 'getStatus' });
    expect(status.guard).toMatchObject({ mode: 'warn', applied: true, notFitted: [], bypassed: [`https://${HOSTS.blocked}:${sites.sitePort}`] });
    await start.close();
  });

  it('shows the decision in the popup (opened as a tab for another tab)', async () => {
    const tabId = await env.ext.tabId(allowedPage);
    const popup = await env.ext.openExtensionPage(`src/ui/popup/index.html?tabId=${tabId}`);
    const text = () => popup.evaluate(() => document.body.innerText).catch(() => '');
    await expect.poll(text, { timeout: 10_000 }).toContain('Certificate allowed');
    const shown = await text();
    expect(shown).toContain(HOSTS.allowed);
    expect(shown).toContain('*.acme.test');
    expect(shown).toContain(E2E_PROFILE_NAME);
    // The failed image request to the mTLS server is listed with what the rules say about it.
    expect(shown).toContain(HOSTS.mtls);
    expect(shown).toMatch(/Certificate requests from servers: 1/);
    await popup.close();
  });
});
