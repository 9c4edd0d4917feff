import { compileSource, rejectedWithoutLastGood, sourceRulesText, type CompiledSource, type UnavailableSource } from '../engine/index';
import { maxRuleAgeMs, type SyncSettings } from './settings';
import type { LastGood, SyncState } from './state';

export type RulesInForce =
  | { status: 'ok'; lastGood: LastGood; ageMs: number }
  | { status: 'none'; message: string }
  | { status: 'expired'; lastGood: LastGood; ageMs: number; message: string };

/**
 * The synced rules that may be used now. Fails closed: never synced, or older
 * than the maximum rule age (counted from when the console last confirmed
 * them), means no profile rules, with a message saying why.
 */
export function rulesInForce(state: SyncState | null, now: number, settings: Pick<SyncSettings, 'maxRuleAgeMinutes'>): RulesInForce {
  const lastGood = state?.lastGood ?? null;
  if (!lastGood) return { status: 'none', message: 'no rules: the console profile has never been synced successfully' };
  const confirmed = Date.parse(lastGood.confirmedAt);
  const ageMs = Number.isNaN(confirmed) ? Number.POSITIVE_INFINITY : Math.max(0, now - confirmed);
  const maxAge = maxRuleAgeMs(settings);
  if (maxAge !== null && ageMs > maxAge) {
    return { status: 'expired', lastGood, ageMs, message: `rules unavailable: ${expiredText('the synced rules', lastGood, maxAge)}` };
  }
  return { status: 'ok', lastGood, ageMs };
}

/**
 * The synced profile as an engine source (name `profile`), or null when no
 * rules are in force. The stored rules were accepted when they were written;
 * they are compiled again because the state may come from older code or a
 * hand-edited file, and the engine is the one judge.
 */
export function profileSource(state: SyncState | null, now: number, settings: Pick<SyncSettings, 'maxRuleAgeMinutes'>): { source: CompiledSource | null; inForce: RulesInForce } {
  const inForce = rulesInForce(state, now, settings);
  if (inForce.status !== 'ok') return { source: null, inForce };
  const { profile, rules } = inForce.lastGood;
  return { source: compileSource('profile', rules, { label: profile.name ?? profile.id }), inForce };
}

const expiredText = (what: string, lastGood: LastGood, maxAgeMs: number) =>
  `${what} were last confirmed by the console at ${lastGood.confirmedAt}, more than the maximum rule age of ${Math.round(maxAgeMs / 60_000)} min ago; they are not used until a sync succeeds`;

/**
 * Why a configured console profile makes the whole rule set unusable
 * (docs/rules.md §5 step 2), or null when its rules are in force: never
 * synced, its sync rejected with no earlier rules, its rules past the maximum
 * rule age, or stored rules the engine rejects. Which of these it is comes
 * from profileSource's answer for the same state.
 */
export function profileUnavailable(
  state: SyncState | null,
  profile: { source: CompiledSource | null; inForce: RulesInForce },
  settings: Pick<SyncSettings, 'maxRuleAgeMinutes'>,
): UnavailableSource | null {
  const { source, inForce } = profile;
  if (source) return source.accepted ? null : rejectedWithoutLastGood(source);
  if (inForce.status === 'expired') {
    const label = inForce.lastGood.profile.name ?? inForce.lastGood.profile.id;
    return { source: 'profile', label, code: 'expired', message: expiredText(sourceRulesText('profile', label), inForce.lastGood, maxRuleAgeMs(settings) ?? 0), errors: [] };
  }
  const error = state?.lastError ?? null;
  if (error?.code === 'rejected') {
    return { source: 'profile', label: null, code: 'rejected', message: `the console profile's rules were rejected by the last sync, and no earlier version was accepted: ${error.message}`, errors: [] };
  }
  const attempt = error ? `; the last attempt failed: ${error.message}` : '';
  return { source: 'profile', label: null, code: 'not-synced', message: `the console profile has never been synced successfully${attempt}`, errors: [] };
}
