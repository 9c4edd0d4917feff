import { beforeAll, describe, expect, it } from 'vitest';
import { queuedArea } from '../../src/background/write-queue';
import { STORAGE_KEYS } from '../../src/shared/storage-keys';
import { fakeBrowser, loadBackground, wake } from './fake-browser';
import { createMemorySessionArea } from './memory-session-area';

describe('the write queue of storage.local', () => {
  it('runs read-modify-write changes one after another, so none is lost', async () => {
    const memory = createMemorySessionArea();
    const area = queuedArea(memory);
    const addOne = (key: string) =>
      area.update(async (local) => {
        const list = ((await local.get('list'))['list'] as string[] | undefined) ?? [];
        await local.set({ list: [...list, key] });
      });
    await Promise.all(['a', 'b', 'c', 'd'].map(addOne));
    expect(memory.data.get('list')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a failed write fails for its caller only: the writes after it run', async () => {
    const memory = createMemorySessionArea();
    const area = queuedArea({ ...memory, set: async (items) => (items['bad'] ? Promise.reject(new Error('quota')) : memory.set(items)) });
    const results = await Promise.allSettled([area.set({ a: 1 }), area.set({ bad: 1 }), area.set({ c: 3 })]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(Object.fromEntries(memory.data)).toEqual({ a: 1, c: 3 });
  });
});

describe('the background: two quick saves of the settings both land', () => {
  const fake = fakeBrowser();
  let Background: Awaited<ReturnType<typeof loadBackground>>;
  beforeAll(async () => {
    Background = await loadBackground(fake);
  });

  it('keeps both of two setLocalSettings calls made at once, and of a clear made with them', async () => {
    const { createHandlers } = await import('../../src/background/handlers');
    fake.local.data.clear();
    await fake.local.set({ [STORAGE_KEYS.localSettings]: { maxRuleAgeHours: 48 } });
    const handlers = createHandlers(await wake(Background));
    const options = { id: 'test-extension', url: 'chrome-extension://test-extension/src/ui/options/index.html' };
    await Promise.all([
      handlers.setLocalSettings({ type: 'setLocalSettings', settings: { syncIntervalMinutes: 60 } }, options),
      handlers.setLocalSettings({ type: 'setLocalSettings', settings: { guard: 'warn' } }, options),
      handlers.setLocalSettings({ type: 'setLocalSettings', settings: { maxRuleAgeHours: null } }, options),
    ]);
    expect(fake.local.data.get(STORAGE_KEYS.localSettings)).toEqual({ syncIntervalMinutes: 60, guard: 'warn' });
  });
});
