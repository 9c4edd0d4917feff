import { nextSyncAt, type ScheduleSettings } from './schedule';
import type { SyncState } from './state';

/** Chrome does not fire alarms sooner than 30 s after they are set. */
export const MIN_ALARM_DELAY_MS = 30_000;
/**
 * A sync found due at a browser start, an install or update, or by an alarm
 * that fired late runs at a random moment within this: a fleet whose browsers
 * start (or computers wake) in the same minutes does not sync in one minute.
 */
export const DUE_SPREAD_MS = 5 * 60_000;
/** An alarm this late was due while the browser was closed or the computer asleep. */
export const LATE_ALARM_MS = 2 * 60_000;
/**
 * How soon after the last successful sync form login tries the session the
 * browser already holds before signing in. A servlet console drops an idle
 * session after 30 minutes by default; later, the try would only cost a
 * request before the sign-in anyway.
 */
export const SESSION_REUSE_MS = 20 * 60_000;

/**
 * When the sync alarm should fire (epoch ms), for every trigger that is not
 * a configuration change: the end of a sync, a browser start, an install or
 * update, a late alarm. That is when the schedule says (nextSyncAt), so a
 * start or an update adds no sync of its own; a sync already due runs at a
 * random moment within DUE_SPREAD_MS, or at once when no rules are held (then
 * nothing is decided until it succeeds). Never sooner than alarms can fire.
 */
export function syncAlarmAt(state: SyncState | null, settings: ScheduleSettings, random: () => number, now: number): number {
  const due = state ? nextSyncAt(state, settings, random, now) : now;
  const at = due > now ? due : state?.lastGood ? now + random() * DUE_SPREAD_MS : now;
  return Math.round(Math.max(at, now + MIN_ALARM_DELAY_MS));
}

/**
 * Whether the sync alarm, firing now, syncs. One that fires late was due
 * while the browser was closed or the computer asleep, as it was for every
 * browser that comes back at that hour: it is set again by syncAlarmAt instead.
 */
export function alarmSyncsNow(scheduledTime: number, now: number): boolean {
  return !(now - scheduledTime > LATE_ALARM_MS);
}

/** Whether form login tries the browser's session before signing in: only soon after a successful sync (SESSION_REUSE_MS). */
export function sessionWorthTrying(state: Pick<SyncState, 'lastSuccessAt'> | null, now: number): boolean {
  const age = now - Date.parse(state?.lastSuccessAt ?? '');
  return age >= 0 && age < SESSION_REUSE_MS;
}
