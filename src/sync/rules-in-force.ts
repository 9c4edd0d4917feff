import { compileSource, rejectedWithoutLastGood, type CompiledSource, type UnavailableSource } from '../engine/index';
import { maxRuleAgeMs, type SyncSettings } from './settings';
import type { LastGood, SyncState } from './state';

export type RulesInForce =
  { status: 'ok'; lastGood: LastGood; ageMs: number } | { status: 'none' } | { status: 'expired'; lastGood: LastGood; ageMs: number; message: string };

/**
 * The synced rules that may be used now. Fails closed: never synced, or older
 * than the maximum rule age (counted from when the console last confirmed
 * them), means no profile rules; rules too old come with a message saying why
 * (profileUnavailable says why in either case).
 */
export function rulesInForce(state: SyncState | null, now: number, settings: Pick<SyncSettings, 'maxRuleAgeMinutes'>): RulesInForce {
  const lastGood = state?.lastGood ?? null;
  if (!lastGood) return { status: 'none' };
  const confirmed = Date.parse(lastGood.confirmedAt);
  const ageMs = Number.isNaN(confirmed) ? Number.POSITIVE_INFINITY : Math.max(0, now - confirmed);
  const maxAge = maxRuleAgeMs(settings);
  if (maxAge !== null && ageMs > maxAge) {
    return {
      status: 'expired',
      lastGood,
      ageMs,
      message: `rules unavailable: the synced rules were last confirmed by the console at ${lastGood.confirmedAt}, more than the maximum rule age of ${Math.round(maxAge / 60_000)} min ago; they are not used until a sync succeeds`,
    };
  }
  return { status: 'ok', lastGood, ageMs };
}

/**
 * The synced profile as an engine source (name `profile`), or null when no
 * rules are in force. The stored rules were accepted when they were written;
 * they are compiled again because the state may come from older code or a
 * hand-edited file, and the engine is the one judge.
 */
export function profileSource(
  state: SyncState | null,
  now: number,
  settings: Pick<SyncSettings, 'maxRuleAgeMinutes'>,
): { source: CompiledSource | null; inForce: RulesInForce } {
  const inForce = rulesInForce(state, now, settings);
  if (inForce.status !== 'ok') return { source: null, inForce };
  const { profile, rules } = inForce.lastGood;
  return { source: compileSource('profile', rules, { label: profile.name ?? profile.id }), inForce };
}

/**
 * Why a configured console profile makes the whole rule set unusable
 * (docs/rules.md §5 step 2), or null when its rules are in force: stored rules
 * the engine rejects, rules past the maximum rule age, or never synced
 * successfully (its first sync rejected, or failed). The message is the last
 * sync's error, if any: why the rules could not be had (or refreshed); empty
 * only while no sync has failed.
 */
export function profileUnavailable(state: SyncState | null, profile: { source: CompiledSource | null; inForce: RulesInForce }): UnavailableSource | null {
  const { source, inForce } = profile;
  if (source) return source.accepted ? null : rejectedWithoutLastGood(source);
  const error = state?.lastError;
  return {
    source: 'profile',
    code: inForce.status === 'expired' ? 'expired' : error?.code === 'rejected' ? 'rejected' : 'not-synced',
    // Never empty after a failed sync: an empty message means no sync has failed (rulesNotKnownYet).
    message: error ? error.message || error.code : '',
  };
}
