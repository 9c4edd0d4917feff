import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { E2E_PROFILE_NAME, E2E_USER, HOSTS, e2eSeed } from './support/scenario';
import { environmentForSuite } from './support/suite-environment';

/**
 * A fresh profile whose first sync the console holds, then fails, then lets
 * succeed, in real Chromium: the badge says "rules not known yet" from the
 * first moment, on a tab with a decision and on every other tab (the default
 * badge), the amber "!" once that sync failed; and the popup and the options
 * page, opened during the first sync and never reloaded, follow each change.
 */
describe('the first sync, as the badge, the popup and the options page show it (Chromium)', () => {
  let env: E2eEnvironment;
  environmentForSuite(
    'e2e first-sync suite',
    async () => {
      env = await startEnvironment({
        seed: e2eSeed(),
        policy: ({ consoleUrl }) => ({
          consoleUrl,
          authMode: 'form',
          username: E2E_USER.email,
          password: E2E_USER.password,
          guard: 'block',
          syncIntervalMinutes: 60,
        }),
        // Every console call waits until the test says how it ends (the extension gives up after 15 s).
        beforeLaunch: (console) => console.setFault('any', { type: 'hold' }),
      });
      return env;
    },
    600_000,
  );

  /** Pages opened while the first sync is under way, and never reloaded. */
  const opened: { site: Page; tabId: number; popup: Page; sync: Page; rules: Page; policy: Page } = {} as never;
  const decisionOf = (popup: Page) => popup.locator('.current [data-decision]').getAttribute('data-decision');
  const statusLine = (page: Page) => page.locator('.status-line').innerText();
  const syncNowDisabled = (page: Page) => page.getByRole('button', { name: 'Sync now' }).isDisabled();

  async function extensionPage(path: string, ready: string): Promise<Page> {
    const page = await env.ext.context.newPage();
    await page.goto(env.ext.extensionUrl(path));
    await page.locator(ready).first().waitFor({ timeout: 10_000 });
    return page;
  }

  it('while the first sync is under way: "rules not known yet" on the tab and as the default badge, in the popup and the options page', async () => {
    const site = await env.ext.open(env.sites.site(HOSTS.allowed, '/'));
    const tabId = await env.ext.tabId(site);
    const [popup, sync, rules, policy] = await Promise.all([
      extensionPage(`src/ui/popup/index.html?tabId=${tabId}`, '.current [data-decision]'),
      extensionPage('src/ui/options/index.html#sync', '.status-line'),
      extensionPage('src/ui/options/index.html#rules', '[data-source="profile"]'),
      extensionPage('src/ui/options/index.html#policy', '[data-guard]'),
    ]);
    Object.assign(opened, { site, tabId, popup, sync, rules, policy });
    await expect.poll(async () => (await env.ext.badge(tabId)).text, { timeout: 10_000 }).toBe('…');
    const badge = await env.ext.badge(tabId);
    expect(badge.title).toContain('Rules not known yet');
    expect(badge.color).toEqual([9, 105, 218, 255]);
    // A tab with no decision of its own (here the extension's pages) shows the default.
    expect(await env.ext.badge()).toMatchObject({ text: '…', title: expect.stringContaining('Rules not known yet') });
    expect(await decisionOf(popup)).toBe('pending');
    expect(await popup.locator('.unavailable').innerText()).toContain('its first sync has not finished yet');
    expect(await statusLine(popup)).toMatch(/^Syncing /);
    expect(await statusLine(sync)).toMatch(/^Syncing /);
    expect(await syncNowDisabled(sync)).toBe(true);
    expect(await rules.locator('.unavailable').innerText()).toContain('Rules not known yet');
    for (const page of [popup, sync]) expect(await axeViolations(page)).toEqual([]);
    expect(env.console?.requests.some((request) => request.resource !== 'admin')).toBe(true);
  });

  it('the first sync fails: the amber "!" on the tab and as the default, and the open pages say so without a reload', async () => {
    const { popup, sync, tabId } = opened;
    // The held calls end now, in an error.
    env.console?.setFault('any', { type: 'status', status: 500 });
    await expect.poll(async () => (await env.ext.badge(tabId)).text, { timeout: 20_000 }).toBe('!');
    expect((await env.ext.badge(tabId)).title).toContain('Rules unavailable');
    expect(await env.ext.badge()).toMatchObject({ text: '!', color: [154, 103, 0, 255] });
    await expect.poll(() => decisionOf(popup), { timeout: 10_000 }).toBe('unavailable');
    await expect.poll(() => statusLine(popup), { timeout: 10_000 }).toMatch(/^Sync failing and never succeeded: /);
    await expect.poll(() => statusLine(sync), { timeout: 10_000 }).toMatch(/^Sync failing and never succeeded: /);
    expect(await syncNowDisabled(sync)).toBe(false);
    expect(await axeViolations(popup)).toEqual([]);
  });

  it('a sync succeeds: the popup, the rules, the sync status and the guard follow in pages opened before, and the badges show the decision', async () => {
    const { popup, sync, rules, policy, tabId } = opened;
    env.console?.clearFaults();
    await sync.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => statusLine(sync), { timeout: 20_000 }).toMatch(new RegExp(`^${E2E_PROFILE_NAME}, synced`));
    expect(await sync.locator('.rule-summary').innerText()).not.toMatch(/Last attempt\s+never/);
    // The popup was not touched: it follows on its own.
    await expect.poll(() => decisionOf(popup), { timeout: 10_000 }).toBe('allowed');
    await expect.poll(() => statusLine(popup), { timeout: 10_000 }).toMatch(new RegExp(`^${E2E_PROFILE_NAME}, synced`));
    expect(await popup.locator('.unavailable').count()).toBe(0);
    await expect.poll(() => rules.locator('[data-source="profile"] .source-count').innerText(), { timeout: 10_000 }).toBe('Rules: 3');
    expect(await rules.locator('.unavailable').count()).toBe(0);
    await expect.poll(() => policy.locator('[data-guard]').innerText(), { timeout: 10_000 }).toContain('In place: 2 of 2 exclusion rules');
    await expect.poll(async () => (await env.ext.badge(tabId)).text, { timeout: 10_000 }).toBe('✓');
    expect((await env.ext.badge()).text).toBe('');
    for (const page of [popup, sync, rules, policy]) expect(await axeViolations(page)).toEqual([]);
  });

  it("the sync history, with a failed attempt's long error, fits a 320 px window without sideways scrolling", async () => {
    const { sync } = opened;
    await sync.setViewportSize({ width: 320, height: 800 });
    const fits = await sync.evaluate(() => {
      const scroller = document.querySelector('.table-scroll') as HTMLElement;
      // innerWidth counts the vertical scrollbar, clientWidth does not: the page overflows only past clientWidth.
      return { table: scroller.scrollWidth - scroller.clientWidth, page: document.documentElement.scrollWidth - document.documentElement.clientWidth };
    });
    expect(fits).toEqual({ table: 0, page: 0 });
    expect(await sync.locator('.sync-history [data-code="http"]').first().innerText()).toMatch(/^the console answered HTTP 500/);
  });
});
