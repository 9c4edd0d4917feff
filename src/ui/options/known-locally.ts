import { z } from '../../lib/zod';
import { STORAGE_KEYS } from '../../shared/storage-keys';

/** The page's own storage.local reader (browser.storage.local.get); tests pass their own. */
export type LocalReader = (keys: string[]) => Promise<Record<string, unknown>>;

/** What this browser already holds, readable at once while the background is still starting. */
export interface KnownLocally {
  /** The console profile last synced, and when (null: none synced in this browser). */
  synced: { profile: string; at: number } | null;
  /** Local rules saved in this browser. */
  localRules: number;
}

/**
 * Only keys that hold no secret: the sync summary (status, no rules) and the
 * local rules. Settings are left to the background, which hides secrets.
 */
const KEYS = [STORAGE_KEYS.syncSummary, STORAGE_KEYS.localRules];

const SummarySchema = z.object({
  lastSuccessAt: z.nullable(z.string()),
  lastGood: z.nullable(z.object({ profile: z.object({ id: z.string(), name: z.nullable(z.string()) }) })),
});
const LocalRulesSchema = z.union([z.array(z.unknown()), z.object({ rules: z.array(z.unknown()) })]);

/** Reads what is known (a malformed value counts as absent); null when storage cannot be read (nothing is claimed; the background's answer follows). */
export async function readKnownLocally(read: LocalReader): Promise<KnownLocally | null> {
  try {
    return knownFrom(await read(KEYS));
  } catch {
    return null;
  }
}

export function knownFrom(stored: Record<string, unknown>): KnownLocally {
  const summary = SummarySchema.safeParse(stored[STORAGE_KEYS.syncSummary]);
  const at = summary.success && summary.data.lastSuccessAt ? Date.parse(summary.data.lastSuccessAt) : NaN;
  const profile = summary.success ? summary.data.lastGood?.profile : undefined;
  const local = LocalRulesSchema.safeParse(stored[STORAGE_KEYS.localRules]);
  return {
    synced: profile && Number.isFinite(at) ? { profile: profile.name ?? profile.id, at } : null,
    localRules: local.success ? (Array.isArray(local.data) ? local.data.length : local.data.rules.length) : 0,
  };
}
