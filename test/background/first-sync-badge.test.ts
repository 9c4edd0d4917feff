import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STORAGE_KEYS } from '../../src/shared/storage-keys';
import { startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { DEMO_USER } from '../console/emulator/seed';
import { fakeBrowser, loadBackground } from './fake-browser';

/**
 * The toolbar badge before the first sync has ended: "rules not known yet"
 * on every tab (a tab with a decision of its own, and through the default
 * badge every other one), the amber "!" once that sync failed, and no default
 * badge once the rules are known. The real background on an in-memory browser,
 * its console calls going to the emulator, held or failing as the test says.
 */
const fake = fakeBrowser();
const policy: Record<string, unknown> = {};
(fake.api.storage as Record<string, unknown>)['managed'] = { get: async () => structuredClone(policy) };

let emulator: ConsoleEmulator;
let Background: Awaited<ReturnType<typeof loadBackground>>;

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  // A bearer token: Node's fetch keeps no cookies, so a form sign-in's session would be lost.
  Object.assign(policy, { consoleUrl: emulator.url, authMode: 'bearer', token: DEMO_USER.token });
  Background = await loadBackground(fake);
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await emulator.close();
});

const TAB = 5;
const badge = (key: number | 'default') => fake.badges.get(key);

/** A fresh profile: nothing stored, nothing shown. The first sync starts with the worker and meets the faults set now. */
async function freshStart(faults: () => void) {
  fake.local.data.clear();
  fake.badges.clear();
  emulator.clearFaults();
  faults();
  const background = Background();
  await background.ready;
  await background.tabs.navigationCommitted({ tabId: TAB, frameId: 0, url: 'https://www.corp.example.com/' });
  return background;
}

/** The sync ends; storage tells the background, as the browser would. */
async function syncEnds(background: ReturnType<typeof Background>) {
  await background.sync.runner.sync();
  const stored = await fake.local.get(STORAGE_KEYS.syncState);
  await background.onStorageChanged({ [STORAGE_KEYS.syncState]: { newValue: stored[STORAGE_KEYS.syncState] } }, 'local');
}

describe('the badge while the rules are not known yet', () => {
  it('shows "not known yet" from the first moment, on a tab with a decision and as the default; the known rules then replace it', async () => {
    const background = await freshStart(() => emulator.setFault('default', { type: 'hold' }));
    expect(background.sync.runner.running).toBe(true);
    expect(badge('default')).toMatchObject({ text: '…', color: '#0969da', title: expect.stringContaining('pending') });
    expect(badge(TAB)).toMatchObject({ text: '…', color: '#0969da' });

    emulator.clearFaults();
    await syncEnds(background);
    expect(background.rules.ruleSet).not.toBeNull();
    // No default badge once the rules are known; the tab shows its decision (an allow rule of the profile).
    expect(badge('default')?.text).toBe('');
    expect(badge(TAB)).toMatchObject({ text: '✓', color: '#1a7f37' });
  });

  it('turns to the amber "!" on every tab when the first sync fails', async () => {
    const started = Date.now();
    const background = await freshStart(() => emulator.setFault('default', { type: 'hold' }));
    expect(badge(TAB)?.text).toBe('…');
    expect(background.sync.runner.running).toBe(true);
    await vi.waitFor(() => expect(emulator.requests.filter((request) => request.at >= started && request.resource === 'default')).toHaveLength(1));
    // The held call ends in a failure.
    emulator.setFault('default', { type: 'status', status: 500 });
    await syncEnds(background);
    expect(background.sync.runner.running).toBe(false);
    expect(background.rules.unavailable).toEqual([expect.objectContaining({ source: 'profile', code: 'not-synced', message: expect.stringMatching(/500/) })]);
    expect(badge('default')).toMatchObject({ text: '!', color: '#9a6700', title: expect.stringContaining('unavailable') });
    expect(badge(TAB)).toMatchObject({ text: '!', color: '#9a6700' });
  });

  it('a worker that wakes up with usable rules paints no default badge', async () => {
    const first = await freshStart(() => undefined);
    await syncEnds(first);
    fake.badges.clear();
    const woken = Background();
    await woken.ready;
    expect(woken.rules.ruleSet).not.toBeNull();
    expect(badge('default')).toBeUndefined();
  });
});
