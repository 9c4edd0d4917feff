import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { startFirefoxEnvironment, type FirefoxEnvironment } from './support/firefox-environment';
import { pollUntil } from './support/poll';
import { HOSTS } from './support/scenario';
import { environmentForSuite } from './support/suite-environment';

/**
 * The guard page's ways out and the exceptions "continue" makes, in Firefox
 * ESR with guard `warn` (policies.json): Firefox's tab and history model and
 * its declarativeNetRequest session rules differ from Chromium's, so the same
 * user steps are checked here too.
 */
describe('guard page exits and exceptions (Firefox ESR, guard warn)', () => {
  let env: FirefoxEnvironment;
  environmentForSuite(
    'firefox guard exits suite',
    async () =>
      (env = await startFirefoxEnvironment({
        seed: null,
        policy: () => ({
          rules: [
            { host: HOSTS.deny, port: '*', action: 'noCertificate' },
            { host: HOSTS.allowed, port: '*', action: 'useEnrollmentCertificate' },
          ],
          guard: 'warn',
        }),
      })),
    600_000,
  );

  const guardPrefix = () => env.ext.extensionUrl('src/ui/guard/index.html');
  const text = (page: Page) => page.evaluate(() => document.querySelector('main')?.textContent ?? '').catch(() => '');
  const exitLabel = (page: Page) => page.evaluate(() => document.querySelector('button[data-exit]')?.textContent ?? '').catch(() => '');

  async function onGuardPage(page: Page): Promise<void> {
    await pollUntil(
      () => env.ext.href(page),
      (href) => href.startsWith(guardPrefix()),
      { what: 'the guard page' },
    );
    await pollUntil(
      () => exitLabel(page),
      (label) => label !== '',
      { what: 'the way out' },
    );
  }

  it('"Go back" after following the denied link in the same tab; "Close this tab" when it opened a new tab, which closes', async () => {
    const start = env.sites.site(HOSTS.allowed, '/start');
    const page = await env.ext.open(start);
    await env.ext.navigate(page, env.sites.site(HOSTS.deny, '/same-tab'));
    await onGuardPage(page);
    expect(await exitLabel(page)).toBe('Go back');
    await page.click('button[data-exit]');
    await pollUntil(
      () => env.ext.href(page),
      (href) => href === start,
      { what: 'the page before' },
    );

    const target = env.sites.site(HOSTS.deny, '/new-tab');
    await page.evaluate((url) => {
      const link = Object.assign(document.createElement('a'), { id: 'out', href: url, target: '_blank', rel: 'noopener', textContent: 'denied' });
      document.body.append(link);
    }, target);
    const before = new Set(await env.ext.firefox.browser.pages());
    await page.click('#out');
    const tab = await pollUntil(
      async () => (await env.ext.firefox.browser.pages()).find((candidate) => !before.has(candidate)) ?? null,
      (found) => found !== null,
      { what: 'the new tab' },
    );
    if (!tab) throw new Error('no new tab');
    await onGuardPage(tab);
    expect(await tab.evaluate(() => history.length)).toBe(1);
    expect(await exitLabel(tab)).toBe('Close this tab');
    const tabId = await env.ext.tabId(tab);
    await tab.click('button[data-exit]').catch(() => undefined);
    await pollUntil(
      () => env.ext.inExtension(async (api, id) => (await api.tabs.query({})).some((candidate) => candidate.id === id), tabId),
      (open) => !open,
      { what: 'the tab to close' },
    );
    expect(env.sites.requestsTo(HOSTS.deny)).toEqual([]);
    await page.close();
  });

  it('after "continue" the popup says the site is allowed by the user\'s exception, and removing it stops the site again', async () => {
    const denied = env.sites.site(HOSTS.deny, '/continue');
    const page = await env.ext.open(denied);
    await onGuardPage(page);
    expect(await text(page)).toContain(`The exception covers exactly https://${HOSTS.deny}:${env.sites.sitePort}`);
    await page.click('button.danger');
    await pollUntil(
      () => env.ext.href(page),
      (href) => href === denied,
      { what: 'the site' },
    );
    const tabId = await env.ext.tabId(page);
    const popup = await env.ext.openExtensionPage(`src/ui/popup/index.html?tabId=${tabId}`);
    const note = await pollUntil(
      () => popup.evaluate(() => document.querySelector('.guard-exception')?.textContent ?? ''),
      (shown) => shown !== '',
      { what: 'the exception in the popup' },
    );
    expect(note).toContain('Allowed for this browser session by you (exception)');
    await popup.click('.guard-exception button');
    await pollUntil(
      () => popup.evaluate(() => document.querySelector('.guard-exception') === null),
      (gone) => gone,
      { what: 'the exception to go' },
    );
    expect((await env.ext.ask({ type: 'getStatus' })).guard.bypassed).toEqual([]);
    await env.ext.navigate(page, env.sites.site(HOSTS.deny, '/again'));
    await onGuardPage(page);
    await Promise.all([page.close(), popup.close()]);
  });
});
