import { describe, expect, it } from 'vitest';
import { buildSources, sourcesFingerprint, withLint, type SourceInputs } from '../../src/background/rule-sources';
import { mergeSettings, parseManagedPolicy } from '../../src/config/index';
import { buildRuleSet, decide } from '../../src/engine/index';
import { createInitialState, type SyncState } from '../../src/sync/index';

const NOW = Date.parse('2026-01-10T12:00:00Z');

function synced(rules: unknown[], confirmedAt = '2026-01-10T11:00:00Z'): SyncState {
  return {
    ...createInitialState(() => 0.5),
    lastGood: { profile: { id: 'p1', name: 'Corporate', stamp: 's1', description: null }, rules, fetchedAt: confirmedAt, confirmedAt },
    lastSuccessAt: confirmedAt,
    lastAttemptAt: confirmedAt,
  };
}

function inputs(policy: Record<string, unknown>, extra: Partial<SourceInputs> = {}): SourceInputs {
  return { settings: mergeSettings(parseManagedPolicy(policy), {}), syncState: null, localRules: null, managedLastGood: null, now: NOW, ...extra };
}

describe('rule sources', () => {
  it('concatenates managed, profile and local rules in that order', () => {
    const built = buildSources(
      inputs(
        { rules: [{ host: 'a.example', port: '', action: 'noCertificate' }], localRules: 'all' },
        { syncState: synced([{ host: '*.example', port: '', action: 'useEnrollmentCertificate' }]), localRules: { rules: [{ host: 'b.example', port: '', action: 'noCertificate' }], at: 1 } },
      ),
    );
    expect(built.inForce.map((source) => source.name)).toEqual(['managed', 'profile', 'local']);
    const ruleSet = buildRuleSet(built.inForce);
    expect(decide(ruleSet, 'https://a.example/').rule?.source).toBe('managed');
    expect(decide(ruleSet, 'https://b.example/').rule?.source).toBe('local');
    expect(decide(ruleSet, 'https://c.example/').rule?.source).toBe('profile');
  });

  it('has no usable rule set when nothing was ever synced and there are no managed or local rules', () => {
    const built = buildSources(inputs({ consoleUrl: 'https://console.example/rest/' }));
    expect(built.inForce).toEqual([]);
    expect(buildRuleSet(built.inForce)).toBeNull();
    expect(built.views.map((view) => [view.name, view.inForce])).toEqual([
      ['profile', false],
      ['local', false],
    ]);
  });

  it('keeps the last good managed rules in force when the policy delivers an invalid deny rule', () => {
    const good = [{ host: 'a.example', port: '', action: 'noCertificate' }];
    const first = buildSources(inputs({ rules: good }));
    expect(first.managedToStore).toEqual({ rules: good, at: NOW });
    const bad = buildSources(inputs({ rules: [{ host: 'https://bad', port: '', action: 'noCertificate' }] }, { managedLastGood: { rules: good, at: NOW } }));
    expect(bad.managedToStore).toBeNull();
    expect(bad.inForce.map((source) => source.rules.map((rule) => rule.host))).toEqual([['a.example']]);
    const view = bad.views.find((entry) => entry.name === 'managed');
    expect(view).toMatchObject({ inForce: true, rules: good, rejected: { errors: [expect.objectContaining({ code: 'invalid-host' })] } });
    // Without a last good version, the source is out and says why.
    const none = buildSources(inputs({ rules: [{ host: 'https://bad', port: '', action: 'noCertificate' }] }));
    expect(none.inForce).toEqual([]);
    expect(none.views[0]).toMatchObject({ name: 'managed', inForce: false, errors: [expect.objectContaining({ code: 'invalid-host' })] });
  });

  it('applies localRules: none (not used, locked), denyOnly (allow rules dropped), all', () => {
    const local = { rules: [{ host: 'a.example', port: '', action: 'useEnrollmentCertificate' }, { host: 'b.example', port: '', action: 'noCertificate' }], at: 5 };
    const none = buildSources(inputs({ localRules: 'none' }, { localRules: local }));
    expect(none.inForce).toEqual([]);
    expect(none.views.at(-1)).toMatchObject({ name: 'local', editable: false, inForce: false, lockReason: expect.stringContaining('does not allow') });
    const denyOnly = buildSources(inputs({ localRules: 'denyOnly' }, { localRules: local }));
    expect(denyOnly.inForce[0]?.rules.map((rule) => rule.host)).toEqual(['b.example']);
    expect(denyOnly.views.at(-1)?.warnings).toEqual([expect.objectContaining({ index: 0 })]);
    const all = buildSources(inputs({ localRules: 'all' }, { localRules: local }));
    expect(all.inForce[0]?.rules.map((rule) => rule.host)).toEqual(['a.example', 'b.example']);
  });

  it('stops using synced rules older than the maximum rule age (fail closed)', () => {
    const state = synced([{ host: '*.example', port: '', action: 'useEnrollmentCertificate' }], '2026-01-09T00:00:00Z');
    const fresh = buildSources(inputs({ maxRuleAgeHours: 48 }, { syncState: state }));
    expect(fresh.inForce.map((source) => source.name)).toEqual(['profile']);
    const stale = buildSources(inputs({ maxRuleAgeHours: 24 }, { syncState: state }));
    expect(stale.inForce).toEqual([]);
    expect(stale.profile.status).toBe('expired');
    expect(stale.views[0]).toMatchObject({ name: 'profile', inForce: false });
  });

  it('has a fingerprint that changes exactly when what the rule set depends on changes', () => {
    const base = inputs({ rules: [{ host: 'a.example', port: '', action: 'noCertificate' }] }, { syncState: synced([]) });
    expect(sourcesFingerprint(base)).toBe(sourcesFingerprint({ ...base }));
    // Unrelated settings and the clock do not matter.
    expect(sourcesFingerprint(inputs({ rules: [{ host: 'a.example', port: '', action: 'noCertificate' }], syncIntervalMinutes: 60 }, { syncState: synced([]), now: NOW + 1000 }))).toBe(
      sourcesFingerprint(base),
    );
    expect(sourcesFingerprint({ ...base, localRules: { rules: [{ host: 'x', action: 'noCertificate' }], at: 1 } })).not.toBe(sourcesFingerprint(base));
    expect(sourcesFingerprint({ ...base, syncState: synced([{ host: 'x', action: 'noCertificate' }]) })).not.toBe(sourcesFingerprint(base));
    expect(sourcesFingerprint(inputs({ rules: [] }, { syncState: synced([]) }))).not.toBe(sourcesFingerprint(base));
    expect(sourcesFingerprint(inputs({ rules: [{ host: 'a.example', port: '', action: 'noCertificate' }], localRules: 'none' }, { syncState: synced([]) }))).not.toBe(sourcesFingerprint(base));
  });

  it('adds lint of each source on demand', () => {
    const built = buildSources(inputs({ localRules: 'all' }, { localRules: { rules: [{ host: '*acme.com', port: '', action: 'noCertificate' }], at: 1 } }));
    expect(built.views.at(-1)?.lint).toEqual([]);
    expect(withLint(built).at(-1)?.lint).toEqual([expect.objectContaining({ code: 'wildcard-suffix', index: 0 })]);
  });
});
