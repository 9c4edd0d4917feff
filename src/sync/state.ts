import { lazySchema, z } from '../lib/zod';
import { ConsoleFailureKindSchema } from '../console/failure';
import { cutText, MAX_MESSAGE_CHARS } from './cut-text';

/**
 * Why a sync failed: the console client's failure kinds, plus
 * `rejected` (the engine rejected the profile's rules), `storage` (the state
 * could not be read or written) and `internal` (a bug: an unexpected exception).
 */
export const SyncErrorCodeSchema = lazySchema(() => z.union([ConsoleFailureKindSchema, z.enum(['rejected', 'storage', 'internal'])]));
export type SyncErrorCode = z.infer<typeof SyncErrorCodeSchema>;

export const SyncErrorSchema = lazySchema(() => z.object({ code: SyncErrorCodeSchema, message: z.string() }));
export type SyncError = z.infer<typeof SyncErrorSchema>;

export const ProfileRefSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.nullable(z.string()),
    stamp: z.nullable(z.string()),
  }),
);
export type ProfileRef = z.infer<typeof ProfileRefSchema>;

/** The last rules that were fetched and accepted: what stays in force until better ones arrive. */
export const LastGoodSchema = lazySchema(() =>
  z.object({
    profile: z.extend(ProfileRefSchema, { description: z.nullable(z.string()) }),
    /** The base URL of the console the rules came from: they stand for that console's profile only. */
    console: z.optional(z.string()),
    /** The rules as the console delivered them, each with only the fields the engine reads (indexes in reports refer to this array). */
    rules: z.array(z.unknown()),
    /** When these rules were fetched (ISO 8601). */
    fetchedAt: z.string(),
    /** When the console last confirmed them as current (fetched, or stamp unchanged). Rule age counts from here. */
    confirmedAt: z.string(),
  }),
);
export type LastGood = z.infer<typeof LastGoodSchema>;

export const HISTORY_LIMIT = 20;

export const AttemptSchema = lazySchema(() =>
  z.object({
    at: z.string(),
    type: z.union([z.enum(['changed', 'unchanged']), SyncErrorCodeSchema]),
    message: z.string(),
  }),
);
export type Attempt = z.infer<typeof AttemptSchema>;

export const STATE_FORMAT = 'cert-rules-sync-state';

/** Everything the sync keeps between runs, in one value written in one storage call. */
export const SyncStateSchema = lazySchema(() =>
  z.object({
    format: z.literal(STATE_FORMAT),
    version: z.literal(1),
    /** Fixed per install, 0–0.1: spreads the fleet's syncs over up to 10% of the interval. */
    installOffset: z.number().check(z.gte(0), z.lte(0.1)),
    lastGood: z.nullable(LastGoodSchema),
    /** Failures since the last success; drives the backoff. */
    consecutiveFailures: z.number().check(z.int(), z.nonnegative()),
    lastError: z.nullable(
      z.extend(SyncErrorSchema, { at: z.string(), status: z.nullable(z.number().check(z.int())), retryAfterMs: z.nullable(z.number().check(z.nonnegative())) }),
    ),
    lastAttemptAt: z.nullable(z.string()),
    lastSuccessAt: z.nullable(z.string()),
    /** When the next sync is due (ISO 8601), computed when this state was written. */
    nextAttemptAt: z.nullable(z.string()),
    /** The last 20 attempts, oldest first. */
    history: z.array(AttemptSchema).check(z.maxLength(HISTORY_LIMIT)),
  }),
);
export type SyncState = z.infer<typeof SyncStateSchema>;

export const MAX_INSTALL_OFFSET = 0.1;

export function createInitialState(random: () => number): SyncState {
  return {
    format: STATE_FORMAT,
    version: 1,
    installOffset: Math.min(MAX_INSTALL_OFFSET, Math.max(0, random() * MAX_INSTALL_OFFSET)),
    lastGood: null,
    consecutiveFailures: 0,
    lastError: null,
    lastAttemptAt: null,
    lastSuccessAt: null,
    nextAttemptAt: null,
    history: [],
  };
}

/** The history with `attempt` added, the oldest dropped past HISTORY_LIMIT, every message cut to size (a state written elsewhere included). */
export function withAttempt(history: readonly Attempt[], attempt: Attempt): Attempt[] {
  return [...history, attempt].slice(-HISTORY_LIMIT).map((entry) => ({ ...entry, message: cutText(entry.message, MAX_MESSAGE_CHARS) }));
}
