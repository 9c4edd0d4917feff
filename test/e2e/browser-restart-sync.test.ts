import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectExtensionId } from '../../scripts/extension-id.mjs';
import { startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { launchChromiumWithExtension } from './chromium';
import { ExtensionHarness, waitFor } from './support/harness';
import { acquirePolicyLock, installChromiumPolicy, removeChromiumPolicy } from './support/policy';
import { E2E_PROFILE_ID, E2E_USER, e2eSeed } from './support/scenario';

/**
 * The console's load at a browser start (docs/fleet.md): Chromium started
 * again on the same profile makes no console request while the last sync is
 * fresh, and exactly one sync, a few minutes later, when it is old.
 */
describe('a browser restart and the console (Chromium, form login)', () => {
  const REST = '/mocana-app-control/rest/';
  const MINUTE = 60_000;
  let emulator: ConsoleEmulator;
  let profileDir: string;
  let releaseLock: () => void = () => undefined;
  let ext: ExtensionHarness | null = null;

  beforeAll(async () => {
    releaseLock = await acquirePolicyLock();
    emulator = await startConsoleEmulator({ seed: e2eSeed(), loginStyle: 'redirect' });
    installChromiumPolicy(projectExtensionId(), {
      consoleUrl: emulator.url,
      authMode: 'form',
      username: E2E_USER.email,
      password: E2E_USER.password,
      guard: 'off',
    });
    profileDir = mkdtempSync(path.join(tmpdir(), 'ccr-restart-'));
  }, 120_000);

  afterAll(async () => {
    await ext?.close().catch(() => undefined);
    removeChromiumPolicy();
    releaseLock();
    await emulator?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  /** Starts Chromium on the test's profile (the same one every time) and waits for the background. */
  async function start(): Promise<ExtensionHarness> {
    ext = new ExtensionHarness(await launchChromiumWithExtension({ profileDir }));
    await ext.waitReady();
    return ext;
  }

  async function stop(): Promise<void> {
    await ext?.close();
    ext = null;
  }

  const consoleRequests = () => emulator.requests.filter((request) => request.resource !== 'admin').map((request) => `${request.method} ${request.path}`);
  // Read in the worker, not through an extension page: the options page asks the console who is signed in.
  const syncAlarm = (harness: ExtensionHarness) => harness.inWorker(async () => (await chrome.alarms.get('sync'))?.scheduledTime ?? null, null);
  const lastSuccess = (harness: ExtensionHarness) =>
    harness.inWorker(async () => {
      const summary = (await chrome.storage.local.get('syncSummary'))['syncSummary'] as { lastSuccessAt?: string | null } | undefined;
      return summary?.lastSuccessAt ? Date.parse(summary.lastSuccessAt) : null;
    }, null);

  it('a restart with a fresh last sync: no console request, and the next sync stays where it was', async () => {
    try {
      const first = await start();
      await waitFor(
        () => lastSuccess(first),
        (at) => at !== null,
        'the sync at install',
        30_000,
      );
      const scheduled = await syncAlarm(first);
      expect(scheduled).toBeGreaterThan(Date.now() + 170 * MINUTE);
      await stop();

      const seen = consoleRequests().length;
      const again = await start();
      // Long enough for the start's events, and short of a spread sync's earliest moment (30 s).
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect(consoleRequests().slice(seen)).toEqual([]);
      expect(Math.abs(((await syncAlarm(again)) ?? 0) - (scheduled ?? 0))).toBeLessThan(2_000);
    } finally {
      await stop();
    }
  }, 180_000);

  it('a restart with an old last sync: nothing at once, then exactly one sync (one sign-in, no ping) within a few minutes', async () => {
    try {
      // Ten hours without a browser: the stored sync is made that old.
      const harness = await start();
      await harness.inWorker(
        async (ago) => {
          const at = new Date(Date.now() - ago).toISOString();
          const stored = await chrome.storage.local.get(['syncState', 'syncSummary']);
          const aged = (state: Record<string, unknown>) => ({ ...state, lastAttemptAt: at, lastSuccessAt: at, nextAttemptAt: null });
          await chrome.storage.local.set({
            syncState: aged(stored['syncState'] as Record<string, unknown>),
            syncSummary: aged(stored['syncSummary'] as Record<string, unknown>),
          });
        },
        10 * 60 * MINUTE,
      );
      await stop();

      const seen = consoleRequests().length;
      const started = Date.now();
      const again = await start();
      const when = await waitFor(
        () => syncAlarm(again),
        (at) => at !== null && at < started + 6 * MINUTE,
        'the sync alarm within the spread',
        20_000,
      );
      expect(consoleRequests().slice(seen)).toEqual([]);
      expect(when).toBeGreaterThanOrEqual(started + 25_000);
      expect(when).toBeLessThanOrEqual(Date.now() + 5 * MINUTE);
      // The alarm is where the spread put it; rather than wait up to five minutes for it, it is moved to now.
      // What the product does when it rings is the same; the start's own events have long passed.
      await again.inWorker(async () => {
        await chrome.alarms.create('sync', { when: Date.now() + 1_000 });
      }, undefined);

      await waitFor(
        () => lastSuccess(again),
        (at) => at !== null && at >= started,
        'the one sync',
        60_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect(consoleRequests().slice(seen)).toEqual([
        `POST ${REST}user/ping/j_security_check`,
        `GET ${REST}settings/client-certs-default-profile`,
        `GET ${REST}profile/${E2E_PROFILE_ID}`,
      ]);
      expect(await syncAlarm(again)).toBeGreaterThan(Date.now() + 170 * MINUTE);
    } finally {
      await stop();
    }
  }, 240_000);
});
