import type { Settings } from '../config/index';
import { STORAGE_KEYS } from '../shared/storage-keys';

/**
 * A change to the console's address, sign-in or profile means the rules held
 * may be the wrong ones, so the background syncs at once; it must notice such
 * a change even when it happened while the worker slept. What it keeps for
 * that (storage.local, SYNC_CONFIG_KEY) holds nothing secret and nothing
 * computed from a secret: the console the last sync was started for (address,
 * sign-in mode, user name, profile) after a revision the background raises
 * when it sees the password or the token change (compared in memory, in the
 * storage change event's old and new values). '' when no console is set.
 *
 *   3 ["https://console.example.com/rest/","form","ada@example.com",""]
 */
type SyncValues = Pick<Settings, 'consoleUrl' | 'authMode' | 'username' | 'profileId'>;

/** The secret settings; a change to one raises the revision. */
const SECRETS = ['password', 'token'] as const;

/** The value to store for these settings and revision. */
export function syncConfigOf(values: SyncValues, revision: number): string {
  return values.consoleUrl === '' ? '' : `${revision} ${JSON.stringify([values.consoleUrl, values.authMode, values.username, values.profileId])}`;
}

/** The revision a stored value holds; 0 for none, or a value of another form. */
export function revisionOf(stored: unknown): number {
  return (typeof stored === 'string' && parseInt(stored, 10)) || 0;
}

/**
 * Whether a storage change (as storage.onChanged reports it) sets a new
 * password or token: in the local settings, or in the managed policy, where
 * each setting is its own key and only changed keys are reported.
 */
export function changesSecrets(changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string): boolean {
  const local = changes[STORAGE_KEYS.localSettings];
  const before = local?.oldValue as Record<string, unknown> | undefined;
  const after = local?.newValue as Record<string, unknown> | undefined;
  return SECRETS.some((key) => (area === 'managed' ? key in changes : area === 'local' && before?.[key] !== after?.[key]));
}
