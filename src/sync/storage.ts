import type { SyncState } from './state';

/**
 * Where the sync keeps its state: storage.local in the extension, a file for
 * the CLI, memory in tests. `write` must be all-or-nothing: after a crash the
 * store holds either the previous value or the new one, never a mix.
 */
export interface StateStorage {
  /** The stored value, or undefined when nothing was ever stored. Throws when the store cannot be read. */
  read(): Promise<unknown>;
  write(state: SyncState): Promise<void>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Keeps the state as serialised JSON, as storage.local would, so tests see exactly what was stored. */
export function createMemoryStorage(initial?: unknown): StateStorage & { text: string | undefined; writes: number } {
  const store = {
    text: initial === undefined ? undefined : JSON.stringify(initial),
    writes: 0,
    async read() {
      return store.text === undefined ? undefined : (JSON.parse(store.text) as unknown);
    },
    async write(state: SyncState) {
      store.text = JSON.stringify(state);
      store.writes++;
    },
  };
  return store;
}
