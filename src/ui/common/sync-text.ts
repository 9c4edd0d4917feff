import type { SyncStatus } from '../../shared/status';
import { t } from './i18n';
import { relativeTime } from './time';

export type SyncState = 'ok' | 'syncing' | 'stale' | 'failing' | 'never' | 'off';

/** The sync status in one line, and how worrying it is. */
export function syncSummary(sync: SyncStatus, now: number): { state: SyncState; text: string } {
  const profile = sync.profileName ?? sync.profileId ?? t('ui_syncDefaultProfile');
  const last = sync.lastSuccessAt === null ? null : relativeTime(sync.lastSuccessAt, now);
  if (!sync.configured) return { state: 'off', text: t('ui_syncOff') };
  if (sync.inProgress) return { state: 'syncing', text: t('ui_syncInProgress', profile) };
  if (sync.stale) return { state: 'stale', text: t('ui_syncStale', profile, sync.staleReason ?? sync.lastError?.message ?? '') };
  const failing = sync.lastError !== null && (sync.lastSuccessAt === null || (sync.lastAttemptAt ?? 0) > sync.lastSuccessAt);
  if (failing && sync.lastError) {
    return last === null
      ? { state: 'failing', text: t('ui_syncFailingNever', sync.lastError.message) }
      : { state: 'failing', text: t('ui_syncFailing', profile, last, sync.lastError.message) };
  }
  if (last === null) return { state: 'never', text: t('ui_syncNever') };
  return { state: 'ok', text: t('ui_syncOk', profile, last) };
}

/**
 * What a finished "Sync now" adds to the status line, for a live region:
 * whether the rules changed. A failure adds nothing: the status line, asked
 * for again at once, says it (one message, once).
 */
export function syncResultText(attempt: { ok: boolean; changed: boolean }): string {
  if (!attempt.ok) return '';
  return attempt.changed ? t('ui_syncResultChanged') : t('ui_syncResultUnchanged');
}
