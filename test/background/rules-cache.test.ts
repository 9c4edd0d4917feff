import { describe, expect, it } from 'vitest';
import { cacheStamp, cacheValidUntil, readRulesCache, readRulesLint, REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY, rulesCacheEntries, type RulesCache } from '../../src/background/rules-cache';
import { mergeSettings, parseManagedPolicy } from '../../src/config/index';
import { compileSource, encodeSources } from '../../src/engine/index';
import { createInitialState, type SyncState } from '../../src/sync/index';

const settings = (policy: Record<string, unknown>) => mergeSettings(parseManagedPolicy(policy), {});
const sources = [compileSource('profile', [{ host: '*.acme.com', port: '', action: 'useEnrollmentCertificate' }], { label: 'Corporate' })];

function cache(stamp: string, validUntil: number | null = null, text = encodeSources(sources)): RulesCache {
  return rulesCacheEntries(stamp, validUntil, text, { profile: [] })[RULES_CACHE_KEY];
}

describe('compiled-rules cache', () => {
  it('is used only while its stamp matches what the rules depend on', () => {
    const revisions = { [REVISION_KEYS.sync]: 'r1' };
    const stamp = cacheStamp(settings({}), revisions);
    expect(readRulesCache(cache(stamp), stamp, 0)?.sources).toEqual(sources);
    // A new sync, new local rules, a new managed last good: each writes a new revision.
    for (const key of Object.values(REVISION_KEYS)) {
      expect(cacheStamp(settings({}), { ...revisions, [key]: 'changed' })).not.toBe(stamp);
    }
    // The policy's rules, what it lets local rules do, and the maximum age count too.
    expect(cacheStamp(settings({ rules: [] }), revisions)).not.toBe(stamp);
    expect(cacheStamp(settings({ localRules: 'none' }), revisions)).not.toBe(stamp);
    expect(cacheStamp(settings({ maxRuleAgeHours: 5 }), revisions)).not.toBe(stamp);
    // Settings that do not change the rules do not invalidate it.
    const managed = cacheStamp(settings({ guard: 'warn' }), revisions);
    expect(cacheStamp(settings({ syncIntervalMinutes: 60, guard: 'block' }), revisions)).toBe(managed);
    expect(readRulesCache(cache(stamp), 'other', 0)).toBeNull();
  });

  it('expires with the synced rules (maximum rule age)', () => {
    expect(readRulesCache(cache('s', 1_000), 's', 999)).not.toBeNull();
    expect(readRulesCache(cache('s', 1_000), 's', 1_000)).toBeNull();
    const confirmedAt = new Date(Date.now() - 3_600_000).toISOString();
    const state: SyncState = {
      ...createInitialState(() => 0),
      lastGood: { profile: { id: 'p', name: null, stamp: null, description: null }, rules: [], fetchedAt: confirmedAt, confirmedAt },
    };
    expect(cacheValidUntil(state, settings({ maxRuleAgeHours: 2 }))).toBe(Date.parse(confirmedAt) + 2 * 3_600_000);
    expect(cacheValidUntil(state, settings({}))).toBeNull();
    // Already too old: the rules are out for good, the cache need not expire.
    expect(cacheValidUntil(state, settings({ maxRuleAgeHours: 1 - 1 / 60 }))).toBeNull();
  });

  it('fails closed on anything damaged (the sources are then read and compiled again)', () => {
    const stamp = 's';
    expect(readRulesCache(null, stamp, 0)).toBeNull();
    expect(readRulesCache({ ...cache(stamp), version: 4 }, stamp, 0)).toBeNull();
    // Version 2 stored its lint as one JSON text: read and compiled again, so both are rewritten.
    expect(readRulesCache({ ...cache(stamp), version: 2 }, stamp, 0)).toBeNull();
    // A line cut short still parses as a (different) rule: the checksum catches it.
    const whole = cache(stamp);
    expect(readRulesCache({ ...whole, text: whole.text.slice(0, -5) }, stamp, 0)).toBeNull();
    expect(readRulesCache(cache(stamp, null, 'cert-rules/1 1\n@profile\n-a.example'), stamp, 0)).toBeNull();
    expect(readRulesCache(cache(stamp, null, 'not the format'), stamp, 0)).toBeNull();
    // The format before lint had its own key: read and compiled again, then rewritten.
    expect(readRulesCache({ ...whole, version: 1, lint: {} }, stamp, 0)).toBeNull();
  });
});

describe('lint of the cached rules (its own key, written in the same call)', () => {
  const finding = (index: number, code: 'allow-everywhere' | 'unreachable' | 'wildcard-suffix', message: string) => ({ index, severity: 'warning' as const, code, message });
  const lint = {
    profile: [
      finding(7, 'unreachable', 'rule 7 can never decide anything'),
      finding(0, 'allow-everywhere', 'rule 0: "*" sends the certificate everywhere'),
      finding(7, 'wildcard-suffix', 'rule 7: tabs\tand\nnew lines and "quotes" survive'),
      finding(70, 'unreachable', 'rule 70 can never decide anything'),
    ],
    local: [],
  };
  const entries = rulesCacheEntries('s', null, encodeSources(sources), lint);
  const all = (lookup: ReturnType<typeof readRulesLint>, source: string, indices: number[]) => (lookup ? indices.flatMap((index) => lookup(source, index)) : null);

  it('belongs to the cache it was written with, and gives each rule exactly its findings', () => {
    const read = readRulesCache(entries[RULES_CACHE_KEY], 's', 0);
    expect(read?.checksum).toBe(entries[RULES_CACHE_KEY].checksum);
    const lookup = readRulesLint(entries[RULES_LINT_KEY], read?.checksum ?? '');
    expect(lookup?.('profile', 7)).toEqual([lint.profile[0], lint.profile[2]]);
    expect(lookup?.('profile', 0)).toEqual([lint.profile[1]]);
    // "7" is not a prefix match for 70, nor 70 for 7.
    expect(lookup?.('profile', 70)).toEqual([lint.profile[3]]);
    expect(all(lookup, 'profile', [1, 6, 8, 700])).toEqual([]);
    expect(all(lookup, 'local', [0, 7])).toEqual([]);
    expect(all(lookup, 'managed', [0])).toEqual([]);
    expect(all(lookup, 'constructor', [0])).toEqual([]);
    // Lint written for other rules is never shown against these.
    const other = rulesCacheEntries('s', null, encodeSources([compileSource('profile', [{ host: 'b.example', action: 'noCertificate' }], {})]), lint);
    expect(readRulesLint(other[RULES_LINT_KEY], entries[RULES_CACHE_KEY].checksum)).toBeNull();
  });

  it('is stored as one string per source, not as objects (cheaper to read at wake-up)', () => {
    expect(Object.values(entries[RULES_LINT_KEY].sources).every((value) => typeof value === 'string')).toBe(true);
    expect(Object.keys(entries[RULES_LINT_KEY].sources).sort()).toEqual(['local', 'profile']);
  });

  it('is dropped when missing or damaged, and a damaged line is left out', () => {
    const checksum = entries[RULES_CACHE_KEY].checksum;
    expect(readRulesLint(undefined, checksum)).toBeNull();
    expect(readRulesLint({ checksum, json: '{}' }, checksum)).toBeNull();
    expect(readRulesLint({ checksum, sources: [] }, checksum)).toBeNull();
    expect(readRulesLint({ checksum, sources: { profile: 3 } }, checksum)).toBeNull();
    const damaged = readRulesLint(
      {
        checksum,
        sources: {
          profile: ['\n1\twarning\tunreachable\t"ok"', '\n1\tfatal\tunreachable\t"bad severity"', '\n1\twarning\tmade-up\t"bad code"', '\n1\twarning\tunreachable\t"cut', '\n1\twarning\tunreachable\t"x"\textra', '\n1\twarning\tunreachable\t5'].join(''),
        },
      },
      checksum,
    );
    expect(damaged?.('profile', 1)).toEqual([{ index: 1, severity: 'warning', code: 'unreachable', message: 'ok' }]);
  });
});
