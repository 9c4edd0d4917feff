import { rulesInForce } from './rules-in-force';
import type { SyncSettings } from './settings';
import type { ProfileRef, SyncState } from './state';

/** What a status line in the UI needs to say about sync, in one value. */
export interface SyncStatus {
  /** `in-force`: synced rules are used; `none`: never synced; `expired`: too old, not used (fail closed). */
  rules: 'in-force' | 'none' | 'expired';
  /** A sentence for a person: why there are no rules, or what is in force. */
  message: string;
  profile: ProfileRef | null;
  ruleCount: number;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  nextAttemptAt: string | null;
}

export function syncStatus(state: SyncState | null, now: number, settings: Pick<SyncSettings, 'maxRuleAgeMinutes'>): SyncStatus {
  const inForce = rulesInForce(state, now, settings);
  const good = state?.lastGood ?? null;
  const error = state?.lastError ?? null;
  const profile = good ? { id: good.profile.id, name: good.profile.name, stamp: good.profile.stamp } : null;
  const failing = error ? `; the last sync failed (${error.code}): ${error.message}` : '';
  const message =
    inForce.status === 'ok'
      ? `${good?.rules.length ?? 0} rules from profile "${profile?.name ?? profile?.id}" in force, confirmed ${good?.confirmedAt}${failing}`
      : `${inForce.status === 'none' ? 'no rules: the console profile has never been synced successfully' : inForce.message}${failing}`;
  return {
    rules: inForce.status === 'ok' ? 'in-force' : inForce.status,
    message,
    profile,
    ruleCount: good?.rules.length ?? 0,
    lastSuccessAt: state?.lastSuccessAt ?? null,
    lastAttemptAt: state?.lastAttemptAt ?? null,
    lastError: error ? { code: error.code, message: error.message, at: error.at } : null,
    nextAttemptAt: state?.nextAttemptAt ?? null,
  };
}
