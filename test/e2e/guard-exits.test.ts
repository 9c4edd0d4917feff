import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { waitFor } from './support/harness';
import { environmentForSuite } from './support/suite-environment';

const DENIED = 'deny.acme.test';
const ALLOWED = 'allowed.acme.test';

/**
 * The guard page's ways out and the exceptions "continue" makes, in real
 * Chromium with guard `warn` and a managed deny rule: "Go back" when the tab
 * has somewhere to go back to, else "Close this tab" (or, as the window's
 * only tab, a new tab page in its place); after "continue" the popup says the
 * site is allowed by the user's exception and removes it, and the options
 * page lists every exception with its own remove button.
 */
describe('guard page exits and exceptions (Chromium, guard warn)', () => {
  let env: E2eEnvironment;
  environmentForSuite(
    'e2e guard exits suite',
    async () =>
      (env = await startEnvironment({
        seed: null,
        policy: () => ({
          rules: [
            { host: DENIED, port: '*', action: 'noCertificate' },
            { host: ALLOWED, port: '*', action: 'useEnrollmentCertificate' },
          ],
          guard: 'warn',
        }),
      })),
    600_000,
  );

  const guardPrefix = () => env.ext.extensionUrl('src/ui/guard/index.html');
  const exitButton = (page: Page) => page.locator('button[data-exit]');
  const altSite = (host: string, path: string) => `https://${host}:${env.sites.altPort}${path}`;

  async function onGuardPage(page: Page): Promise<void> {
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain(guardPrefix());
    await exitButton(page).waitFor({ timeout: 10_000 });
  }

  it('"Go back" when the denied link was followed in the same tab: back to the page before', async () => {
    const page = await env.ext.open(env.sites.site(ALLOWED, '/start'));
    await env.ext.navigate(page, env.sites.site(DENIED, '/secret'));
    await onGuardPage(page);
    expect(await exitButton(page).innerText()).toBe('Go back');
    expect(await exitButton(page).getAttribute('data-exit')).toBe('back');
    await exitButton(page).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toBe(env.sites.site(ALLOWED, '/start'));
    await page.close();
  });

  it('"Close this tab" when the denied link opened a new tab (nothing to go back to), and the tab closes', async () => {
    const site = await env.ext.open(env.sites.site(ALLOWED, '/links'));
    const [opened] = await Promise.all([
      env.ext.context.waitForEvent('page'),
      site.evaluate(
        (url) => {
          const link = Object.assign(document.createElement('a'), { href: url, target: '_blank', rel: 'noopener', textContent: 'denied' });
          document.body.append(link);
          link.click();
        },
        env.sites.site(DENIED, '/from-link'),
      ),
    ]);
    await onGuardPage(opened);
    expect(await opened.evaluate(() => history.length)).toBe(1);
    expect(await exitButton(opened).innerText()).toBe('Close this tab');
    expect(await opened.locator('main').innerText()).toContain('This tab has no page to go back to.');
    // "The rule" sits on its rule: no page gap between the heading and the summary.
    const gap = await opened.evaluate(() => {
      const heading = document.getElementById('guard-rule-heading') as HTMLElement;
      const summary = document.querySelector('.guard-rule .rule-summary') as HTMLElement;
      return summary.getBoundingClientRect().top - heading.getBoundingClientRect().bottom;
    });
    expect(gap).toBeLessThanOrEqual(6);
    expect(await axeViolations(opened)).toEqual([]);
    // The click closes the page it was made on: Playwright then reports the page gone, which is the point.
    await Promise.all([
      opened.waitForEvent('close', { timeout: 10_000 }),
      exitButton(opened)
        .click()
        .catch(() => undefined),
    ]);
    expect(opened.isClosed()).toBe(true);
    expect(site.isClosed()).toBe(false);
    expect(env.sites.requestsTo(DENIED)).toEqual([]);
    await site.close();
  });

  it('the only tab of its window: a new tab page takes its place, the window stays open', async () => {
    const windowId = await env.ext.inWorker(async (url) => (await chrome.windows.create({ url }))?.id as number, env.sites.site(DENIED, '/alone'));
    const page = await waitFor(
      async () => env.ext.context.pages().find((candidate) => candidate.url().startsWith(guardPrefix()) && candidate.url().includes('/alone')),
      (found) => found !== undefined,
      'the guard page in the new window',
    );
    if (!page) throw new Error('no guard page');
    await onGuardPage(page);
    expect(await exitButton(page).innerText()).toBe('Open a new tab page instead');
    const guardTab = await env.ext.tabId(page);
    await exitButton(page).click();
    await expect
      .poll(() => env.ext.inWorker(async (id) => (await chrome.tabs.query({ windowId: id })).map((tab) => tab.id), windowId), { timeout: 10_000 })
      .toHaveLength(1);
    const left = await env.ext.inWorker(async (id) => (await chrome.tabs.query({ windowId: id })).map((tab) => tab.id), windowId);
    expect(left).not.toContain(guardTab);
    // The window is still there, with the new tab in it (its address, chrome://newtab, is not the extension's to read).
    expect(await env.ext.inWorker(async (id) => (await chrome.windows.get(id)).id, windowId)).toBe(windowId);
    await env.ext.inWorker((id) => chrome.windows.remove(id), windowId);
  });

  it('after "continue" the popup says the site is allowed by the user\'s exception for exactly that origin, and removes it', async () => {
    const denied = env.sites.site(DENIED, '/continue');
    const page = await env.ext.open(denied);
    await onGuardPage(page);
    expect(await page.locator('.guard-actions').innerText()).toContain(
      `The exception covers exactly https://${DENIED}:${env.sites.sitePort} (this scheme, host and port)`,
    );
    await page.getByRole('button', { name: 'Continue to the site' }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toBe(denied);
    const tabId = await env.ext.tabId(page);

    // Another port of the same host, which the same rule denies: still stopped.
    const otherPort = await env.ext.open(altSite(DENIED, '/other-port'));
    await onGuardPage(otherPort);
    await otherPort.close();

    const popup = await env.ext.context.newPage();
    await popup.goto(env.ext.extensionUrl(`src/ui/popup/index.html?tabId=${tabId}`));
    const note = popup.getByRole('region', { name: 'Allowed for this browser session by you (exception)' });
    await note.waitFor({ timeout: 10_000 });
    expect(await note.innerText()).toContain(`You chose to continue to https://${DENIED}:${env.sites.sitePort}`);
    expect(await popup.locator('.current [data-decision]').getAttribute('data-decision')).toBe('excluded');
    expect(await axeViolations(popup)).toEqual([]);
    await note.getByRole('button', { name: 'Remove exception' }).click();
    await expect.poll(() => popup.locator('.guard-exception').count(), { timeout: 10_000 }).toBe(0);
    expect((await env.ext.ask({ type: 'getStatus' })).guard.bypassed).toEqual([]);
    // The guard stops the origin again.
    await env.ext.navigate(page, env.sites.site(DENIED, '/again'));
    await onGuardPage(page);
    await Promise.all([page.close(), popup.close()]);
  });

  it('the options page lists each exception with its own remove button', async () => {
    const continueTo = async (url: string) => {
      const page = await env.ext.open(url);
      await onGuardPage(page);
      await page.getByRole('button', { name: 'Continue to the site' }).click();
      await expect.poll(() => page.url(), { timeout: 10_000 }).toBe(url);
      await page.close();
    };
    await continueTo(env.sites.site(DENIED, '/one'));
    await continueTo(altSite(DENIED, '/two'));
    const options = await env.ext.context.newPage();
    await options.goto(env.ext.extensionUrl('src/ui/options/index.html#policy'));
    const first = `https://${DENIED}:${env.sites.sitePort}`;
    const second = `https://${DENIED}:${env.sites.altPort}`;
    const list = options.getByRole('region', { name: 'Exceptions for this browser session: 2' });
    await list.waitFor({ timeout: 10_000 });
    expect(await list.locator('li').evaluateAll((items) => items.map((item) => item.getAttribute('data-exception')))).toEqual([first, second]);
    expect(await axeViolations(options)).toEqual([]);
    await list.getByRole('button', { name: `Remove exception for ${first}` }).click();
    await options.getByRole('region', { name: 'Exceptions for this browser session: 1' }).waitFor({ timeout: 10_000 });
    expect((await env.ext.ask({ type: 'getStatus' })).guard.bypassed).toEqual([second]);
    await options.close();
  });
});
