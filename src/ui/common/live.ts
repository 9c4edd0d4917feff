import { useEffect, useRef } from 'preact/hooks';
import { STORAGE_KEYS, tabKey } from '../../shared/storage-keys';

/**
 * Something that calls back when what a page shows may have changed, and
 * returns how to stop listening. The pages get one from their entry file
 * (storage change events, storageChanges); tests pass their own.
 */
export type ChangeSource = (onChange: () => void) => () => void;

/** storage.onChanged as the pages see it (webextension-polyfill's shape, the parts used). */
export interface StorageChangeEvent {
  addListener(listener: (changes: Record<string, unknown>, area: string) => void): void;
  removeListener(listener: (changes: Record<string, unknown>, area: string) => void): void;
}

/**
 * storage.local keys whose change changes what the pages show: the sync
 * state (status, rules from the console), the local settings and rules, the
 * managed rules' last good copy, and what the guard put in the browser. Not
 * the background's caches, which follow these.
 */
const SHOWN_LOCAL_KEYS: ReadonlySet<string> = new Set([
  STORAGE_KEYS.syncState,
  STORAGE_KEYS.syncSummary,
  STORAGE_KEYS.localSettings,
  STORAGE_KEYS.localRules,
  STORAGE_KEYS.managedLastGood,
  STORAGE_KEYS.guardState,
]);

/**
 * Whether a storage change may change what a page shows: any policy change,
 * a change of the keys above, and for the popup (`tabId`) its tab's state.
 */
export function pageShowsChange(changes: Record<string, unknown>, area: string, tabId: number | null = null): boolean {
  const keys = Object.keys(changes);
  if (area === 'managed') return true;
  if (area === 'local') return keys.some((key) => SHOWN_LOCAL_KEYS.has(key));
  if (area === 'session') return tabId !== null && keys.includes(tabKey(tabId));
  return false;
}

/** A ChangeSource on storage change events: called for the changes pageShowsChange accepts, nothing in between. */
export function storageChanges(event: StorageChangeEvent, tabId: number | null = null): ChangeSource {
  return (onChange) => {
    const listener = (changes: Record<string, unknown>, area: string) => {
      if (pageShowsChange(changes, area, tabId)) onChange();
    };
    event.addListener(listener);
    return () => event.removeListener(listener);
  };
}

/**
 * Runs `refresh` after each change `source` reports, one refresh at a time:
 * changes that arrive during a refresh bring exactly one more afterwards, so
 * a burst of writes costs two requests at most and the last answer is never
 * older than the last change. Nothing runs while nothing changes.
 */
export function useChanges(source: ChangeSource | undefined, refresh: () => Promise<unknown>): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    if (!source) return undefined;
    let running = false;
    let again = false;
    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          await latest.current().catch(() => undefined);
        } while (again);
      } finally {
        running = false;
      }
    };
    return source(() => void run());
  }, [source]);
}
