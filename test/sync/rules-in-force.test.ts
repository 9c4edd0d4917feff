import { describe, expect, it } from 'vitest';
import { profileSource, profileUnavailable, rulesInForce } from '../../src/sync/rules-in-force';
import { syncSettings } from '../../src/sync/settings';
import { createInitialState, type SyncState } from '../../src/sync/state';

const MIN = 60_000;
const confirmedAt = '2026-03-01T12:00:00.000Z';
const t0 = Date.parse(confirmedAt);
const state: SyncState = {
  ...createInitialState(() => 0),
  lastGood: {
    profile: { id: 'p1', name: 'Corp', stamp: 's1', description: null },
    rules: [{ host: 'a.example.com', port: '', action: 'useEnrollmentCertificate' }],
    fetchedAt: '2026-02-01T00:00:00.000Z',
    confirmedAt,
  },
};

describe('rules in force', () => {
  it('never synced: none, failing closed', () => {
    expect(
      rulesInForce(
        createInitialState(() => 0),
        t0,
        syncSettings(),
      ),
    ).toMatchObject({ status: 'none' });
    expect(rulesInForce(null, t0, syncSettings()).status).toBe('none');
    expect(profileSource(null, t0, syncSettings()).source).toBeNull();
  });

  it('the maximum rule age is off by default: old rules stay in force', () => {
    expect(rulesInForce(state, t0 + 365 * 24 * 60 * MIN, syncSettings())).toMatchObject({ status: 'ok' });
  });

  it('counts age from the last confirmation and fails closed past the maximum, saying why', () => {
    const settings = syncSettings({ maxRuleAgeMinutes: 60 });
    expect(rulesInForce(state, t0 + 60 * MIN, settings)).toMatchObject({ status: 'ok', ageMs: 60 * MIN });
    const expired = rulesInForce(state, t0 + 61 * MIN, settings);
    expect(expired.status).toBe('expired');
    expect(expired.status === 'expired' && expired.message).toMatch(/maximum rule age of 60 min/);
    expect(profileSource(state, t0 + 61 * MIN, settings).source).toBeNull();
    expect(rulesInForce(state, t0 + 61 * MIN, syncSettings({ maxRuleAgeMinutes: 0 })).status).toBe('ok');
  });

  it('gives the rules as the engine\'s "profile" source, labelled with the profile name', () => {
    const { source } = profileSource(state, t0, syncSettings());
    expect(source).toMatchObject({ name: 'profile', label: 'Corp', accepted: true, total: 1 });
  });

  it('says why a profile has no rules in force: never synced, rejected with no earlier rules, expired, stored rules rejected', () => {
    const settings = syncSettings({ maxRuleAgeMinutes: 60 });
    const unavailable = (given: SyncState | null, now = t0) => profileUnavailable(given, profileSource(given, now, settings));
    expect(unavailable(state)).toBeNull();
    expect(unavailable(null)).toMatchObject({ source: 'profile', code: 'not-synced', message: '' });
    const error = (code: 'network' | 'rejected', message: string) => ({ code, message, at: confirmedAt, status: null, retryAfterMs: null });
    expect(unavailable({ ...createInitialState(() => 0), lastError: error('network', 'refused') })).toMatchObject({ code: 'not-synced', message: 'refused' });
    expect(unavailable({ ...createInitialState(() => 0), lastError: error('rejected', 'profile p1 rejected: rule 2: bad host') })).toMatchObject({
      code: 'rejected',
      message: expect.stringContaining('rule 2: bad host'),
    });
    expect(unavailable(state, t0 + 61 * MIN)).toEqual({ source: 'profile', code: 'expired', message: '' });
    // Too old, and the last attempt to refresh them failed: that is why.
    expect(unavailable({ ...state, lastError: error('network', 'refused') }, t0 + 61 * MIN)).toEqual({
      source: 'profile',
      code: 'expired',
      message: 'refused',
    });
    const damaged: SyncState = {
      ...state,
      lastGood: {
        ...state.lastGood!,
        rules: [
          { host: 'a b', action: 'noCertificate' },
          { host: 'c d', action: 'noCertificate' },
        ],
      },
    };
    expect(unavailable(damaged)).toEqual({
      source: 'profile',
      code: 'rejected',
      message: expect.stringMatching(/^rule 0: the host contains white space.* \(and 1 more\)$/),
    });
  });
});
