import { maxRuleAgeMs, syncIntervalMs, type SyncSettings } from './settings';
import type { SyncState } from './state';

/** The first retry after a failure while no rules are in force. */
export const FIRST_RETRY_MS = 5 * 60_000;
/** The first retry while the last good rules are in force: a third of the interval. */
export const HELD_RETRY_DIVISOR = 3;
export const RETRY_JITTER = 0.2;
/** A server's Retry-After is honoured up to a day, so a broken header cannot stop syncing for good. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

/** What the schedule reads of the settings: the interval, and the maximum rule age (none when absent). */
export type ScheduleSettings = Pick<SyncSettings, 'intervalMinutes'> & Partial<Pick<SyncSettings, 'maxRuleAgeMinutes'>>;

/**
 * How long after the last attempt the next sync is due, in ms.
 * - After a success: the interval (clamped to SYNC_INTERVAL_MINUTES) plus the install's
 *   fixed offset (up to 10% of the interval), so a fleet does not sync in step.
 * - After n failures: doubling per failure from a first retry, capped at the
 *   interval, then ±20% jitter; a 429 without Retry-After counts as one more
 *   doubling; a Retry-After (seconds or date) is a floor, honoured up to 24 h.
 *   The first retry comes after a third of the interval while the last good
 *   rules are in force (held, and within the maximum rule age at the failed
 *   attempt): every retry during an outage is one more sync the console
 *   meets when it is back, and fast retries from the whole fleet would arrive
 *   at once (docs/fleet.md measures it). With no rules in force nothing is
 *   decided until a sync succeeds: the first retry comes after 5 min.
 * `random` returns [0, 1); inject it to test the bounds.
 */
export function nextSyncDelay(
  state: Pick<SyncState, 'consecutiveFailures' | 'installOffset' | 'lastError' | 'lastGood' | 'lastAttemptAt'>,
  settings: ScheduleSettings,
  random: () => number,
): number {
  const interval = syncIntervalMs(settings);
  if (state.consecutiveFailures === 0) return Math.round(interval * (1 + state.installOffset));
  const error = state.lastError;
  const retryAfter = error?.retryAfterMs ?? null;
  const tooMany = error?.status === 429 && retryAfter === null ? 1 : 0;
  const doublings = Math.min(30, state.consecutiveFailures - 1 + tooMany);
  const maxAge = maxRuleAgeMs(settings);
  const inForce = state.lastGood && !(maxAge !== null && !(Date.parse(state.lastAttemptAt ?? '') - Date.parse(state.lastGood.confirmedAt) < maxAge));
  const backoff = Math.min((inForce ? interval / HELD_RETRY_DIVISOR : FIRST_RETRY_MS) * 2 ** doublings, interval);
  const jittered = backoff * (1 + RETRY_JITTER * (2 * clampUnit(random()) - 1));
  const floor = retryAfter === null ? 0 : Math.min(retryAfter, MAX_RETRY_AFTER_MS);
  return Math.round(Math.max(jittered, floor));
}

/** When the next sync is due (epoch ms): now if it never ran. */
export function nextSyncAt(state: SyncState, settings: ScheduleSettings, random: () => number, now: number): number {
  if (state.lastAttemptAt === null) return now;
  const last = Date.parse(state.lastAttemptAt);
  if (Number.isNaN(last) || last > now) return now;
  return last + nextSyncDelay(state, settings, random);
}

function clampUnit(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0.5;
}
