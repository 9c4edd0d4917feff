import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeHostPattern } from '../../src/engine/host-pattern';
import { CORPORATE_PROFILE_ID, DEMO_ADMIN, defaultSeed } from '../console/emulator/index';
import { REPO_ROOT } from '../helpers/paths';
import { startEnvironment, type E2eEnvironment } from './support/environment';

/**
 * The popup, the options page and the guard page in Chromium, driven like a
 * user: through their own controls, against the real background, the console
 * emulator and the test sites. Axe checks every page in light and dark, and
 * screenshots go to test-results/screenshots/.
 */
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results/screenshots');
const AXE_SOURCE = readFileSync(path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const OPTION_SECTIONS = ['rules', 'tester', 'sync', 'profiles', 'import', 'policy', 'browser-policy'] as const;

const HOSTS = {
  managedAllow: 'managed.acme.test',
  localDeny: 'deny.acme.test',
  noRule: 'other.example.test',
  profileAllow: 'www.example.test',
  plain: 'plain.example.test',
};
const MANAGED_RULES = [{ host: HOSTS.managedAllow, port: '*', action: 'useEnrollmentCertificate' }];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core inside an extension page. The page's CSP (script-src 'self') refuses
 * an injected <script>, so page.addScriptTag does not work there; page.evaluate
 * runs through the DevTools protocol, which CSP does not govern.
 */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact: impact ?? null,
      help,
      nodes: nodes.map((node) => ({ target: node.target as string[] })),
    }));
  });
}

/** Polls outside a test body (expect.poll works only inside one). */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** 0 violations in light and in dark; a screenshot of each. */
async function checkThemes(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Let styles settle after the switch (no transitions, but a frame is needed).
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    const violations = await axeViolations(page);
    expect(violations, `${name} (${scheme}): ${JSON.stringify(violations, null, 1)}`).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('popup and options page in Chromium (console admin, managed rules, local rules allowed)', () => {
  let env: E2eEnvironment;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    env = await startEnvironment({
      seed: defaultSeed(),
      policy: ({ consoleUrl }) => ({
        consoleUrl,
        authMode: 'form',
        username: DEMO_ADMIN.email,
        password: DEMO_ADMIN.password,
        rules: MANAGED_RULES,
        localRules: 'all',
        syncIntervalMinutes: 60,
        // The admin account comes from policy: profile administration with it needs the policy's consent.
        allowProfileAdmin: true,
      }),
    });
    // The first sync (at start) brings the console's default profile.
    await waitUntil(async () => (await env.ext.ask({ type: 'getStatus' })).sync.lastSuccessAt !== null, 30_000, 'the first sync');
  });

  afterAll(async () => {
    await env?.close();
  });

  const site = (host: string) => env.sites.site(host, '/');

  /** An extension page, with its script errors collected (a test fails on any). */
  async function extensionPage(pathAndQuery: string, viewport = { width: 1100, height: 800 }): Promise<Page> {
    const page = await env.ext.context.newPage();
    await page.setViewportSize(viewport);
    page.on('pageerror', (error) => pageErrors.push(`${pathAndQuery}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`${pathAndQuery}: ${message.text()}`);
    });
    await page.goto(env.ext.extensionUrl(pathAndQuery));
    return page;
  }

  /** Opens `url` in a tab, waits until the background has recorded it, and returns the tab's page and id. */
  async function visit(url: string): Promise<{ page: Page; tabId: number }> {
    const page = await env.ext.open(url);
    const tabId = await env.ext.tabId(page);
    await expect.poll(async () => (await env.ext.ask({ type: 'getTabState', tabId }))?.url, { timeout: 10_000 }).toBe(url);
    return { page, tabId };
  }

  /** The popup for a tab, opened as an ordinary tab with ?tabId (headless Chromium has no toolbar to click). */
  async function popupFor(tabId: number): Promise<Page> {
    const popup = await extensionPage(`src/ui/popup/index.html?tabId=${tabId}`, { width: 420, height: 640 });
    await popup.locator('.current [data-decision]').waitFor({ timeout: 10_000 });
    return popup;
  }

  const decisionOf = (popup: Page) => popup.locator('.current [data-decision]').getAttribute('data-decision');
  const ruleText = (popup: Page) => popup.locator('.current .rule-summary').innerText();

  async function optionsAt(section: (typeof OPTION_SECTIONS)[number]): Promise<Page> {
    const page = await extensionPage(`src/ui/options/index.html#${section}`);
    await page.locator(`main[data-section="${section}"]`).waitFor({ timeout: 10_000 });
    return page;
  }

  it('the popup names the decision and the rule that decided (managed allow rule)', async () => {
    const { tabId } = await visit(site(HOSTS.managedAllow));
    const popup = await popupFor(tabId);
    expect(await decisionOf(popup)).toBe('allowed');
    expect(await popup.locator('.current-host').innerText()).toContain(`${HOSTS.managedAllow}:${env.sites.sitePort}`);
    const rule = await ruleText(popup);
    expect(rule).toContain('Organisation policy');
    expect(rule).toContain('Rule 1 (index 0)');
    expect(rule).toContain(HOSTS.managedAllow);
    expect(await popup.locator('.status-line').innerText()).toContain('Corporate, synced');
    await checkThemes(popup, 'popup-allowed');
  });

  it('the popup for a site no rule names, and for a plain-HTTP page', async () => {
    const { tabId } = await visit(site(HOSTS.noRule));
    const popup = await popupFor(tabId);
    expect(await decisionOf(popup)).toBe('no-rule');
    await checkThemes(popup, 'popup-no-rule');
    const plain = await visit(env.sites.plain(HOSTS.plain, '/'));
    const plainPopup = await popupFor(plain.tabId);
    expect(await decisionOf(plainPopup)).toBe('not-tls');
    await checkThemes(plainPopup, 'popup-not-tls');
  });

  it('managed and console-profile rules cannot be edited in the options page', async () => {
    const page = await optionsAt('rules');
    const managed = page.locator('[data-source="managed"]');
    await managed.waitFor();
    expect(await managed.locator('svg.icon-lock').count()).toBe(1);
    expect(await managed.innerText()).toContain("Set by your organisation's policy; it cannot be changed here.");
    expect(await managed.innerText()).toContain(HOSTS.managedAllow);
    expect(await managed.locator('input, select, textarea, button').count()).toBe(0);
    const profile = page.locator('[data-source="profile"]');
    expect(await profile.innerText()).toContain('Console profile “Corporate”');
    expect(await profile.locator('input, select, textarea').count()).toBe(0);
    expect(await page.locator('[data-source="local"] input').count()).toBe(0);
    expect(await page.locator('[data-source="local"]').getByRole('button', { name: 'Add rule' }).count()).toBe(1);
  });

  it("typing an invalid host shows the engine's message and Save stays disabled; a valid local deny rule is saved", async () => {
    const page = await optionsAt('rules');
    const local = page.locator('[data-source="local"]');
    await local.getByRole('button', { name: 'Add rule' }).click();
    const host = local.getByLabel('Host pattern');
    await host.pressSequentially('https://deny.acme.test/login');
    const expected = normalizeHostPattern('https://deny.acme.test/login');
    if (expected.ok) throw new Error('the engine should refuse a URL as a host');
    const messageId = await host.getAttribute('aria-describedby');
    await expect.poll(() => page.locator(`#${messageId}`).innerText()).toBe(expected.message);
    expect(await host.getAttribute('aria-invalid')).toBe('true');
    const save = local.getByRole('button', { name: 'Save rules' });
    expect(await save.isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'options-rules-invalid-host.png'), fullPage: true });
    await host.fill(HOSTS.localDeny);
    await local.getByLabel('Port').fill('*');
    expect(await local.getByLabel('Action').inputValue()).toBe('noCertificate');
    await expect.poll(() => save.isDisabled()).toBe(false);
    await save.click();
    await expect.poll(() => local.getByRole('status').innerText()).toBe('Saved. Rules: 1.');
    const sources = await env.ext.ask({ type: 'getRuleSources' });
    expect(sources.sources.find((source) => source.name === 'local')?.rules).toEqual([{ host: HOSTS.localDeny, port: '*', action: 'noCertificate' }]);
  });

  it('after adding the local deny rule, the popup on that site shows the new decision and rule', async () => {
    const { tabId } = await visit(site(HOSTS.localDeny));
    const popup = await popupFor(tabId);
    expect(await decisionOf(popup)).toBe('excluded');
    const rule = await ruleText(popup);
    expect(rule).toContain('Local rules');
    expect(rule).toContain('Rule 1 (index 0)');
    expect(rule).toContain(HOSTS.localDeny);
    expect(rule).toContain('noCertificate');
    await checkThemes(popup, 'popup-excluded');
  });

  it('as a console admin, edit a profile in the options page: the emulator has the new rules, and after sync the popup follows', async () => {
    const before = await visit(site(HOSTS.profileAllow));
    expect(await decisionOf(await popupFor(before.tabId))).toBe('no-rule');

    const page = await optionsAt('profiles');
    await page.getByRole('button', { name: 'Open Corporate' }).click();
    const editor = page.getByRole('region', { name: 'Profile “Corporate”' });
    await editor.waitFor();
    const rowsBefore = await editor.getByRole('group').count();
    await editor.getByRole('button', { name: 'Add rule' }).click();
    const row = editor.getByRole('group').nth(rowsBefore);
    await row.getByLabel('Host pattern').fill(HOSTS.profileAllow);
    await row.getByLabel('Port').fill('*');
    await row.getByLabel('Action').selectOption('useEnrollmentCertificate');
    const save = editor.getByRole('button', { name: 'Save to console' });
    await save.click();
    const dialog = page.getByRole('alertdialog', { name: 'Save “Corporate” to the console?' });
    await dialog.waitFor();
    // The browser's own modal dialog: the page behind is inert, Cancel has the focus,
    // Escape closes it and gives the focus back to the button that opened it.
    expect(await dialog.evaluate((element) => element.matches('dialog:modal'))).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await save.evaluate((button) => button === document.activeElement)).toBe(true);
    await save.click();
    await dialog.waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'options-profiles-confirm.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save to console' }).click();
    await page.getByText('Saved Corporate on the console.').waitFor({ timeout: 15_000 });

    const stored = env.console?.model.profiles.get(CORPORATE_PROFILE_ID);
    const rules = JSON.parse(stored?.data ?? '{}').clientCertsUrlMatchingRules as unknown[];
    expect(rules).toHaveLength(rowsBefore + 1);
    expect(rules.at(-1)).toEqual({ host: HOSTS.profileAllow, port: '*', action: 'useEnrollmentCertificate' });

    const sync = await optionsAt('sync');
    await sync.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => sync.getByText('Sync finished: the rules changed.').count(), { timeout: 30_000 }).toBe(1);

    await env.ext.navigate(before.page, site(HOSTS.profileAllow) + '?after-sync');
    await expect.poll(async () => (await env.ext.ask({ type: 'getTabState', tabId: before.tabId }))?.verdict.reason, { timeout: 10_000 }).toBe('allow-rule');
    const popup = await popupFor(before.tabId);
    expect(await decisionOf(popup)).toBe('allowed');
    const rule = await ruleText(popup);
    expect(rule).toContain('Console profile “Corporate”');
    expect(rule).toContain(`Rule ${rowsBefore + 1} (index ${rowsBefore})`);
    expect(rule).toContain(HOSTS.profileAllow);
  });

  it('every options section has 0 axe violations in light and dark', async () => {
    for (const section of OPTION_SECTIONS) {
      const page = await optionsAt(section);
      if (section === 'tester') {
        await page.getByLabel('URL to test').fill(`${site(HOSTS.localDeny)}path`);
        await page.getByRole('button', { name: 'Test' }).click();
        await page.locator('.trace [data-decision]').waitFor();
      }
      if (section === 'sync') await page.getByRole('table').first().waitFor();
      if (section === 'profiles') await page.getByRole('button', { name: 'Open Corporate' }).waitFor();
      if (section === 'import') {
        await page.getByLabel('Or paste JSON').fill(
          JSON.stringify([
            { host: 'ok.acme.test', action: 'noCertificate' },
            { host: 'https://bad', action: 'noCertificate' },
          ]),
        );
        await page.getByRole('button', { name: 'Check' }).click();
        await page.locator('[data-import="blocked"]').waitFor();
      }
      if (section === 'policy') await page.locator('[data-setting="consoleUrl"]').waitFor();
      if (section === 'browser-policy') {
        // Compiled in the page (the compiler is a chunk loaded on demand): the suite's rules are in force, so a real policy shows.
        await page.locator('.policy-preview').waitFor({ timeout: 15_000 });
        expect(await page.locator('.policy-preview').innerText()).toContain('AutoSelectCertificateForUrls');
        expect(await page.locator('.error-text').count()).toBe(0);
      }
      await checkThemes(page, `options-${section}`);
      await page.close();
    }
  });

  it('the options page is readable at 200% zoom (no sideways scrolling at half the width)', async () => {
    const page = await extensionPage('src/ui/options/index.html#rules', { width: 640, height: 800 });
    await page.locator('[data-source="local"]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'options-rules-zoom-200.png'), fullPage: true });
  });

  it('the guard page explains a deny rule, and refuses an address the guard did not stop, with 0 axe violations', async () => {
    // The page explains only what the guard stops: the guard must be on.
    await env.ext.ask({ type: 'setLocalSettings', settings: { guard: 'warn' } });
    const blocked = `${site(HOSTS.localDeny)}secret?a=1&b=2`;
    const page = await extensionPage(`src/ui/guard/index.html?url=${blocked}`);
    await page.locator('.rule-summary').waitFor();
    expect(await page.locator('.rule-summary').innerText()).toContain(HOSTS.localDeny);
    expect(await page.getByText(blocked).count()).toBe(1);
    await checkThemes(page, 'guard');

    const refusal = await extensionPage(`src/ui/guard/index.html?url=${site(HOSTS.noRule)}login`);
    await refusal.getByRole('heading', { name: 'This page was not opened by the guard' }).waitFor();
    expect(await refusal.locator('button').count()).toBe(0);
    await checkThemes(refusal, 'guard-not-stopped');
    await env.ext.ask({ type: 'setLocalSettings', settings: { guard: null } });
  });

  it('no extension page logged a script error', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('no rules available (a policy with only localRules: denyOnly, no console, no local rules)', () => {
  let env: E2eEnvironment;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    env = await startEnvironment({ seed: null, policy: () => ({ localRules: 'denyOnly' }) });
  });

  afterAll(async () => {
    await env?.close();
  });

  it('says "rules unavailable", not a rule decision', async () => {
    const url = env.sites.site(HOSTS.managedAllow, '/');
    const page = await env.ext.open(url);
    const tabId = await env.ext.tabId(page);
    await expect.poll(async () => (await env.ext.ask({ type: 'getTabState', tabId }))?.verdict.reason, { timeout: 10_000 }).toBe('no-rules');
    const popup = await env.ext.context.newPage();
    await popup.setViewportSize({ width: 420, height: 640 });
    await popup.goto(env.ext.extensionUrl(`src/ui/popup/index.html?tabId=${tabId}`));
    const box = popup.locator('.current [data-decision]');
    await box.waitFor();
    expect(await box.getAttribute('data-decision')).toBe('unavailable');
    expect(await box.innerText()).toContain('Rules unavailable');
    await checkThemes(popup, 'popup-rules-unavailable');
  });

  it('local rules under denyOnly: only exclusion rules can be added; axe clean', async () => {
    const page = await env.ext.context.newPage();
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.goto(env.ext.extensionUrl('src/ui/options/index.html#rules'));
    const local = page.locator('[data-source="local"]');
    await local.waitFor();
    expect(await local.getByRole('button', { name: 'Add rule' }).count()).toBe(0);
    await local.getByRole('button', { name: 'Add exclusion rule' }).click();
    const options = await local
      .getByLabel('Action')
      .locator('option')
      .evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value));
    expect(options).toEqual(['noCertificate']);
    await local.getByLabel('Host pattern').fill('*acme.test');
    await local.locator('.finding-warning').first().waitFor();
    await checkThemes(page, 'options-rules-deny-only');
  });

  it('the console settings form (no console set by policy) is axe clean and keeps the password write-only', async () => {
    const page = await env.ext.context.newPage();
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.goto(env.ext.extensionUrl('src/ui/options/index.html#sync'));
    await page.locator('.settings-form').waitFor();
    // The default sign-in method is the browser session (nothing stored); choose the one with a password.
    await page.getByLabel('Sign-in method').selectOption('form');
    const password = page.getByLabel('Password');
    await password.waitFor();
    expect(await password.inputValue()).toBe('');
    expect(await password.getAttribute('type')).toBe('password');
    await checkThemes(page, 'options-sync-settings');
  });
});
