import { redactSettings, type EffectiveSettings } from '../config/index';
import type { SettingsView, SyncAttempt, SyncStatus } from '../shared/status';
import type { Attempt, RulesInForce, SyncOutcome, SyncState } from '../sync/index';

const toTime = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : time;
};

export function attemptView(attempt: Attempt): SyncAttempt {
  const ok = attempt.type === 'changed' || attempt.type === 'unchanged';
  return {
    at: toTime(attempt.at) ?? 0,
    ok,
    changed: attempt.type === 'changed',
    error: ok ? null : { code: attempt.type, message: attempt.message },
  };
}

export function outcomeView(outcome: SyncOutcome, now: number): SyncAttempt {
  return {
    at: toTime(outcome.state?.lastAttemptAt) ?? now,
    ok: outcome.ok,
    changed: outcome.changed,
    error: outcome.error ? { code: outcome.error.code, message: outcome.error.message } : null,
  };
}

/** The sync as the popup and the options page show it. Nothing secret is in the sync state. */
export function syncStatusView(input: {
  settings: EffectiveSettings;
  state: SyncState | null;
  profile: RulesInForce;
  inProgress: boolean;
  nextAlarmAt: number | null;
}): SyncStatus {
  const { settings, state, profile } = input;
  const configured = settings.values.consoleUrl !== '';
  const lastGood = state?.lastGood ?? null;
  return {
    configured,
    canSyncNow: configured,
    inProgress: input.inProgress,
    profileId: lastGood?.profile.id ?? (settings.values.profileId || null),
    profileName: lastGood?.profile.name ?? null,
    stamp: lastGood?.profile.stamp ?? null,
    lastSuccessAt: toTime(state?.lastSuccessAt),
    lastAttemptAt: toTime(state?.lastAttemptAt),
    nextSyncAt: configured ? (input.nextAlarmAt ?? toTime(state?.nextAttemptAt)) : null,
    lastError: state?.lastError ? { code: state.lastError.code, message: state.lastError.message } : null,
    stale: profile.status === 'expired',
    staleReason: profile.status === 'expired' ? profile.message : null,
    history: (state?.history ?? []).map(attemptView),
  };
}

/** Settings for pages: secrets reduced to "set or not" (redactSettings), plus every policy finding. */
export function settingsView(settings: EffectiveSettings, extraWarnings: { key: string; message: string }[] = []): SettingsView {
  const redacted = redactSettings(settings);
  return {
    values: redacted.values,
    origins: redacted.origins,
    managedPresent: redacted.managedPresent,
    policyErrors: redacted.policyErrors,
    policyWarnings: [...redacted.policyWarnings, ...extraWarnings],
  };
}
