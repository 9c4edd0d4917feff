import type { SyncState } from './state';
import type { StateStorage } from './storage';

/** The part of `browser.storage.local` / `chrome.storage.local` the adapter needs. */
export interface StorageArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

/**
 * The extension's state storage: the whole sync state under one key, so a
 * sync's result is one `set` call — storage.local applies a single set
 * atomically, which is what "nothing half-applied" needs.
 */
export function createAreaStorage(area: StorageArea, key: string): StateStorage {
  return {
    async read() {
      const items = await area.get(key);
      return items[key];
    },
    async write(state: SyncState) {
      await area.set({ [key]: state });
    },
  };
}
