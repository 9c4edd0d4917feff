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
  const revision = typeof stored === 'string' ? Number(stored.split(' ', 1)[0]) : 0;
  return Number.isSafeInteger(revision) && revision > 0 ? revision : 0;
}

/**
 * Whether a storage change (as storage.onChanged reports it) changes the
 * password or the token: in the local settings, or in the managed policy
 * (where each setting is its own key).
 */
export function changesSecrets(changes: Record<string, unknown>, area: string): boolean {
  if (area === 'managed') return SECRETS.some((key) => Object.hasOwn(changes, key) && !Object.is(field(changes[key], 'oldValue'), field(changes[key], 'newValue')));
  if (area !== 'local' || !Object.hasOwn(changes, STORAGE_KEYS.localSettings)) return false;
  const change = changes[STORAGE_KEYS.localSettings];
  return secretsDiffer(field(change, 'oldValue'), field(change, 'newValue'));
}

/** Whether two settings objects (local settings, or policies as read) hold a different password or token. */
export function secretsDiffer(before: unknown, after: unknown): boolean {
  return SECRETS.some((key) => !Object.is(field(before, key), field(after, key)));
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
