import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextSyncAt } from '../../src/sync/schedule';
import { syncSettings } from '../../src/sync/settings';
import { createInitialState, type LastGood, type SyncState } from '../../src/sync/state';
import { alarmSyncsNow, DUE_SPREAD_MS, LATE_ALARM_MS, MIN_ALARM_DELAY_MS, SESSION_REUSE_MS, sessionWorthTrying, syncAlarmAt } from '../../src/sync/triggers';

const MIN = 60_000;
const NOW = Date.parse('2026-03-02T08:30:00Z');
const iso = (at: number) => new Date(at).toISOString();
const rules: LastGood = {
  profile: { id: 'p', name: null, stamp: 's', description: null },
  rules: [],
  fetchedAt: iso(NOW - 60 * MIN),
  confirmedAt: iso(NOW - 60 * MIN),
};
/** A state whose last sync succeeded `minutesAgo` before NOW, with rules held. */
const syncedAgo = (minutesAgo: number, patch: Partial<SyncState> = {}): SyncState => ({
  ...createInitialState(() => 0),
  installOffset: 0.05,
  lastGood: rules,
  lastAttemptAt: iso(NOW - minutesAgo * MIN),
  lastSuccessAt: iso(NOW - minutesAgo * MIN),
  ...patch,
});
const settings = syncSettings();
const at = (random: number) => () => random;

describe('syncAlarmAt: a start, an update or a late alarm adds no sync of its own', () => {
  it('not due yet: the time the schedule says, whatever the random source', () => {
    const state = syncedAgo(60);
    const scheduled = NOW - 60 * MIN + 189 * MIN;
    expect(syncAlarmAt(state, settings, at(0), NOW)).toBe(scheduled);
    expect(syncAlarmAt(state, settings, at(0.99), NOW)).toBe(scheduled);
    expect(scheduled).toBe(nextSyncAt(state, settings, at(0.5), NOW));
  });

  it('due, with rules held: a random moment within the spread, never sooner than an alarm can fire', () => {
    const state = syncedAgo(600);
    expect(syncAlarmAt(state, settings, at(0), NOW)).toBe(NOW + MIN_ALARM_DELAY_MS);
    expect(syncAlarmAt(state, settings, at(0.5), NOW)).toBe(NOW + DUE_SPREAD_MS / 2);
    expect(syncAlarmAt(state, settings, at(0.999_999), NOW)).toBe(NOW + DUE_SPREAD_MS);
    expect(DUE_SPREAD_MS).toBe(5 * MIN);
  });

  it('due just now (the schedule time itself) counts as due', () => {
    const state = syncedAgo(189);
    expect(syncAlarmAt(state, settings, at(0.5), NOW)).toBe(NOW + DUE_SPREAD_MS / 2);
  });

  it('no rules held (never synced, or only failures): as soon as an alarm can fire', () => {
    expect(syncAlarmAt(null, settings, at(0.9), NOW)).toBe(NOW + MIN_ALARM_DELAY_MS);
    expect(syncAlarmAt(createInitialState(at(0.3)), settings, at(0.9), NOW)).toBe(NOW + MIN_ALARM_DELAY_MS);
    const failedLongAgo = syncedAgo(600, { lastGood: null, lastSuccessAt: null, consecutiveFailures: 3 });
    expect(syncAlarmAt(failedLongAgo, settings, at(0.9), NOW)).toBe(NOW + MIN_ALARM_DELAY_MS);
  });

  it('after failures the backoff holds: a start does not retry sooner', () => {
    const failing = syncedAgo(2, {
      consecutiveFailures: 2,
      lastSuccessAt: iso(NOW - 400 * MIN),
      lastError: { code: 'network', message: 'x', at: iso(NOW - 2 * MIN), status: null, retryAfterMs: null },
    });
    // With rules held: 120 min after the second failure, ±20% (the random source 0.5 is the middle).
    expect(syncAlarmAt(failing, settings, at(0.5), NOW)).toBe(NOW + 118 * MIN);
    expect(syncAlarmAt({ ...failing, lastGood: null }, settings, at(0.5), NOW)).toBe(NOW + 8 * MIN);
  });

  it('a last attempt in the future (the clock moved back) is due: spread', () => {
    expect(syncAlarmAt(syncedAgo(-60), settings, at(0.5), NOW)).toBe(NOW + DUE_SPREAD_MS / 2);
  });

  it('always at least MIN_ALARM_DELAY_MS from now, and at most the later of the schedule and the spread', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2000, max: 5000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (ago, r) => {
        const state = syncedAgo(ago);
        const when = syncAlarmAt(state, settings, () => r, NOW);
        const scheduled = nextSyncAt(state, settings, () => r, NOW);
        return when >= NOW + MIN_ALARM_DELAY_MS && when <= Math.max(scheduled, NOW + DUE_SPREAD_MS);
      }),
    );
  });
});

describe('alarmSyncsNow: a late alarm is spread like a start', () => {
  it('on time, early, or up to LATE_ALARM_MS late: syncs', () => {
    expect(alarmSyncsNow(NOW, NOW)).toBe(true);
    expect(alarmSyncsNow(NOW + MIN, NOW)).toBe(true);
    expect(alarmSyncsNow(NOW - LATE_ALARM_MS, NOW)).toBe(true);
  });

  it('later than that (the browser was closed, the computer asleep): does not sync now', () => {
    expect(alarmSyncsNow(NOW - LATE_ALARM_MS - 1, NOW)).toBe(false);
    expect(alarmSyncsNow(NOW - 14 * 60 * MIN, NOW)).toBe(false);
  });

  it('an unknown scheduled time syncs (as before this rule)', () => {
    expect(alarmSyncsNow(Number.NaN, NOW)).toBe(true);
  });
});

describe('sessionWorthTrying: form login tries the held session only soon after a success', () => {
  it('a success within SESSION_REUSE_MS: try it', () => {
    expect(sessionWorthTrying({ lastSuccessAt: iso(NOW - 5 * MIN) }, NOW)).toBe(true);
    expect(sessionWorthTrying({ lastSuccessAt: iso(NOW) }, NOW)).toBe(true);
    expect(sessionWorthTrying({ lastSuccessAt: iso(NOW - SESSION_REUSE_MS + 1) }, NOW)).toBe(true);
  });

  it('later, never, unreadable or in the future: sign in first', () => {
    expect(sessionWorthTrying({ lastSuccessAt: iso(NOW - SESSION_REUSE_MS) }, NOW)).toBe(false);
    expect(sessionWorthTrying({ lastSuccessAt: iso(NOW - 180 * MIN) }, NOW)).toBe(false);
    expect(sessionWorthTrying({ lastSuccessAt: null }, NOW)).toBe(false);
    expect(sessionWorthTrying(null, NOW)).toBe(false);
    expect(sessionWorthTrying({ lastSuccessAt: 'yesterday' }, NOW)).toBe(false);
    expect(sessionWorthTrying({ lastSuccessAt: iso(NOW + MIN) }, NOW)).toBe(false);
  });
});
