import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_HOSTS, demoSeed, demoSettings } from '../demo/seed';
import { startEnvironment, type E2eEnvironment, type EnvironmentOptions } from '../../test/e2e/support/environment';
import { waitFor } from '../../test/e2e/support/harness';
import { captureSchemes, extensionPage, nextFrame, popupFor, settle } from './capture';

/**
 * The same pictures from two builds (an older commit's and the current one):
 * the states the pages' fixes concern, each named by what it shows so the two
 * folders compare file by file. Each is light and dark; the badge, which has
 * no picture in headless Chromium, is written as JSON as the browser reports
 * it. Every step tolerates a build that does not show what it waits for: the
 * older build is pictured as it behaves.
 */

/** Local rules that the browser policy export words (a starred host with a starred port, an allow rule on every host of port 80). */
export const BEFORE_AFTER_LOCAL_RULES = [
  { host: 'mail*.acme.test', port: '*443', action: 'useEnrollmentCertificate' },
  { host: '*', port: '80', action: 'useEnrollmentCertificate' },
  { host: 'wiki.example.test', port: '*', action: 'noCertificate' },
];

/** The demo's console and sites, local rules allowed, the first sync held until the set lets it through. */
export const BEFORE_AFTER_ENVIRONMENT: Omit<EnvironmentOptions, 'extensionDir'> = {
  seed: demoSeed(),
  policy: ({ consoleUrl }) => ({ ...demoSettings(consoleUrl ?? ''), localRules: 'all' }),
  beforeLaunch: (console) => console.setFault('any', { type: 'hold' }),
};

export const SHOTS: Record<string, string> = {
  '01-options-first-sync': 'Options page (Rules) opened while the first sync runs',
  '01-options-after-first-sync': 'The same page after the first sync ended, not reloaded (follows live?)',
  '01-options-policy-after-first-sync': 'Options page (Policy) opened during the first sync, after it ended, not reloaded: the guard state',
  '02-popup-first-sync': 'Popup opened while the first sync runs (badge: 02-badge-first-sync.json)',
  '02-popup-after-first-sync': 'The same popup after the first sync ended, not reloaded (badge: 02-badge-after-first-sync.json)',
  '03-guard-new-tab': 'Guard page for an excluded site opened in a new tab (no history to go back to)',
  '04-popup-after-continue': 'Popup on the site after "Continue to the site": the exception',
  '04-options-policy-after-continue': 'Options page (Policy) after "Continue": active exceptions',
  '05-tester-bare-host': 'Options tester with a bare host name typed (intranet.acme.test)',
  '06-browser-policy': 'Options page, Browser policy: outcome labels and export notes',
  '07-rules-numbering': 'Options page, Rules: rule numbering in tables and lint notes',
  '07-popup-rule-numbering': 'Popup on an excluded site: the rule that decided, numbered',
  '08-sync-error': 'Options page, Sync: history after a failed sync',
  '08-popup-sync-error': 'Popup after a failed sync: the error, once',
  '09-narrow-popup': 'Popup at 320 px',
  '09-narrow-guard': 'Guard page at 320 px',
  '09-narrow-rules': 'Options page, Rules at 320 px (editor: Action select)',
  '09-narrow-sync': 'Options page, Sync at 320 px (history table)',
  '09-narrow-policy': 'Options page, Policy at 320 px (guard setting)',
  '09-zoom-rules': 'Options page, Rules at 1280 px and 200% zoom (640 CSS px)',
  '09-wide-rules': 'Options page, Rules at 1280 px (Notes column)',
};

const optionsAt = async (env: E2eEnvironment, section: string, width = 1100): Promise<Page> => {
  const page = await extensionPage(env.ext, `src/ui/options/index.html#${section}`, width, 800);
  await settle(page, `main[data-section="${section}"]`, 5_000);
  await settle(page, 'main:not([aria-busy="true"])', 3_000);
  return page;
};

const syncStatus = (env: E2eEnvironment) => env.ext.ask({ type: 'getStatus' }).then((status) => status.sync);

/** Takes the set from the build in options.extensionDir into outDir; returns the files written. */
export async function beforeAfterSet(options: EnvironmentOptions, outDir: string, log: (line: string) => void): Promise<string[]> {
  const env = await startEnvironment(options);
  const written: string[] = [];
  const shot = async (page: Page, name: string) => {
    if (!(name in SHOTS)) throw new Error(`no description for ${name}`);
    written.push(...(await captureSchemes(page, outDir, name)));
  };
  const note = (name: string, value: unknown) => {
    const file = path.join(outDir, `${name}.json`);
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
    written.push(file);
  };
  try {
    const { ext } = env;
    // During the first sync (held by the console).
    const site = await ext.open(`https://${DEMO_HOSTS.intranet}/`);
    const siteTab = await ext.tabId(site);
    const options = await optionsAt(env, 'rules');
    const policy = await optionsAt(env, 'policy');
    const popup = await popupFor(ext, siteTab);
    await shot(options, '01-options-first-sync');
    await shot(popup, '02-popup-first-sync');
    note('02-badge-first-sync', await ext.badge(siteTab));
    env.console?.clearFaults();
    await waitFor(
      () => syncStatus(env),
      (sync) => sync.lastSuccessAt !== null,
      'the first sync',
      30_000,
    );
    // Time for a page that follows changes to show them; none is reloaded.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await shot(options, '01-options-after-first-sync');
    await shot(policy, '01-options-policy-after-first-sync');
    await shot(popup, '02-popup-after-first-sync');
    note('02-badge-after-first-sync', await ext.badge(siteTab));
    log('  first sync pictured');

    // The guard (warn) in a tab a page opened (a link to a new tab): no history to go back to. Then "Continue".
    const opened = ext.context.waitForEvent('page');
    await site.evaluate((url) => window.open(url, '_blank'), `https://${DEMO_HOSTS.public}/`);
    const guard = await opened;
    await guard.waitForLoadState('load').catch(() => undefined);
    await guard.setViewportSize({ width: 800, height: 600 });
    await settle(guard, '.guard .rule-summary');
    await shot(guard, '03-guard-new-tab');
    const guardTab = await ext.tabId(guard);
    const continued = await guard
      .getByRole('button', { name: 'Continue to the site' })
      .click({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (continued) await guard.waitForURL(/^https:/, { timeout: 10_000 }).catch(() => undefined);
    await shot(await popupFor(ext, guardTab), '04-popup-after-continue');
    await shot(await optionsAt(env, 'policy'), '04-options-policy-after-continue');
    log('  guard pictured');

    const tester = await optionsAt(env, 'tester');
    await tester.getByLabel('URL to test').fill(DEMO_HOSTS.intranet);
    await tester.getByRole('button', { name: 'Test', exact: true }).click();
    await settle(tester, '.trace', 5_000);
    await shot(tester, '05-tester-bare-host');

    await ext.ask({ type: 'setLocalRules', rules: BEFORE_AFTER_LOCAL_RULES });
    const browserPolicy = await optionsAt(env, 'browser-policy');
    await settle(browserPolicy, '.policy-preview', 20_000);
    await shot(browserPolicy, '06-browser-policy');
    await shot(await optionsAt(env, 'rules'), '07-rules-numbering');
    const excluded = await ext.open(`https://${DEMO_HOSTS.public}/?second`);
    await shot(await popupFor(ext, await ext.tabId(excluded)), '07-popup-rule-numbering');
    log('  tester, browser policy, numbering pictured');

    env.console?.setFault('any', { type: 'status', status: 503 });
    await ext.ask({ type: 'syncNow' }).catch(() => undefined);
    await waitFor(
      () => syncStatus(env),
      (sync) => sync.lastError !== null && !sync.inProgress,
      'a failed sync',
      30_000,
    );
    await shot(await optionsAt(env, 'sync'), '08-sync-error');
    await shot(await popupFor(ext, siteTab), '08-popup-sync-error');
    env.console?.clearFaults();

    await shot(await popupFor(ext, siteTab, 320), '09-narrow-popup');
    const narrowGuard = await ext.open(`https://${DEMO_HOSTS.public}/?narrow`);
    await narrowGuard.setViewportSize({ width: 320, height: 600 });
    await settle(narrowGuard, '.guard .rule-summary');
    await nextFrame(narrowGuard);
    await shot(narrowGuard, '09-narrow-guard');
    await shot(await optionsAt(env, 'rules', 320), '09-narrow-rules');
    await shot(await optionsAt(env, 'sync', 320), '09-narrow-sync');
    await shot(await optionsAt(env, 'policy', 320), '09-narrow-policy');
    await shot(await optionsAt(env, 'rules', 640), '09-zoom-rules');
    await shot(await optionsAt(env, 'rules', 1280), '09-wide-rules');
    log('  sync error and narrow layouts pictured');
    writeFileSync(
      path.join(outDir, 'README.md'),
      `# What each picture shows\n\nEach name has a -light.png and a -dark.png.\n\n${Object.entries(SHOTS)
        .map(([name, what]) => `- \`${name}\`: ${what}`)
        .join('\n')}\n`,
    );
    return written;
  } finally {
    await env.close();
  }
}
