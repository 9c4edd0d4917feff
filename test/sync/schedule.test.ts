import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIRST_RETRY_MS, MAX_RETRY_AFTER_MS, nextSyncAt, nextSyncDelay } from '../../src/sync/schedule';
import { syncIntervalMs, syncSettings } from '../../src/sync/settings';
import { createInitialState, type SyncState } from '../../src/sync/state';

const MIN = 60_000;
const base = (patch: Partial<SyncState> = {}): SyncState => ({ ...createInitialState(() => 0), ...patch });
const failing = (n: number, lastError: Partial<NonNullable<SyncState['lastError']>> = {}): SyncState =>
  base({ consecutiveFailures: n, lastError: { code: 'http', message: 'x', at: '2026-01-01T00:00:00.000Z', status: 503, retryAfterMs: null, ...lastError } });
const mid = () => 0.5;
const LAST_GOOD: SyncState['lastGood'] = { profile: { id: 'p', name: null, stamp: 's', description: null }, rules: [], fetchedAt: '', confirmedAt: '' };

describe('sync interval', () => {
  it('defaults to 180 min and clamps to 30–1440', () => {
    expect(syncIntervalMs(syncSettings())).toBe(180 * MIN);
    expect(syncIntervalMs({ intervalMinutes: 5 })).toBe(30 * MIN);
    expect(syncIntervalMs({ intervalMinutes: 100_000 })).toBe(1440 * MIN);
    expect(syncIntervalMs({ intervalMinutes: Number.NaN })).toBe(180 * MIN);
    expect(syncIntervalMs({ intervalMinutes: 45 })).toBe(45 * MIN);
  });

  it("after a success: the interval plus the install's fixed offset (0–10%)", () => {
    expect(nextSyncDelay(base({ installOffset: 0 }), syncSettings(), mid)).toBe(180 * MIN);
    expect(nextSyncDelay(base({ installOffset: 0.1 }), syncSettings(), mid)).toBe(198 * MIN);
    // The offset is fixed: `random` does not move a healthy schedule.
    expect(nextSyncDelay(base({ installOffset: 0.05 }), syncSettings(), () => 0)).toBe(
      nextSyncDelay(base({ installOffset: 0.05 }), syncSettings(), () => 0.99),
    );
  });

  it('the install offset is drawn once, within 0–10%', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (r) => {
        const offset = createInitialState(() => r).installOffset;
        return offset >= 0 && offset <= 0.1;
      }),
    );
  });
});

describe('failure backoff', () => {
  it('with no rules held: starts at 5 min and doubles per failure, up to the interval', () => {
    const delays = [1, 2, 3, 4, 5, 6, 10].map((n) => nextSyncDelay(failing(n), syncSettings(), mid) / MIN);
    expect(delays).toEqual([5, 10, 20, 40, 80, 160, 180]);
    expect(nextSyncDelay(failing(3), { intervalMinutes: 30 }, mid)).toBe(20 * MIN);
    expect(nextSyncDelay(failing(4), { intervalMinutes: 30 }, mid)).toBe(30 * MIN);
    expect(nextSyncDelay(failing(60), { intervalMinutes: 1440 }, mid)).toBe(1440 * MIN);
  });

  it('while the last good rules stay in force: starts at a third of the interval, doubling up to the interval', () => {
    const held = (n: number, patch: Partial<NonNullable<SyncState['lastError']>> = {}) => ({ ...failing(n, patch), lastGood: LAST_GOOD });
    expect([1, 2, 3, 4].map((n) => nextSyncDelay(held(n), syncSettings(), mid) / MIN)).toEqual([60, 120, 180, 180]);
    expect([1, 2, 3].map((n) => nextSyncDelay(held(n), { intervalMinutes: 30 }, mid) / MIN)).toEqual([10, 20, 30]);
    expect([1, 2, 3].map((n) => nextSyncDelay(held(n), { intervalMinutes: 1440 }, mid) / MIN)).toEqual([480, 960, 1440]);
    expect(nextSyncDelay(held(1), syncSettings(), () => 0)).toBe(48 * MIN);
    // A Retry-After above the backoff is still the floor; a 429 still doubles once more.
    expect(nextSyncDelay(held(1, { retryAfterMs: 100 * MIN }), syncSettings(), mid)).toBe(100 * MIN);
    expect(nextSyncDelay(held(1, { status: 429 }), syncSettings(), mid)).toBe(120 * MIN);
  });

  it('rules past their maximum age at the failed attempt are not in force: retried after 5 min, as with none', () => {
    const confirmedAt = '2026-01-01T00:00:00.000Z';
    const failedAfter = (hours: number) => ({
      ...failing(1),
      lastGood: { ...LAST_GOOD, confirmedAt } as SyncState['lastGood'],
      lastAttemptAt: new Date(Date.parse(confirmedAt) + hours * 60 * MIN).toISOString(),
    });
    const settings = { intervalMinutes: 180, maxRuleAgeMinutes: 8 * 60 };
    expect(nextSyncDelay(failedAfter(7), settings, mid)).toBe(60 * MIN);
    expect(nextSyncDelay(failedAfter(8), settings, mid)).toBe(5 * MIN);
    expect(nextSyncDelay(failedAfter(30), settings, mid)).toBe(5 * MIN);
    // No maximum age (null, 0 or absent): held rules are always in force.
    expect(nextSyncDelay(failedAfter(30), { intervalMinutes: 180, maxRuleAgeMinutes: 0 }, mid)).toBe(60 * MIN);
    expect(nextSyncDelay(failedAfter(30), { intervalMinutes: 180 }, mid)).toBe(60 * MIN);
  });

  it('jitters by at most ±20%', () => {
    expect(nextSyncDelay(failing(1), syncSettings(), () => 0)).toBe(4 * MIN);
    expect(nextSyncDelay(failing(1), syncSettings(), () => 0.999999)).toBeCloseTo(6 * MIN, -2);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, interval, r) => {
          const nominal = Math.min(FIRST_RETRY_MS * 2 ** (n - 1), syncIntervalMs({ intervalMinutes: interval }));
          const delay = nextSyncDelay(failing(n), { intervalMinutes: interval }, () => r);
          return delay >= Math.floor(nominal * 0.8) && delay <= Math.ceil(nominal * 1.2);
        },
      ),
    );
  });

  it('honours Retry-After as a floor, up to 24 h', () => {
    expect(nextSyncDelay(failing(1, { retryAfterMs: 45 * MIN }), syncSettings(), mid)).toBe(45 * MIN);
    expect(nextSyncDelay(failing(1, { retryAfterMs: 1000 }), syncSettings(), mid)).toBe(5 * MIN);
    expect(nextSyncDelay(failing(1, { retryAfterMs: 7 * 24 * 60 * MIN }), syncSettings(), mid)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('a 429 without Retry-After backs off one doubling further', () => {
    expect(nextSyncDelay(failing(1, { status: 429 }), syncSettings(), mid)).toBe(10 * MIN);
    expect(nextSyncDelay(failing(2, { status: 429 }), syncSettings(), mid)).toBe(20 * MIN);
    expect(nextSyncDelay(failing(1, { status: 429, retryAfterMs: 2 * MIN }), syncSettings(), mid)).toBe(5 * MIN);
  });
});

describe('next sync time (fake clock)', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('is now when never attempted, else last attempt plus the delay', () => {
    expect(nextSyncAt(base(), syncSettings(), mid, now)).toBe(now);
    const last = new Date(now - 10 * MIN).toISOString();
    expect(nextSyncAt(base({ lastAttemptAt: last, installOffset: 0 }), syncSettings(), mid, now)).toBe(now + 170 * MIN);
    expect(nextSyncAt({ ...failing(2), lastAttemptAt: last }, syncSettings(), mid, now)).toBe(now);
  });

  it('a last attempt in the future (clock moved back) means sync now', () => {
    expect(nextSyncAt(base({ lastAttemptAt: new Date(now + 60 * MIN).toISOString() }), syncSettings(), mid, now)).toBe(now);
  });
});
