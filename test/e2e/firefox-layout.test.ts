import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { AXE_SOURCE, type AxeViolation } from './support/axe';
import { startFirefoxEnvironment, type FirefoxEnvironment } from './support/firefox-environment';
import { caseName, checksFor, findingsAt, LAYOUT_CASES, layoutProblems, type LayoutCase } from './support/layout';
import { LAYOUT_HOSTS, LAYOUT_LOCAL_RULES, layoutPolicy, layoutSeed, OPTION_SECTIONS, type OptionSection } from './support/layout-scenario';
import { pollUntil } from './support/poll';
import { environmentForSuite } from './support/suite-environment';

/**
 * The layout checks of layout.test.ts in Firefox ESR, whose form controls and
 * table layout differ from Chromium's (a select's arrow, a table's minimum
 * widths): every page at 320, 800 and 1280 px and at 200% zoom, light and
 * dark (one browser each), nothing off the right edge, no control narrower
 * than its text, axe clean.
 */
/** Firefox's colour scheme for web content and extension pages (0 dark, 1 light); WebDriver BiDi cannot switch it in a running browser. */
const SCHEME_PREF = 'layout.css.prefers-color-scheme.content-override';

describe.each(['light', 'dark'] as const)('layout of every page at 320, 800 and 1280 px and 200% zoom (Firefox ESR, %s)', (scheme) => {
  let env: FirefoxEnvironment;
  environmentForSuite(
    `e2e layout suite (Firefox, ${scheme})`,
    async () => {
      env = await startFirefoxEnvironment({
        seed: layoutSeed(),
        policy: ({ consoleUrl }) => layoutPolicy(consoleUrl),
        hosts: Object.values(LAYOUT_HOSTS),
        prefs: { [SCHEME_PREF]: scheme === 'dark' ? 0 : 1 },
      });
      await pollUntil(
        () => env.ext.ask({ type: 'getStatus' }),
        (status) => status.sync.lastSuccessAt !== null,
        { what: 'the first sync', timeoutMs: 30_000 },
      );
      await env.ext.ask({ type: 'setLocalRules', rules: LAYOUT_LOCAL_RULES });
      env.console?.setFault('any', { type: 'status', status: 503 });
      await env.ext.ask({ type: 'syncNow' });
      await pollUntil(
        () => env.ext.ask({ type: 'getStatus' }),
        (status) => status.sync.history.some((attempt) => !attempt.ok) && !status.sync.inProgress,
        { what: 'a failed sync in the history', timeoutMs: 30_000 },
      );
      env.console?.clearFaults();
      return env;
    },
    300_000,
  );

  let allowedTab: number | null = null;

  const waitFor = (page: Page, selector: string, what: string) =>
    pollUntil(
      () => page.evaluate((wanted) => document.querySelector(wanted) !== null, selector),
      (found) => found,
      { what, timeoutMs: 30_000 },
    );

  async function openAt(layout: LayoutCase, what: 'popup' | 'guard' | OptionSection): Promise<Page> {
    let path: string;
    if (what === 'popup') {
      if (allowedTab === null) allowedTab = await env.ext.tabId(await env.ext.open(`https://${LAYOUT_HOSTS.allowed}/`));
      path = `src/ui/popup/index.html?tabId=${allowedTab}`;
    } else if (what === 'guard') {
      path = `src/ui/guard/index.html?url=${encodeURIComponent(`https://${LAYOUT_HOSTS.denied}/a/long/path?with=query`)}`;
    } else path = `src/ui/options/index.html#${what}`;
    const page = await env.ext.openExtensionPage(path);
    await page.setViewport({ width: layout.window / layout.zoom, height: 900 / layout.zoom });
    if (what === 'popup') await waitFor(page, '.current [data-decision]', 'the popup');
    else if (what === 'guard') await waitFor(page, '.rule-summary', 'the guard page');
    else await fillSection(page, what);
    return page;
  }

  async function click(page: Page, selector: string, text: string): Promise<void> {
    await page.evaluate(
      (wanted, label) => {
        const target = [...document.querySelectorAll<HTMLElement>(wanted)].find((element) => element.textContent?.trim() === label);
        if (!target) throw new Error(`no ${wanted} "${label}"`);
        target.click();
      },
      selector,
      text,
    );
  }

  async function fillSection(page: Page, section: OptionSection): Promise<void> {
    await waitFor(page, `main[data-section="${section}"]`, `the ${section} section`);
    switch (section) {
      case 'rules':
        await waitFor(page, '[data-source="local"] li.rule-row', 'the local editor');
        await waitFor(page, '[data-source="profile"] .rule-table', 'the profile table');
        return;
      case 'tester':
        await page.type('#tester-url', LAYOUT_HOSTS.denied);
        await click(page, 'button', 'Test');
        await waitFor(page, '.trace [data-decision]', 'the trace');
        return;
      case 'sync':
        await waitFor(page, '.sync-history', 'the sync history');
        return;
      case 'profiles':
        await waitFor(page, '.table-scroll button', 'the profile list');
        await click(page, 'button', 'Open');
        await waitFor(page, '.profile-editor li.rule-row', 'the profile editor');
        return;
      case 'import':
        return;
      case 'policy':
        await waitFor(page, '[data-setting="consoleUrl"]', 'the settings');
        return;
      case 'browser-policy':
        await waitFor(page, '.policy-preview', 'the preview');
        return;
    }
  }

  async function axeViolations(page: Page): Promise<AxeViolation[]> {
    const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
    if (!loaded) await page.evaluate(AXE_SOURCE);
    // As JSON: BiDi hands shared objects back as references.
    const json = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return JSON.stringify(
        result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target })) })),
      );
    });
    return JSON.parse(json) as AxeViolation[];
  }

  async function check(what: 'popup' | 'guard' | OptionSection): Promise<void> {
    const found: string[] = [];
    for (const layout of LAYOUT_CASES) {
      const page = await openAt(layout, what);
      const applied = await page.evaluate((wanted) => matchMedia(`(prefers-color-scheme: ${wanted})`).matches, scheme);
      expect(applied, `the page follows the ${scheme} scheme`).toBe(true);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
      const where = `${what} at ${caseName(layout)}, ${scheme}`;
      found.push(...findingsAt(where, await page.evaluate(layoutProblems, checksFor(layout)), await axeViolations(page)));
      await page.close();
    }
    expect(found).toEqual([]);
  }

  it('the popup', () => check('popup'));
  it('the guard page', () => check('guard'));
  for (const section of OPTION_SECTIONS) it(`the options page, ${section}`, () => check(section));
});
