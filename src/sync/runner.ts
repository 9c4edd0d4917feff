import { runSync, type SyncDeps, type SyncOutcome } from './run-sync';

export interface SyncRunner {
  /** Starts a sync, or joins the one already running. */
  sync(): Promise<SyncOutcome>;
  readonly running: boolean;
}

/**
 * Single-flight: a second trigger (alarm, button, startup) while a sync runs
 * gets the running sync's outcome instead of starting a parallel one that
 * could race it to storage. `deps` is read at each start, so settings changes
 * apply to the next sync.
 */
export function createSyncRunner(deps: SyncDeps | (() => SyncDeps)): SyncRunner {
  let current: Promise<SyncOutcome> | null = null;
  return {
    sync() {
      if (current) return current;
      const started = runSync(typeof deps === 'function' ? deps() : deps).finally(() => {
        current = null;
      });
      current = started;
      return started;
    },
    get running() {
      return current !== null;
    },
  };
}
