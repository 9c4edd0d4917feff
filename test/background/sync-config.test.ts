import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SYNC_CONFIG_KEY } from '../../src/background/wake-up/keys';
import { changesSecrets, revisionOf, syncConfigOf } from '../../src/background/sync-config';
import { STORAGE_KEYS } from '../../src/shared/storage-keys';
import { startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { DEMO_ADMIN } from '../console/emulator/seed';
import { fakeBrowser, loadBackground, wake as wakeOn } from './fake-browser';

const values = { consoleUrl: 'https://console.example.com/rest/', authMode: 'form' as const, username: 'ada@example.com', profileId: '' };

describe('sync config: what is stored holds nothing derived from a secret', () => {
  it('two different passwords (of different lengths) give the same stored value; another console URL does not', () => {
    const a = syncConfigOf({ ...values, password: 'short', token: '' } as typeof values, 0);
    const b = syncConfigOf({ ...values, password: 'a much longer password', token: 'tok' } as typeof values, 0);
    expect(a).toBe(b);
    expect(a).not.toMatch(/short|longer|tok/);
    expect(a).toBe(`0 ${JSON.stringify([values.consoleUrl, 'form', 'ada@example.com', ''])}`);
    expect(syncConfigOf({ ...values, consoleUrl: 'https://other.example.com/rest/' }, 0)).not.toBe(a);
  });

  it('the revision is read back from the stored value and raised by one per seen secret change', () => {
    const stored = syncConfigOf(values, 4);
    expect(revisionOf(stored)).toBe(4);
    expect(syncConfigOf(values, revisionOf(stored) + 1)).not.toBe(stored);
  });

  it('no console: an empty value', () => {
    expect(syncConfigOf({ ...values, consoleUrl: '' }, 7)).toBe('');
    expect(revisionOf('')).toBe(0);
  });

  it('a value of another form (the former hash string) reads as revision 0 or so, and differs: one sync, then the new value replaces it', () => {
    expect(revisionOf('k3j9x0a1b2c3')).toBe(0);
    expect(revisionOf({ target: '', revision: 2 })).toBe(0);
    expect(syncConfigOf(values, revisionOf('3kx9a'))).not.toBe('3kx9a');
  });

  it('storage changes: a password or token change in local settings or policy counts; other settings do not', () => {
    const local = (oldValue: unknown, newValue: unknown) => ({ [STORAGE_KEYS.localSettings]: { oldValue, newValue } });
    expect(changesSecrets(local({ password: 'a' }, { password: 'b' }), 'local')).toBe(true);
    expect(changesSecrets(local(undefined, { token: 't' }), 'local')).toBe(true);
    expect(changesSecrets(local({ password: 'a', guard: 'off' }, { password: 'a', guard: 'block' }), 'local')).toBe(false);
    expect(changesSecrets(local({ password: 'a' }, { password: 'a', consoleUrl: 'https://x/' }), 'local')).toBe(false);
    expect(changesSecrets({ localRules: { oldValue: [], newValue: [1] } }, 'local')).toBe(false);
    expect(changesSecrets({ password: { oldValue: 'a', newValue: 'b' } }, 'managed')).toBe(true);
    expect(changesSecrets({ token: { newValue: 't' } }, 'managed')).toBe(true);
    expect(changesSecrets({ guard: { oldValue: 'off', newValue: 'warn' }, consoleUrl: { newValue: 'https://x/' } }, 'managed')).toBe(false);
    expect(changesSecrets({ password: { oldValue: 'a', newValue: 'b' } }, 'session')).toBe(false);
  });
});

describe('the background: a new token syncs at once, and no stored value depends on it', () => {
  let emulator: ConsoleEmulator;
  let fake: ReturnType<typeof fakeBrowser>;
  let Background: Awaited<ReturnType<typeof loadBackground>>;

  beforeAll(async () => {
    emulator = await startConsoleEmulator();
    fake = fakeBrowser();
    Background = await loadBackground(fake);
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await emulator.close();
  });

  const syncs = () => emulator.requests.filter((request) => request.resource === 'default').length;
  const settings = (token: string) => ({ consoleUrl: emulator.url, authMode: 'bearer', token, guard: 'off' });

  const wake = () => wakeOn(Background);

  /** Writes local settings as the options page does and delivers the storage change, as the browser would. */
  async function saveSettings(background: ReturnType<typeof Background>, next: Record<string, unknown>) {
    const oldValue = (await fake.local.get(STORAGE_KEYS.localSettings))[STORAGE_KEYS.localSettings];
    await fake.local.set({ [STORAGE_KEYS.localSettings]: next });
    await background.onStorageChanged({ [STORAGE_KEYS.localSettings]: { oldValue, newValue: next } }, 'local');
    if (background.sync.runner.running) await background.sync.runner.sync();
  }

  /** storage.local without the settings themselves (which hold the token the user entered) and without values that change with time. */
  async function storedBesidesSettings(): Promise<string> {
    const all = await fake.local.get(null as unknown as string);
    delete all[STORAGE_KEYS.localSettings];
    return JSON.stringify(all);
  }

  it('two tokens of different lengths leave the same sync config; neither token is found anywhere else in storage', async () => {
    const stored: unknown[] = [];
    for (const token of [DEMO_ADMIN.token, `${DEMO_ADMIN.token}-but-longer`]) {
      fake.local.data.clear();
      await fake.local.set({ [STORAGE_KEYS.localSettings]: settings(token) });
      await wake();
      stored.push((await fake.local.get(SYNC_CONFIG_KEY))[SYNC_CONFIG_KEY]);
      expect(await storedBesidesSettings()).not.toContain(token);
    }
    expect(stored[0]).toBe(`0 ${JSON.stringify([emulator.url, 'bearer', '', ''])}`);
    expect(stored[1]).toBe(stored[0]);
  });

  it('a token change syncs at once (the revision rises), a restart after it does not sync again, an unrelated change never syncs', async () => {
    fake.local.data.clear();
    await fake.local.set({ [STORAGE_KEYS.localSettings]: settings('an-old-token') });
    const background = await wake();
    const before = syncs();
    await saveSettings(background, settings(DEMO_ADMIN.token));
    expect(syncs()).toBe(before + 1);
    expect(revisionOf((await fake.local.get(SYNC_CONFIG_KEY))[SYNC_CONFIG_KEY])).toBe(1);
    expect((await fake.local.get(STORAGE_KEYS.syncSummary))[STORAGE_KEYS.syncSummary]).toMatchObject({ lastError: null });
    await wake();
    await saveSettings(background, { ...settings(DEMO_ADMIN.token), guard: 'warn' });
    expect(syncs()).toBe(before + 1);
  });

  it('another console address syncs at once without touching the revision', async () => {
    fake.local.data.clear();
    await fake.local.set({ [STORAGE_KEYS.localSettings]: { ...settings(DEMO_ADMIN.token), consoleUrl: `${emulator.origin}/elsewhere/rest/` } });
    const background = await wake();
    const before = syncs();
    await saveSettings(background, settings(DEMO_ADMIN.token));
    expect(syncs()).toBe(before + 1);
    expect((await fake.local.get(SYNC_CONFIG_KEY))[SYNC_CONFIG_KEY]).toBe(`0 ${JSON.stringify([emulator.url, 'bearer', '', ''])}`);
  });
});
