// When the real background syncs, on an in-memory browser with the console
// emulator: a browser start, an install or update adds no sync of its own
// while the last one is fresh; a due one is spread over a few minutes; a late
// alarm is spread like a start; form login tries the held session only soon
// after a success.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SYNC_ALARM } from '../../src/background/sync-service';
import { STORAGE_KEYS } from '../../src/shared/storage-keys';
import { DUE_SPREAD_MS, MIN_ALARM_DELAY_MS } from '../../src/sync/triggers';
import { browserLikeFetch } from '../console/browser-fetch';
import { startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { DEMO_ADMIN } from '../console/emulator/seed';
import { fakeBrowser, loadBackground, wake as wakeOn } from './fake-browser';

const MIN = 60_000;
let emulator: ConsoleEmulator;
const fake = fakeBrowser();
// A start takes in the tabs already open: none here.
Object.assign(fake.api, { tabs: { query: async () => [] } });
let compose: Awaited<ReturnType<typeof loadBackground>>;

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  compose = await loadBackground(fake);
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await emulator.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.stubGlobal('chrome', fake.api);
});

const wake = () => wakeOn(compose);
const requests = (resource: string) => emulator.requests.filter((request) => request.resource === resource).length;
const alarmAt = async () => (await fake.api.alarms.get(SYNC_ALARM))?.scheduledTime ?? null;

/** A console configured (bearer: no session involved) and its first sync done, as after an install. */
async function installed(local: Record<string, unknown> = { consoleUrl: emulator.url, authMode: 'bearer', token: DEMO_ADMIN.token, guard: 'off' }) {
  fake.local.data.clear();
  await fake.local.set({ [STORAGE_KEYS.localSettings]: local });
  return wake();
}

/** Moves the last sync `minutes` into the past, in the state and its summary, as time passing would. */
async function lastSyncAgo(minutes: number) {
  const at = new Date(Date.now() - minutes * MIN).toISOString();
  for (const key of [STORAGE_KEYS.syncState, STORAGE_KEYS.syncSummary]) {
    const state = (await fake.local.get(key))[key] as Record<string, unknown> & { lastGood: Record<string, unknown> };
    await fake.local.set({ [key]: { ...state, lastAttemptAt: at, lastSuccessAt: at, lastGood: { ...state.lastGood, fetchedAt: at, confirmedAt: at } } });
  }
}

describe('a browser start, an install or an update', () => {
  it('with a fresh last sync: no console request, and the alarm stays where the schedule put it', async () => {
    await installed();
    const scheduled = await alarmAt();
    expect(scheduled).toBeGreaterThan(Date.now() + 170 * MIN);
    const before = emulator.requests.length;
    const background = await wake();
    await background.onStartOrInstall();
    expect(emulator.requests.length).toBe(before);
    expect(Math.abs((await alarmAt())! - scheduled!)).toBeLessThan(2_000);
  });

  it('with an old last sync: no request at once; one sync when the alarm, set within the spread, fires', async () => {
    await installed();
    await lastSyncAgo(10 * 60);
    const before = emulator.requests.length;
    const background = await wake();
    const now = Date.now();
    await background.onStartOrInstall();
    expect(emulator.requests.length).toBe(before);
    const when = (await alarmAt())!;
    expect(when).toBeGreaterThanOrEqual(now + MIN_ALARM_DELAY_MS);
    expect(when).toBeLessThanOrEqual(Date.now() + DUE_SPREAD_MS);
    const syncs = requests('default');
    await background.onAlarm(SYNC_ALARM, when);
    expect(requests('default')).toBe(syncs + 1);
    expect(await alarmAt()).toBeGreaterThan(Date.now() + 170 * MIN);
  });

  it('while a sync runs (the first one after an install): the alarm is left to that sync', async () => {
    fake.local.data.clear();
    await fake.api.alarms.clear(SYNC_ALARM);
    await fake.local.set({ [STORAGE_KEYS.localSettings]: { consoleUrl: emulator.url, authMode: 'bearer', token: DEMO_ADMIN.token, guard: 'off' } });
    const background = compose();
    await background.ready;
    expect(background.sync.runner.running).toBe(true);
    await background.onStartOrInstall();
    expect(await alarmAt()).toBeNull();
    await background.sync.runner.sync();
  });
});

describe('the sync alarm', () => {
  it('on time: syncs', async () => {
    const background = await installed();
    const syncs = requests('default');
    await background.onAlarm(SYNC_ALARM, Date.now() - 30_000);
    expect(requests('default')).toBe(syncs + 1);
  });

  it('late (the browser was closed or the computer asleep): no sync now, set again within the spread', async () => {
    await installed();
    await lastSyncAgo(12 * 60);
    const late = await wake();
    const syncs = requests('default');
    await late.onAlarm(SYNC_ALARM, Date.now() - 10 * 60 * MIN);
    expect(requests('default')).toBe(syncs);
    const when = (await alarmAt())!;
    expect(when).toBeGreaterThanOrEqual(Date.now() + MIN_ALARM_DELAY_MS - 1_000);
    expect(when).toBeLessThanOrEqual(Date.now() + DUE_SPREAD_MS);
  });

  it('with no console configured: nothing is sent, nothing is stored', async () => {
    const background = await installed({ guard: 'off' });
    const before = emulator.requests.length;
    await background.onAlarm(SYNC_ALARM, Date.now());
    expect(emulator.requests.length).toBe(before);
    expect((await fake.local.get(STORAGE_KEYS.syncState))[STORAGE_KEYS.syncState]).toBeUndefined();
  });
});

describe('form login in the background', () => {
  const form = { authMode: 'form', username: DEMO_ADMIN.email, password: DEMO_ADMIN.password, guard: 'off' };

  it('signs in with one request; soon after a success the held session is tried first, hours later it is not', async () => {
    const browser = browserLikeFetch();
    vi.stubGlobal('fetch', browser.fetch);
    await installed({ ...form, consoleUrl: emulator.url });
    expect(browser.sent.map((request) => request.split('/').pop())).toEqual(['j_security_check', 'client-certs-default-profile', expect.any(String)]);

    // The summary as a wake-up reads it (the browser's storage event would bring it too).
    const again = await wake();
    browser.sent.length = 0;
    await again.sync.syncNow();
    expect(browser.sent.some((request) => request.endsWith('j_security_check'))).toBe(false);
    expect(browser.sent).toHaveLength(2);

    await lastSyncAgo(3 * 60);
    const later = await wake();
    browser.sent.length = 0;
    await later.sync.syncNow();
    expect(browser.sent.map((request) => request.split('/').pop())).toEqual(['j_security_check', 'client-certs-default-profile', expect.any(String)]);
  });
});
