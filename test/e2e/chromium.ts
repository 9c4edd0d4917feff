import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { REPO_ROOT } from '../helpers/paths';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROME_DIST = path.join(REPO_ROOT, 'dist/chrome');

/** Flags that keep Debian's Chromium quiet and offline (docs/testing.md, "Driving the browsers"). */
export const CHROMIUM_FLAGS = [
  // Playwright's own headless switch starts the old headless shell, which
  // cannot load extensions; the new headless mode is full Chromium.
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface ChromiumWithExtension {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  close: () => Promise<void>;
}

/**
 * Starts Chromium with the unpacked build and waits for its service worker:
 * in a fresh profile, removed on close, or in `profileDir`, kept (a test that
 * restarts the browser starts it again on the same profile).
 */
export async function launchChromiumWithExtension(
  options: { extensionDir?: string; args?: string[]; timeoutMs?: number; profileDir?: string } = {},
): Promise<ChromiumWithExtension> {
  const extensionDir = options.extensionDir ?? CHROME_DIST;
  if (!existsSync(path.join(extensionDir, 'manifest.json'))) {
    throw new Error(`${extensionDir}/manifest.json is missing: run "npm run build" first`);
  }
  const kept = options.profileDir !== undefined;
  const profile = options.profileDir ?? mkdtempSync(path.join(tmpdir(), 'ccr-chromium-'));
  const removeProfile = () => {
    if (!kept) rmSync(profile, { recursive: true, force: true });
  };
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    args: [...CHROMIUM_FLAGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...(options.args ?? [])],
  });
  try {
    const serviceWorker =
      context.serviceWorkers().find((worker) => worker.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker', { timeout: options.timeoutMs ?? 30_000 }));
    const extensionId = new URL(serviceWorker.url()).host;
    return {
      context,
      serviceWorker,
      extensionId,
      close: async () => {
        await context.close();
        removeProfile();
      },
    };
  } catch (error) {
    await context.close();
    removeProfile();
    throw error;
  }
}
