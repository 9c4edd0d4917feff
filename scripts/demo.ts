#!/usr/bin/env -S npx tsx
// `npm start`: the extension at work, on this machine, with nothing from the network.
//
//  1. builds dist/ when it is missing or older than the sources;
//  2. starts the console emulator with the demo profiles, and HTTPS sites for
//     intranet.acme.test, public.acme.test, www.example.test, … on loopback;
//  3. configures the extension through Chromium's managed policy
//     (/etc/chromium/policies/managed/ccr-demo.json, removed on exit) — or, where
//     that directory is not writable, through the options page's local settings;
//  4. starts Debian's Chromium with the extension:
//     - with a display (DISPLAY or WAYLAND_DISPLAY set, and no --headless): a
//       window with the demo sites open, until the window is closed or Ctrl-C;
//     - without one: headless; visits each demo site, writes a screenshot of the
//       popup for each (opened as a tab with ?tabId=) to artifacts/demo/, prints
//       where they are, and exits 0.
//
// Options: --headless (even with a display), --out-dir DIR (default artifacts/demo),
// --no-build (use dist/ as it is). Exits 1 when a popup does not show the expected decision.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { Reply, RequestOf, RequestType, ResponseMap } from '../src/shared/messages';
import { startConsoleEmulator, DEMO_ADMIN, type ConsoleEmulator } from '../test/console/emulator/index';
import { CHROME_DIST, CHROMIUM, CHROMIUM_FLAGS } from '../test/e2e/chromium';
import { pollUntil } from '../test/e2e/support/poll';
import { acquirePolicyLock, CHROMIUM_POLICY_DIR } from '../test/e2e/support/policy';
import { HOST_RESOLVER_RULES, startTestSites, type TestSites } from '../test/e2e/support/sites';
import { projectExtensionId } from './extension-id.mjs';
import { staleBuildReason } from './build-freshness';
import { DEMO_HOSTS, DEMO_PROFILE_NAME, demoSeed, demoSettings } from './demo/seed';

const ROOT = path.resolve(import.meta.dirname, '..');
const POLICY_FILE = path.join(CHROMIUM_POLICY_DIR, 'ccr-demo.json');

interface DemoSite {
  name: string;
  url: string;
  /** The decision the popup must show for the site (its heading). */
  shows: string;
  /** What to look for, printed beside the screenshot. */
  expect: string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

function demoSites(sites: TestSites): DemoSite[] {
  return [
    {
      name: 'intranet',
      url: sites.pageWith(
        DEMO_HOSTS.intranet,
        [sites.mtls(DEMO_HOSTS.mtls, '/badge.png'), sites.site(DEMO_HOSTS.cdn, '/logo.png'), sites.site(DEMO_HOSTS.public, '/pixel.png')],
        '/',
      ),
      shows: 'Certificate allowed',
      expect: 'rule 1 of the profile allows it; the login server that asked for a certificate is listed',
    },
    { name: 'public', url: sites.site(DEMO_HOSTS.public, '/'), shows: 'Excluded by a rule', expect: 'a deny rule; the guard (warn) stopped the page first' },
    { name: 'www-example', url: sites.site(DEMO_HOSTS.unmatched, '/'), shows: 'No rule for this site', expect: 'the certificate is not proposed' },
    { name: 'http', url: sites.plain(DEMO_HOSTS.unmatched, '/'), shows: 'Not a secure connection', expect: 'no certificate can be sent over http' },
  ];
}

function buildIfNeeded(): void {
  const reason = staleBuildReason(ROOT, CHROME_DIST);
  if (!reason) return;
  log(`Building (${reason}) …`);
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed');
}

/** Writes the policy file under the machine-wide policy lock; null when this machine does not let us. */
async function installPolicy(settings: Record<string, unknown>): Promise<(() => void) | null> {
  let release: (() => void) | null = null;
  try {
    release = await acquirePolicyLock(20_000);
    mkdirSync(CHROMIUM_POLICY_DIR, { recursive: true });
    writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [projectExtensionId()]: settings } } }, null, 2));
    const releaseLock = release;
    return () => {
      rmSync(POLICY_FILE, { force: true });
      releaseLock();
    };
  } catch (error) {
    release?.();
    log(`Managed policy not installed (${(error as Error).message}); the demo uses the options page's local settings instead.`);
    return null;
  }
}

async function extensionWorker(context: BrowserContext): Promise<Worker> {
  const existing = context.serviceWorkers().find((worker) => worker.url().startsWith('chrome-extension://'));
  return existing ?? context.waitForEvent('serviceworker', { timeout: 30_000 });
}

/** Requests go through an extension page, as the extension's own pages send them. */
function sender(page: Page) {
  return <T extends RequestType>(request: RequestOf<T>) =>
    page.evaluate((message) => chrome.runtime.sendMessage(message), request as unknown) as Promise<Reply<ResponseMap[T]>>;
}

async function tabIdOf(worker: Worker, url: string): Promise<number> {
  return pollUntil(
    () => worker.evaluate(async (wanted) => (await chrome.tabs.query({})).find((tab) => tab.url === wanted || tab.pendingUrl === wanted)?.id ?? null, url),
    (id): id is number => id !== null,
    { what: `the tab showing ${url}` },
  ) as Promise<number>;
}

async function openSite(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  // An error page or a redirect (the guard) is part of the demo, not a failure.
  await page.goto(url, { waitUntil: 'load', timeout: 20_000 }).catch(() => undefined);
  return page;
}

/** Writes the screenshots; returns the files and the sites whose popup did not show the expected decision. */
async function screenshots(
  context: BrowserContext,
  worker: Worker,
  extensionId: string,
  sites: DemoSite[],
  outDir: string,
): Promise<{ written: string[]; wrong: string[] }> {
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(outDir)) if (file.endsWith('.png')) rmSync(path.join(outDir, file));
  const written: string[] = [];
  const wrong: string[] = [];
  let index = 0;
  for (const site of sites) {
    index++;
    const prefix = path.join(outDir, `${String(index).padStart(2, '0')}-${site.name}`);
    const page = await openSite(context, site.url);
    await page.waitForTimeout(500);
    const tabId = await tabIdOf(worker, page.url());
    if (page.url().startsWith('chrome-extension://')) {
      await page.setViewportSize({ width: 900, height: 760 });
      await page.screenshot({ path: `${prefix}-guard-page.png`, fullPage: true });
      written.push(`${prefix}-guard-page.png`);
    }
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 420, height: 640 });
    await popup.goto(`chrome-extension://${extensionId}/src/ui/popup/index.html?tabId=${tabId}`);
    await popup.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false', undefined, { timeout: 10_000 });
    await popup.screenshot({ path: `${prefix}-popup.png`, fullPage: true });
    written.push(`${prefix}-popup.png`);
    const shown =
      (
        await popup
          .locator('section.current .decision-title')
          .first()
          .textContent()
          .catch(() => null)
      )?.trim() ?? '(nothing)';
    if (shown !== site.shows) wrong.push(`${site.name}: the popup shows "${shown}", expected "${site.shows}"`);
    log(
      `  ${site.name.padEnd(12)} ${site.url}\n  ${''.padEnd(12)} popup: ${shown} — ${site.expect}\n  ${''.padEnd(12)} → ${path.relative(ROOT, `${prefix}-popup.png`)}`,
    );
    await popup.close();
  }
  return { written, wrong };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { headless: { type: 'boolean', default: false }, 'out-dir': { type: 'string' }, 'no-build': { type: 'boolean', default: false } },
    strict: true,
  });
  const headed = !values.headless && Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
  const outDir = path.resolve(ROOT, values['out-dir'] ?? 'artifacts/demo');
  if (!values['no-build']) buildIfNeeded();

  // Machine-wide leftovers (the policy file, its lock) are removed synchronously,
  // also on 'exit', so no way out of this process leaves them behind; the
  // servers and the browser are closed in reverse order of starting.
  const cleanups: (() => Promise<void> | void)[] = [];
  const syncCleanups: (() => void)[] = [];
  const runSyncCleanups = () => {
    for (const step of syncCleanups.splice(0).reverse()) {
      try {
        step();
      } catch {
        // Best effort: the next step must still run.
      }
    }
  };
  process.on('exit', runSyncCleanups);
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      runSyncCleanups();
      for (const step of cleanups.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void cleanUp().then(() => process.exit(130)));
  }

  try {
    const sites = await startTestSites();
    cleanups.push(() => sites.close());
    const emulator: ConsoleEmulator = await startConsoleEmulator({ seed: demoSeed(), loginStyle: 'redirect' });
    cleanups.push(() => emulator.close());
    const settings = demoSettings(emulator.url);
    const removePolicy = await installPolicy(settings);
    if (removePolicy) syncCleanups.push(removePolicy);

    const profile = mkdtempSync(path.join(tmpdir(), 'ccr-demo-'));
    cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, {
      // The signals are ours: Playwright's handlers would exit before the policy file is removed.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      executablePath: CHROMIUM,
      headless: false,
      viewport: headed ? null : { width: 1000, height: 720 },
      args: [
        ...CHROMIUM_FLAGS.filter((flag) => !(headed && flag.startsWith('--headless'))),
        `--disable-extensions-except=${CHROME_DIST}`,
        `--load-extension=${CHROME_DIST}`,
        HOST_RESOLVER_RULES,
        // The demo sites' certificate is self-signed, made at start.
        '--ignore-certificate-errors',
      ],
    });
    cleanups.push(() => context.close());
    const worker = await extensionWorker(context);
    const extensionId = new URL(worker.url()).host;
    await worker.evaluate(async () => (globalThis as { certRulesReady?: Promise<void> }).certRulesReady);

    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/src/ui/options/index.html`);
    const send = sender(options);
    if (!removePolicy) {
      const saved = await send({ type: 'setLocalSettings', settings });
      if (!saved.ok) throw new Error(`local settings refused: ${saved.error.message}`);
      await send({ type: 'syncNow' });
    }
    const status = await pollUntil(
      () => send({ type: 'getStatus' }),
      (reply) => reply.ok && reply.value.sync.lastSuccessAt !== null,
      {
        timeoutMs: 30_000,
        what: 'the first sync from the console emulator',
      },
    ).catch((error: Error) => {
      log(`Warning: ${error.message}. The popups will say "rules unavailable".`);
      return null;
    });
    if (status?.ok)
      log(
        `Synced profile "${status.value.sync.profileName ?? DEMO_PROFILE_NAME}" from ${emulator.url} (${removePolicy ? `managed policy ${POLICY_FILE}` : 'local settings'}).`,
      );

    const demo = demoSites(sites);
    if (!headed) {
      log(`No display: headless run, popup screenshots in ${path.relative(ROOT, outDir)}/`);
      const { written, wrong } = await screenshots(context, worker, extensionId, demo, outDir);
      log(`\nWrote ${written.length} screenshots:\n${written.map((file) => `  ${path.relative(ROOT, file)}`).join('\n')}`);
      if (wrong.length > 0) throw new Error(`unexpected decisions:\n  ${wrong.join('\n  ')}`);
      return;
    }

    for (const site of demo) await openSite(context, site.url);
    log(`
Chromium is open with the extension (id ${extensionId}) and the demo sites:
${demo.map((site) => `  ${site.url}\n      ${site.expect}`).join('\n')}
Click the extension's toolbar icon on each tab to see its decision; the options page shows the rules and the tester.
Console emulator: ${emulator.origin}/mocana-app-control/login.jsp (${DEMO_ADMIN.email} / ${DEMO_ADMIN.password})
Close the browser window or press Ctrl-C to stop.`);
    await new Promise<void>((resolve) => context.once('close', () => resolve()));
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
