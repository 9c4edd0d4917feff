import { describe, expect, it } from 'vitest';
import { buildSources, lintSource, sourcesFingerprint, viewsLint, type SourceInputs } from '../../src/background/rule-sources';
import { generateBenchData } from '../../scripts/bench/rule-data';
import { mergeSettings, parseManagedPolicy, unreadableManagedPolicy } from '../../src/config/index';
import { buildRuleSet, compileSource, decide, lintNormalized, unavailableText } from '../../src/engine/index';
import { createInitialState, type SyncState } from '../../src/sync/index';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const CONSOLE_URL = 'https://console.example/rest/';

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
        { consoleUrl: CONSOLE_URL, rules: [{ host: 'a.example', port: '', action: 'noCertificate' }], localRules: 'all' },
        {
          syncState: synced([{ host: '*.example', port: '', action: 'useEnrollmentCertificate' }]),
          localRules: { rules: [{ host: 'b.example', port: '', action: 'noCertificate' }], at: 1 },
        },
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
    const local = {
      rules: [
        { host: 'a.example', port: '', action: 'useEnrollmentCertificate' },
        { host: 'b.example', port: '', action: 'noCertificate' },
      ],
      at: 5,
    };
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
    const fresh = buildSources(inputs({ consoleUrl: CONSOLE_URL, maxRuleAgeHours: 48 }, { syncState: state }));
    expect(fresh.inForce.map((source) => source.name)).toEqual(['profile']);
    const stale = buildSources(inputs({ consoleUrl: CONSOLE_URL, maxRuleAgeHours: 24 }, { syncState: state }));
    expect(stale.inForce).toEqual([]);
    expect(stale.profile.status).toBe('expired');
    expect(stale.views[0]).toMatchObject({ name: 'profile', inForce: false });
  });

  it('has a fingerprint that changes exactly when what the rule set depends on changes', () => {
    const base = inputs({ consoleUrl: CONSOLE_URL, rules: [{ host: 'a.example', port: '', action: 'noCertificate' }] }, { syncState: synced([]) });
    expect(sourcesFingerprint(base)).toBe(sourcesFingerprint({ ...base }));
    // Unrelated settings and the clock do not matter.
    expect(
      sourcesFingerprint(
        inputs(
          { consoleUrl: CONSOLE_URL, rules: [{ host: 'a.example', port: '', action: 'noCertificate' }], syncIntervalMinutes: 60 },
          { syncState: synced([]), now: NOW + 1000 },
        ),
      ),
    ).toBe(sourcesFingerprint(base));
    expect(sourcesFingerprint({ ...base, localRules: { rules: [{ host: 'x', action: 'noCertificate' }], at: 1 } })).not.toBe(sourcesFingerprint(base));
    expect(sourcesFingerprint({ ...base, syncState: synced([{ host: 'x', action: 'noCertificate' }]) })).not.toBe(sourcesFingerprint(base));
    expect(sourcesFingerprint(inputs({ consoleUrl: CONSOLE_URL, rules: [] }, { syncState: synced([]) }))).not.toBe(sourcesFingerprint(base));
    expect(
      sourcesFingerprint(
        inputs({ consoleUrl: CONSOLE_URL, rules: [{ host: 'a.example', port: '', action: 'noCertificate' }], localRules: 'none' }, { syncState: synced([]) }),
      ),
    ).not.toBe(sourcesFingerprint(base));
  });

  it('lints a source as the pairwise scan does, with the wildcard rules filed by head and tail', () => {
    const source = compileSource('profile', generateBenchData(2000, 1, 5).rules, { label: 'Benchmark' });
    const findings = lintSource(source);
    expect(findings.filter((finding) => finding.code === 'unreachable').length).toBeGreaterThan(100);
    expect(findings).toEqual(lintNormalized(source.rules));
  });

  it('lints each view apart from the views, in their order', () => {
    const built = buildSources(inputs({ localRules: 'all' }, { localRules: { rules: [{ host: '*acme.com', port: '', action: 'noCertificate' }], at: 1 } }));
    expect(built.views.at(-1)).not.toHaveProperty('lint');
    const lint = viewsLint(built);
    expect(lint.map((entry) => entry.name)).toEqual(built.views.map((view) => view.name));
    expect(lint.at(-1)).toEqual({ name: 'local', inForce: true, lint: [expect.objectContaining({ code: 'wildcard-suffix', index: 0 })] });
  });
});

/**
 * docs/rules.md §5 step 2: a configured source whose rules are not known makes
 * the whole rule set unusable (no-rules), because its unknown rules may deny
 * what the other sources allow. The decisions are taken exactly as the
 * background takes them: buildRuleSet over the sources in force.
 */
describe('a configured source whose rules are not known', () => {
  const CONSOLE = 'https://console.example/rest/';
  const allow = (host: string) => ({ host, action: 'useEnrollmentCertificate' });
  const deny = (host: string) => ({ host, action: 'noCertificate' });
  // The example: a valid deny rule, then one the engine rejects.
  const REJECTED_MANAGED = [deny('secret.corp'), deny('bad host')];
  const decideWith = (built: ReturnType<typeof buildSources>, url: string) => decide(buildRuleSet(built.inForce), url);
  const never: SyncState = { ...createInitialState(() => 0.5), lastAttemptAt: '2026-01-10T11:00:00Z' };
  const rejectedSync: SyncState = {
    ...never,
    consecutiveFailures: 1,
    lastError: {
      code: 'rejected',
      message: 'profile "Corporate" (p1) rejected, no earlier rules were accepted: rule 0: the host contains white space',
      at: '2026-01-10T11:00:00Z',
      status: null,
      retryAfterMs: null,
    },
  };

  it('managed rules rejected with no last good, a profile allowing *.corp: secret.corp is no-rules, naming the managed source and why', () => {
    const built = buildSources(inputs({ consoleUrl: CONSOLE, rules: REJECTED_MANAGED }, { syncState: synced([allow('*.corp')]) }));
    expect(decideWith(built, 'https://secret.corp/')).toEqual({ decision: 'noCertificate', reason: 'no-rules', rule: null });
    // Not only the denied host: no allow rule decides anywhere while the set is unusable.
    expect(decideWith(built, 'https://mail.corp/')).toMatchObject({ decision: 'noCertificate', reason: 'no-rules' });
    expect(decideWith(built, 'http://mail.corp/')).toMatchObject({ decision: 'notApplicable', reason: 'not-tls' });
    expect(built.unavailable).toEqual([
      { source: 'managed', code: 'rejected', message: 'rule 1: the host contains white space; a host name cannot, so remove it' },
    ]);
    expect(unavailableText(built.unavailable[0]!)).toBe(
      "the managed policy's rules were rejected and no earlier version was accepted: rule 1: the host contains white space; a host name cannot, so remove it",
    );
    // The profile's rules are in force as a source (the options page shows them as not deciding while the rules are unavailable);
    // nothing is stored as the managed last good.
    expect(built.views.map((view) => [view.name, view.inForce])).toEqual([
      ['managed', false],
      ['profile', true],
      ['local', false],
    ]);
    expect(built.managedToStore).toBeNull();
  });

  it('the same rejected rules with a last good version: the last good deny rule decides (unchanged)', () => {
    const built = buildSources(
      inputs(
        { consoleUrl: CONSOLE, rules: REJECTED_MANAGED },
        { syncState: synced([allow('*.corp')]), managedLastGood: { rules: [deny('secret.corp')], at: 1 } },
      ),
    );
    expect(built.unavailable).toEqual([]);
    expect(decideWith(built, 'https://secret.corp/')).toMatchObject({ reason: 'deny-rule', rule: { source: 'managed', index: 0, host: 'secret.corp' } });
    expect(decideWith(built, 'https://mail.corp/')).toMatchObject({ reason: 'allow-rule', rule: { source: 'profile', index: 0 } });
  });

  it('a policy "rules" value unusable as a whole, with no last good: no-rules', () => {
    const built = buildSources(inputs({ rules: 'not a rule document' }, { localRules: { rules: [allow('*.corp')], at: 1 } }));
    expect(built.unavailable).toEqual([expect.objectContaining({ source: 'managed', code: 'rejected' })]);
    expect(decideWith(built, 'https://a.corp/').reason).toBe('no-rules');
  });

  it('the console profile rejected at its first sync, managed rules allowing: no-rules, with the sync error', () => {
    const built = buildSources(inputs({ consoleUrl: CONSOLE, rules: [allow('*.corp')] }, { syncState: rejectedSync }));
    expect(decideWith(built, 'https://a.corp/')).toMatchObject({ decision: 'noCertificate', reason: 'no-rules' });
    expect(built.unavailable).toEqual([{ source: 'profile', code: 'rejected', message: rejectedSync.lastError?.message }]);
    // "The last good version stays in force" would be untrue: there is none.
    expect(built.views.find((view) => view.name === 'profile')?.rejected).toBeNull();
  });

  it('the console profile rejected after an earlier accepted sync: the earlier rules stay in force (unchanged)', () => {
    const state = { ...synced([allow('*.corp'), deny('secret.corp')]), lastError: rejectedSync.lastError };
    const built = buildSources(inputs({ consoleUrl: CONSOLE, rules: [allow('*.corp')] }, { syncState: state }));
    expect(built.unavailable).toEqual([]);
    expect(decideWith(built, 'https://secret.corp/')).toMatchObject({ reason: 'deny-rule', rule: { source: 'profile', index: 1 } });
    expect(built.views.find((view) => view.name === 'profile')?.rejected).toMatchObject({ message: expect.stringContaining('rejected') });
  });

  it('a console configured but never synced, local rules allowing: no-rules, saying it never synced and why the last attempt failed', () => {
    const failed: SyncState = {
      ...never,
      lastError: { code: 'network', message: 'connection refused', at: '2026-01-10T11:00:00Z', status: null, retryAfterMs: null },
    };
    for (const syncState of [null, never, failed]) {
      const built = buildSources(
        inputs({}, { settings: mergeSettings(parseManagedPolicy({}), { consoleUrl: CONSOLE }), syncState, localRules: { rules: [allow('*.corp')], at: 1 } }),
      );
      expect(decideWith(built, 'https://a.corp/').reason).toBe('no-rules');
      expect(built.unavailable).toEqual([expect.objectContaining({ source: 'profile', code: 'not-synced', message: syncState?.lastError?.message ?? '' })]);
    }
    const failedBuilt = buildSources(inputs({ consoleUrl: CONSOLE }, { syncState: failed }));
    expect(unavailableText(failedBuilt.unavailable[0]!)).toBe('the console profile has never been synced successfully: connection refused');
  });

  it('synced rules past the maximum rule age, managed rules allowing: no-rules, with the last sync error; the managed deny rules stay guarded', () => {
    const state = synced([allow('*.corp'), deny('secret.corp')], '2026-01-09T00:00:00Z');
    const built = buildSources(inputs({ consoleUrl: CONSOLE, maxRuleAgeHours: 24, rules: [allow('*.corp'), deny('other.corp')] }, { syncState: state }));
    expect(decideWith(built, 'https://a.corp/').reason).toBe('no-rules');
    expect(built.unavailable).toEqual([{ source: 'profile', code: 'expired', message: '' }]);
    const failing = {
      ...state,
      lastError: { code: 'network' as const, message: 'connection refused', at: '2026-01-10T11:00:00Z', status: null, retryAfterMs: null },
    };
    expect(buildSources(inputs({ consoleUrl: CONSOLE, maxRuleAgeHours: 24 }, { syncState: failing })).unavailable).toEqual([
      { source: 'profile', code: 'expired', message: 'connection refused' },
    ]);
    // The guard keeps every deny rule it can read: the managed rules in force and the deny rules of the synced rules too old to decide.
    const guardedDeny = (buildRuleSet(built.guarded)?.sources ?? []).flatMap((source) => source.rules).filter((rule) => rule.action === 'noCertificate');
    expect(guardedDeny.map((rule) => `${rule.source}:${rule.host}`)).toEqual(['managed:other.corp', 'profile:secret.corp']);
    // Still within the age: in force.
    const fresh = buildSources(inputs({ consoleUrl: CONSOLE, maxRuleAgeHours: 48, rules: [allow('*.corp')] }, { syncState: state }));
    expect(fresh.unavailable).toEqual([]);
    expect(decideWith(fresh, 'https://secret.corp/').reason).toBe('deny-rule');
  });

  it('stored local rules rejected (an invalid deny rule, an unknown action), managed rules allowing: no-rules', () => {
    for (const bad of [deny('https://x.corp/'), { host: 'x.corp', action: 'block' }]) {
      const built = buildSources(inputs({ rules: [allow('*.corp')], localRules: 'denyOnly' }, { localRules: { rules: [deny('lab.corp'), bad], at: 1 } }));
      expect(decideWith(built, 'https://a.corp/').reason).toBe('no-rules');
      expect(built.unavailable).toEqual([expect.objectContaining({ source: 'local', code: 'rejected', message: expect.stringMatching(/^rule 1: /) })]);
      // The sources that can be read stay guarded, and so do the valid deny rules of the rejected list (never its allow rules).
      expect(buildRuleSet(built.guarded)?.sources.map((source) => [source.name, source.rules.map((rule) => rule.host)])).toEqual([
        ['managed', ['*.corp']],
        ['local', ['lab.corp']],
      ]);
    }
  });

  it('a source not configured at all is absent, not unknown', () => {
    const managedOnly = [allow('*.corp')];
    const cases: SourceInputs[] = [
      // No console URL, no local rules stored.
      inputs({ rules: managedOnly }),
      // No console URL: synced rules left from an earlier console, expired, are simply not used.
      inputs({ rules: managedOnly, maxRuleAgeHours: 1 }, { syncState: synced([deny('a.corp')], '2026-01-01T00:00:00Z') }),
      // Local rules not allowed: whatever is stored, rejected or not, is not a source.
      inputs({ rules: managedOnly, localRules: 'none' }, { localRules: { rules: [deny('https://bad/')], at: 1 } }),
      // An empty local list is no local rules.
      inputs({ rules: managedOnly, localRules: 'all' }, { localRules: { rules: [], at: 1 } }),
    ];
    for (const given of cases) {
      const built = buildSources(given);
      expect(built.unavailable).toEqual([]);
      expect(decideWith(built, 'https://a.corp/')).toMatchObject({ reason: 'allow-rule', rule: { source: 'managed' } });
    }
    // Nothing configured at all: still no rules (nothing is known), but no source to blame.
    const nothing = buildSources(inputs({}));
    expect(nothing.unavailable).toEqual([]);
    expect(decideWith(nothing, 'https://a.corp/').reason).toBe('no-rules');
  });

  it('several unknown sources are all named, in precedence order', () => {
    const built = buildSources(
      inputs(
        { consoleUrl: CONSOLE, rules: REJECTED_MANAGED, localRules: 'all' },
        { syncState: never, localRules: { rules: [{ host: 'x', action: 'nope' }], at: 1 } },
      ),
    );
    expect(built.unavailable.map((entry) => [entry.source, entry.code])).toEqual([
      ['managed', 'rejected'],
      ['profile', 'not-synced'],
      ['local', 'rejected'],
    ]);
  });

  it('while unusable the guard keeps the rules of every source that can be read; the decision set stays empty', () => {
    const built = buildSources(inputs({ consoleUrl: CONSOLE, rules: REJECTED_MANAGED }, { syncState: synced([allow('*.corp'), deny('hr.corp')]) }));
    expect(built.inForce).toEqual([]);
    const guarded = (buildRuleSet(built.guarded)?.sources ?? []).flatMap((source) => source.rules);
    // The rejected delivery's valid deny rule (secret.corp, index 0) is still the organisation's word: guarded, never deciding.
    expect(guarded.map((rule) => [rule.source, rule.index, rule.host, rule.action])).toEqual([
      ['managed', 0, 'secret.corp', 'noCertificate'],
      ['profile', 0, '*.corp', 'useEnrollmentCertificate'],
      ['profile', 1, 'hr.corp', 'noCertificate'],
    ]);
    // An LKG managed copy is such a source too.
    const kept = buildSources(
      inputs({ consoleUrl: CONSOLE, rules: REJECTED_MANAGED }, { syncState: never, managedLastGood: { rules: [deny('secret.corp')], at: 1 } }),
    );
    expect(kept.inForce).toEqual([]);
    expect(kept.guarded.map((source) => [source.name, source.rules.map((rule) => rule.host)])).toEqual([['managed', ['secret.corp']]]);
    // Usable: the guard follows the rules in force exactly.
    const usable = buildSources(inputs({ consoleUrl: CONSOLE, rules: [deny('secret.corp')] }, { syncState: synced([allow('*.corp')]) }));
    expect(usable.guarded).toBe(usable.inForce);
  });

  it('storage that cannot be read holds no sync state: a configured console profile is then unknown', () => {
    // What the background passes when storage.local fails: nothing stored is known.
    const built = buildSources(inputs({ consoleUrl: CONSOLE, rules: [allow('*.corp')] }, { syncState: null, localRules: null, managedLastGood: null }));
    expect(built.unavailable).toEqual([{ source: 'profile', code: 'not-synced', message: '' }]);
    expect(decideWith(built, 'https://a.corp/').reason).toBe('no-rules');
  });

  it('the fingerprint follows whether a console is configured and why the profile has no rules', () => {
    const base = inputs({ rules: [allow('*.corp')] }, { syncState: never });
    expect(sourcesFingerprint(inputs({ rules: [allow('*.corp')], consoleUrl: CONSOLE }, { syncState: never }))).not.toBe(sourcesFingerprint(base));
    expect(sourcesFingerprint({ ...base, syncState: rejectedSync })).not.toBe(sourcesFingerprint(base));
  });
});

describe('synced rules stand only for the console and profile configured now', () => {
  const allow = (host: string) => ({ host, action: 'useEnrollmentCertificate' });
  const deny = (host: string) => ({ host, action: 'noCertificate' });
  const fromConsole = (console: string | undefined, id = 'p1'): SyncState => {
    const state = synced([allow('*.corp')]);
    const lastGood = { ...state.lastGood!, profile: { ...state.lastGood!.profile, id }, ...(console === undefined ? {} : { console }) };
    return { ...state, lastGood };
  };
  const decideWith = (built: ReturnType<typeof buildSources>, url: string) => decide(buildRuleSet(built.inForce), url);

  it('rules from the console configured (its base URL as the client writes it) are in force', () => {
    for (const consoleUrl of ['https://console.example/rest/', 'https://CONSOLE.example/rest', 'https://console.example:443/rest/']) {
      const built = buildSources(inputs({ consoleUrl }, { syncState: fromConsole('https://console.example/rest/') }));
      expect(built.unavailable).toEqual([]);
      expect(decideWith(built, 'https://a.corp/')).toMatchObject({ reason: 'allow-rule', rule: { source: 'profile' } });
    }
  });

  it('rules synced from another console are not in force: the configured console counts as never synced', () => {
    // E.g. a permissive profile from a console the user chose before policy named the organisation's.
    const built = buildSources(
      inputs({ consoleUrl: 'https://corp-console.example/rest/', rules: [allow('*.corp')] }, { syncState: fromConsole('http://127.0.0.1:9/rest/') }),
    );
    expect(built.unavailable).toEqual([expect.objectContaining({ source: 'profile', code: 'not-synced' })]);
    expect(decideWith(built, 'https://a.corp/').reason).toBe('no-rules');
    expect(built.views.find((view) => view.name === 'profile')).toMatchObject({ inForce: false, rules: [] });
  });

  it('with no console configured, rules synced earlier are not a source at all', () => {
    const built = buildSources(inputs({ rules: [deny('secret.corp')] }, { syncState: fromConsole('https://console.example/rest/') }));
    expect(built.unavailable).toEqual([]);
    expect(built.views.map((view) => view.name)).toEqual(['managed', 'local']);
    expect(decideWith(built, 'https://a.corp/').reason).toBe('no-match');
  });

  it('rules of another profile than the one configured are not in force; the default profile ("") takes whichever was synced', () => {
    const state = fromConsole('https://console.example/rest/', 'permissive');
    const pinned = buildSources(inputs({ consoleUrl: 'https://console.example/rest/', profileId: 'corporate' }, { syncState: state }));
    expect(pinned.unavailable).toEqual([expect.objectContaining({ source: 'profile', code: 'not-synced' })]);
    expect(decideWith(pinned, 'https://a.corp/').reason).toBe('no-rules');
    const byDefault = buildSources(inputs({ consoleUrl: 'https://console.example/rest/' }, { syncState: state }));
    expect(decideWith(byDefault, 'https://a.corp/').reason).toBe('allow-rule');
  });

  it('a state that names no console (written before rules were bound to one) is taken as the configured console’s', () => {
    const built = buildSources(inputs({ consoleUrl: 'https://console.example/rest/' }, { syncState: fromConsole(undefined) }));
    expect(decideWith(built, 'https://a.corp/').reason).toBe('allow-rule');
  });

  it('the fingerprint follows the console and the profile configured', () => {
    const state = fromConsole('https://console.example/rest/');
    const base = inputs({ consoleUrl: 'https://console.example/rest/' }, { syncState: state });
    expect(sourcesFingerprint(inputs({ consoleUrl: 'https://other.example/rest/' }, { syncState: state }))).not.toBe(sourcesFingerprint(base));
    expect(sourcesFingerprint(inputs({ consoleUrl: 'https://console.example/rest/', profileId: 'p2' }, { syncState: state }))).not.toBe(
      sourcesFingerprint(base),
    );
  });
});

describe('a managed policy that cannot be read', () => {
  const allow = (host: string) => ({ host, action: 'useEnrollmentCertificate' });
  const deny = (host: string) => ({ host, action: 'noCertificate' });
  const unreadable = (extra: Partial<SourceInputs>) =>
    buildSources({
      settings: mergeSettings(unreadableManagedPolicy('IO error'), {}),
      syncState: null,
      localRules: null,
      managedLastGood: null,
      now: NOW,
      ...extra,
    });

  it('is a policy whose rules are rejected: with no last good copy the rule set is unusable, whatever local rules allow', () => {
    const built = unreadable({ localRules: { rules: [allow('*.corp')], at: 1 } });
    expect(built.unavailable).toEqual([
      { source: 'managed', code: 'rejected', message: expect.stringContaining('the managed policy could not be read: IO error') },
    ]);
    expect(decide(buildRuleSet(built.inForce), 'https://a.corp/').reason).toBe('no-rules');
  });

  it('keeps the last good managed rules in force, and local rules may only narrow (as under any policy)', () => {
    const built = unreadable({
      managedLastGood: { rules: [deny('secret.corp'), allow('*.corp')], at: 1 },
      localRules: { rules: [allow('*.lab'), deny('x.corp')], at: 1 },
    });
    expect(built.unavailable).toEqual([]);
    const ruleSet = buildRuleSet(built.inForce);
    expect(decide(ruleSet, 'https://secret.corp/')).toMatchObject({ reason: 'deny-rule', rule: { source: 'managed' } });
    expect(decide(ruleSet, 'https://x.corp/')).toMatchObject({ reason: 'deny-rule', rule: { source: 'local' } });
    expect(decide(ruleSet, 'https://a.lab/').reason).toBe('no-match');
  });
});
