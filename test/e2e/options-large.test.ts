import type { Page, Worker } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { generateBenchData } from '../../scripts/bench/rule-data';
import { DEMO_ADMIN } from '../console/emulator/index';
import { TABLE_PAGE_SIZE } from '../../src/ui/options/pager';
import { axeInBothSchemes } from './support/axe';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { waitFor } from './support/harness';
import { environmentForSuite } from './support/suite-environment';

/**
 * The options page of the built extension in Chromium with a 5,000-rule
 * console profile (synced by the extension itself): one page of rows, the
 * filter, links to a rule's row (also from the popup), and the browser
 * policy export in the page's module worker, while the page keeps answering.
 */
const COUNT = 5000;
const PROFILE_ID = 'e2e5000f-0000-4000-8000-000000000001';
const LOCAL_DENY = 'local-deny.acme.test';
const rules = generateBenchData(COUNT, 1, 21).rules;

describe('the options page with a 5,000-rule profile, in Chromium', () => {
  let env: E2eEnvironment;
  const errors: string[] = [];
  environmentForSuite('options page, 5,000 rules', async () => {
    env = await startEnvironment({
      seed: { accounts: [DEMO_ADMIN], profiles: [{ id: PROFILE_ID, name: 'Large', description: '', rules }], defaultProfileId: PROFILE_ID },
      policy: ({ consoleUrl }) => ({
        consoleUrl,
        authMode: 'form',
        username: DEMO_ADMIN.email,
        password: DEMO_ADMIN.password,
        localRules: 'all',
        syncIntervalMinutes: 1440,
      }),
    });
    await waitFor(
      () => env.ext.ask({ type: 'getRuleSources' }),
      (sources) => sources.sources.some((source) => source.name === 'profile' && source.inForce && source.rules.length === COUNT),
      'the 5,000-rule profile in force',
      120_000,
    );
    const reply = await env.ext.send({ type: 'setLocalRules', rules: [{ host: LOCAL_DENY, port: '*', action: 'noCertificate' }] });
    if (!reply.ok) throw new Error(reply.error.message);
    return env;
  });

  async function optionsAt(hash: string): Promise<Page> {
    const page = await env.ext.context.newPage();
    await page.setViewportSize({ width: 1100, height: 800 });
    page.on('pageerror', (error) => errors.push(`${hash}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${hash}: ${message.text()}`);
    });
    await page.goto(env.ext.extensionUrl(`src/ui/options/index.html#${hash}`));
    return page;
  }

  it('shows one page of the profile, filters it, and has 0 axe violations', async () => {
    const page = await optionsAt('rules');
    const profile = page.locator('[data-source="profile"]');
    await profile.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await profile.locator('tbody tr').count()).toBe(TABLE_PAGE_SIZE);
    expect(await page.locator('tr, li.rule-row').count()).toBeLessThan(300);
    expect(await profile.locator('nav.pager .pager-position').innerText()).toBe(`Page 1 of ${COUNT / TABLE_PAGE_SIZE} (1–${TABLE_PAGE_SIZE} of ${COUNT})`);
    await page.getByLabel('Filter rules').pressSequentially('action:deny port:8443', { delay: 20 });
    const want = rules.filter((rule) => rule.action === 'noCertificate' && ['8443', '*'].includes(rule.port ?? '')).length;
    const count = await profile.locator('.filter-count').innerText();
    expect(Number(/^(\d+) of 5000 rules match the filter\.$/.exec(count)?.[1])).toBeGreaterThanOrEqual(want);
    for (const row of await profile.locator('tbody tr').all()) expect(await row.innerText()).toContain('noCertificate');
    expect(await axeInBothSchemes(page)).toEqual({ light: [], dark: [] });
    await page.close();
  });

  it('opened at #rule=profile:4321, shows that row highlighted and focused, axe clean', async () => {
    const page = await optionsAt('rule=profile:4321');
    const row = page.locator('[data-source="profile"] tr[data-index="4321"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('class')).toContain('rule-target');
    await expect.poll(() => row.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await row.innerText()).toContain('Rule 4322 (index 4321)');
    // Scrolled into view.
    expect(await row.evaluate((element) => element.getBoundingClientRect().top >= 0 && element.getBoundingClientRect().bottom <= innerHeight)).toBe(true);
    expect(await axeInBothSchemes(page)).toEqual({ light: [], dark: [] });
    await page.close();
  });

  it("the popup's rule links to its row in a new tab of the options page", async () => {
    const site = await env.ext.open(env.sites.site(LOCAL_DENY, '/'));
    const tabId = await env.ext.tabId(site);
    await expect.poll(async () => (await env.ext.ask({ type: 'getTabState', tabId }))?.verdict.reason, { timeout: 10_000 }).toBe('deny-rule');
    const popup = await env.ext.context.newPage();
    await popup.goto(env.ext.extensionUrl(`src/ui/popup/index.html?tabId=${tabId}`));
    const link = popup.locator('.current .rule-summary a');
    await link.waitFor();
    expect(await link.innerText()).toBe('Rule 1 (index 0)');
    const opened = env.ext.context.waitForEvent('page');
    await link.click();
    const options = await opened;
    await options.locator('[data-source="local"] li.rule-target').waitFor({ timeout: 30_000 });
    expect(options.url()).toBe(env.ext.extensionUrl('src/ui/options/index.html#rule=local:0'));
    await expect.poll(() => options.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe(LOCAL_DENY);
    await Promise.all([site.close(), popup.close(), options.close()]);
  });

  it('exports in a module worker of the extension: the page keeps answering, and a newer export ends the older worker', async () => {
    const workers: Worker[] = [];
    const page = await env.ext.context.newPage();
    page.on('worker', (worker) => workers.push(worker));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`browser-policy: ${message.text()}`);
    });
    await page.goto(env.ext.extensionUrl('src/ui/options/index.html#browser-policy'));
    await expect.poll(() => workers.length, { timeout: 30_000 }).toBe(1);
    expect(workers[0]?.url()).toMatch(new RegExp(`^chrome-extension://${env.ext.extensionId}/assets/export-worker-[\\w-]+\\.js$`));
    await page.locator('.export-progress').waitFor();
    // The 5,000-rule check runs in the worker; the page answers at once meanwhile.
    const answered = await page.evaluate(async () => {
      const start = performance.now();
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - start;
    });
    expect(answered).toBeLessThan(1_000);
    // Firefox's file: the same rules, sent to a new worker; the first one is ended.
    const closed = new Promise((resolve) => workers[0]?.once('close', resolve));
    await page.getByLabel('Format to preview').selectOption('firefox-json');
    await closed;
    await page.getByRole('heading', { name: 'Preview of policies.json' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#policy-report-heading').innerText()).toBe(`Report: ${COUNT + 1} lines`);
    expect(await page.locator('table[aria-labelledby="policy-report-heading"] tbody tr').count()).toBe(TABLE_PAGE_SIZE);
    expect(await page.locator('.error-text').count()).toBe(0);
    expect(workers.length).toBe(2);
    await page.close();
  });

  it('no extension page logged an error (a CSP refusal of the worker would be one)', () => {
    expect(errors).toEqual([]);
  });
});

describe('the export worker with a small rule set, in Chromium', () => {
  let env: E2eEnvironment;
  environmentForSuite('options page export, small', async () => {
    env = await startEnvironment({
      seed: null,
      policy: () => ({ localRules: 'all', rules: [{ host: '*.acme.test', port: '*', action: 'useEnrollmentCertificate' }] }),
    });
    return env;
  });

  it('compiles the Chrome policy in the worker and shows the report and the file', async () => {
    const page = await env.ext.context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(env.ext.extensionUrl('src/ui/options/index.html#browser-policy'));
    await page.locator('.policy-preview').waitFor({ timeout: 30_000 });
    expect(await page.locator('.policy-preview').innerText()).toContain('AutoSelectCertificateForUrls');
    expect(await page.locator('#policy-report-heading').innerText()).toBe('Report: 1 lines');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download: Edge, Linux JSON' }).click();
    expect((await download).suggestedFilename()).toBe('cert-rules-edge-any-certificate.json');
    expect(errors).toEqual([]);
    await page.close();
  });
});
