import type { Settings } from '../config/index';
import { lazySchema, z } from '../engine/zod';
import { STORAGE_KEYS } from '../shared/storage-keys';

/**
 * A change to the console's address, sign-in or profile means the rules held
 * may be the wrong ones, so the background syncs at once; it must notice such
 * a change even when it happened while the worker slept. What it keeps for
 * that (storage.local, SYNC_CONFIG_KEY) holds nothing secret and nothing
 * computed from a secret: the console the last sync was started for (address,
 * sign-in mode, user name, profile) and a revision the background raises when
 * it sees the password or the token change (compared in memory, in the storage
 * change event's old and new values).
 */
export const SyncConfigSchema = lazySchema(() =>
  z.object({
    /** '' when no console is configured. */
    target: z.string(),
    revision: z.number().check(z.int(), z.nonnegative()),
  }),
);
export type SyncConfig = z.infer<typeof SyncConfigSchema>;

type SyncValues = Pick<Settings, 'consoleUrl' | 'authMode' | 'username' | 'profileId'>;

/** The secret settings; a change to one raises the revision. */
const SECRETS = ['password', 'token'] as const;

/** Which console a sync goes to, as whom, for which profile: no secret in it. */
export function syncTarget(values: SyncValues): string {
  return values.consoleUrl === '' ? '' : JSON.stringify([values.consoleUrl, values.authMode, values.username, values.profileId]);
}

/** The stored value, or null when there is none or it is not one (a value of another version). */
export function readSyncConfig(stored: unknown): SyncConfig | null {
  const parsed = SyncConfigSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** What to store for the current settings; `secretsChanged`: a password or token change was seen since `stored` was written. */
export function nextSyncConfig(stored: SyncConfig | null, values: SyncValues, secretsChanged: boolean): SyncConfig {
  return { target: syncTarget(values), revision: (stored?.revision ?? 0) + (secretsChanged ? 1 : 0) };
}

export function sameSyncConfig(a: SyncConfig | null, b: SyncConfig): boolean {
  return a !== null && a.target === b.target && a.revision === b.revision;
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
