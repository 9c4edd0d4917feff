import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { waitFor } from './support/harness';
import { caseName, checksFor, findingsAt, LAYOUT_CASES, layoutProblems, type LayoutCase } from './support/layout';
import { LAYOUT_HOSTS, LAYOUT_LOCAL_RULES, layoutPolicy, layoutSeed, OPTION_SECTIONS, type OptionSection } from './support/layout-scenario';
import { environmentForSuite } from './support/suite-environment';

/**
 * Every page (popup, each options section, guard) at 320, 800 and 1280 px
 * and at 200% zoom, light and dark, in Chromium: nothing runs off the right
 * edge, no select or button is narrower than its text, and axe finds nothing.
 * The pages hold their longest usual content (lint notes, a sync error, a
 * trace, the profile editor).
 */
describe('layout of every page at 320, 800 and 1280 px and 200% zoom (Chromium)', () => {
  let env: E2eEnvironment;
  environmentForSuite(
    'e2e layout suite (Chromium)',
    async () => {
      env = await startEnvironment({ seed: layoutSeed(), policy: ({ consoleUrl }) => layoutPolicy(consoleUrl), extraHosts: [] });
      await waitFor(
        () => env.ext.ask({ type: 'getStatus' }),
        (status) => status.sync.lastSuccessAt !== null,
        'the first sync',
        30_000,
      );
      await env.ext.ask({ type: 'setLocalRules', rules: LAYOUT_LOCAL_RULES });
      // One failed sync in the history (the console down), then the console back.
      env.console?.setFault('any', { type: 'status', status: 503 });
      await env.ext.ask({ type: 'syncNow' });
      await waitFor(
        () => env.ext.ask({ type: 'getStatus' }),
        (status) => status.sync.history.some((attempt) => !attempt.ok) && !status.sync.inProgress,
        'a failed sync in the history',
        30_000,
      );
      env.console?.clearFaults();
      return env;
    },
    300_000,
  );

  const tabIds: { allowed?: number } = {};

  async function popupTabId(): Promise<number> {
    if (tabIds.allowed === undefined) {
      const page = await env.ext.open(env.sites.site(LAYOUT_HOSTS.allowed, '/'));
      tabIds.allowed = await env.ext.tabId(page);
    }
    return tabIds.allowed;
  }

  /** Opens a page at the case's layout width, in the state the checks look at. */
  async function openAt(layout: LayoutCase, what: 'popup' | 'guard' | OptionSection): Promise<Page> {
    const page = await env.ext.context.newPage();
    await page.setViewportSize({ width: layout.window / layout.zoom, height: 900 / layout.zoom });
    if (what === 'popup') {
      await page.goto(env.ext.extensionUrl(`src/ui/popup/index.html?tabId=${await popupTabId()}`));
      await page.locator('.current [data-decision]').waitFor();
      return page;
    }
    if (what === 'guard') {
      await page.goto(
        env.ext.extensionUrl(`src/ui/guard/index.html?url=${encodeURIComponent(env.sites.site(LAYOUT_HOSTS.denied, '/a/long/path?with=query'))}`),
      );
      await page.locator('.rule-summary').waitFor();
      return page;
    }
    await page.goto(env.ext.extensionUrl(`src/ui/options/index.html#${what}`));
    await page.locator(`main[data-section="${what}"]`).waitFor();
    await fillSection(page, what);
    return page;
  }

  async function fillSection(page: Page, section: OptionSection): Promise<void> {
    switch (section) {
      case 'rules':
        await page.locator('[data-source="local"] li.rule-row').first().waitFor();
        await page.locator('[data-source="profile"] .rule-table').waitFor();
        return;
      case 'tester':
        await page.getByLabel('URL to test').fill(LAYOUT_HOSTS.denied);
        await page.getByRole('button', { name: 'Test', exact: true }).click();
        await page.locator('.trace [data-decision]').waitFor();
        return;
      case 'sync':
        await page.locator('.sync-history').waitFor();
        return;
      case 'profiles':
        await page.getByRole('button', { name: 'Open Acme corporate' }).click();
        await page.locator('.profile-editor li.rule-row').first().waitFor();
        return;
      case 'import':
        await page.getByLabel('Or paste JSON').fill(
          JSON.stringify([
            { host: 'ok.acme.test', action: 'noCertificate' },
            { host: 'https://bad', action: 'noCertificate' },
          ]),
        );
        await page.getByRole('button', { name: 'Check' }).click();
        await page.locator('[data-import="blocked"]').waitFor();
        return;
      case 'policy':
        await page.locator('[data-setting="consoleUrl"]').waitFor();
        return;
      case 'browser-policy':
        await page.locator('.policy-preview').waitFor({ timeout: 30_000 });
        return;
    }
  }

  async function check(what: 'popup' | 'guard' | OptionSection): Promise<void> {
    const found: string[] = [];
    for (const layout of LAYOUT_CASES) {
      const page = await openAt(layout, what);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
        const where = `${what} at ${caseName(layout)}, ${scheme}`;
        found.push(...findingsAt(where, await page.evaluate(layoutProblems, checksFor(layout)), await axeViolations(page)));
      }
      await page.close();
    }
    expect(found).toEqual([]);
  }

  it('the popup', () => check('popup'));
  it('the guard page', () => check('guard'));
  for (const section of OPTION_SECTIONS) it(`the options page, ${section}`, () => check(section));
});
