import { describe, expect, it } from 'vitest';
import { createAreaStorage, type StorageArea } from '../../src/sync/area-storage';
import { runSync } from '../../src/sync/run-sync';
import { syncSettings } from '../../src/sync/settings';
import { SyncStateSchema } from '../../src/sync/state';
import { syncStatus } from '../../src/sync/status';
import { ConsoleError } from '../../src/console/failure';
import { allow, fakeClock, fakeConsole } from './fakes';

/** A storage.local stand-in that counts set() calls and keeps values as structured clones. */
function fakeArea(): StorageArea & { sets: number; data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const area = {
    sets: 0,
    data,
    async get(key: string) {
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {};
    },
    async set(items: Record<string, unknown>) {
      area.sets++;
      for (const [key, value] of Object.entries(items)) data.set(key, structuredClone(value));
    },
  };
  return area;
}

describe('storage.local adapter and status', () => {
  it('one set() per sync under one key; the status says what is in force and why not', async () => {
    const area = fakeArea();
    const fake = fakeConsole([{ id: 'p1', name: 'Corp', description: null, stamp: 's1', rules: [allow('a.example.com')] }]);
    const clock = fakeClock();
    const deps = {
      client: fake.client,
      storage: createAreaStorage(area, 'syncState'),
      clock,
      settings: syncSettings({ maxRuleAgeMinutes: 120 }),
      random: () => 0.5,
    };
    expect(syncStatus(null, clock.t, deps.settings)).toMatchObject({ rules: 'none', ruleCount: 0 });
    await runSync(deps);
    expect(area.sets).toBe(1);
    const state = SyncStateSchema.parse(area.data.get('syncState'));
    expect(syncStatus(state, clock.t, deps.settings)).toMatchObject({ rules: 'in-force', ruleCount: 1, profile: { id: 'p1' }, lastError: null });

    fake.console.failWith = new ConsoleError('network', 'the connection was refused');
    clock.advance(121 * 60_000);
    await runSync(deps);
    expect(area.sets).toBe(2);
    const status = syncStatus(SyncStateSchema.parse(area.data.get('syncState')), clock.t, deps.settings);
    expect(status.rules).toBe('expired');
    expect(status.message).toMatch(/maximum rule age of 120 min.*last sync failed \(network\): the connection was refused/);
  });
});
