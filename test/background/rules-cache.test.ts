import { beforeAll, describe, expect, it } from 'vitest';
import { cacheStamp, cacheValidUntil, readRulesCache, readRulesLint, REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY, rulesCacheEntries, rulesKey, type RulesCache } from '../../src/background/rules-cache';
import { mergeSettings, parseManagedPolicy } from '../../src/config/index';
import { buildRuleSet, compileSource, decide, type RuleSet } from '../../src/engine/index';
import { createInitialState, type SyncState } from '../../src/sync/index';

const settings = (policy: Record<string, unknown>) => mergeSettings(parseManagedPolicy(policy), {});
const sources = [
  compileSource('profile', [{ host: '*.acme.com', port: '', action: 'useEnrollmentCertificate' }], { label: 'Corporate' }),
  compileSource('local', [{ host: 'public.acme.com', port: '', action: 'noCertificate' }, { host: 'lab.*', port: '8*', action: 'useEnrollmentCertificate' }], { label: 'local rules' }),
];
const URLS = ['https://www.acme.com/', 'https://public.acme.com/', 'https://lab.example:8443/', 'https://lab.example/', 'https://other.example/'];
const decisions = (ruleSet: RuleSet | null) => URLS.map((url) => decide(ruleSet, url));

async function cache(stamp: string, validUntil: number | null = null, ruleSet: RuleSet | null = buildRuleSet(sources)): Promise<RulesCache> {
  return (await rulesCacheEntries(stamp, validUntil, rulesKey(sources), ruleSet, { profile: [] }))[RULES_CACHE_KEY];
}

/** The entry with its checksum computed again over what changed: damage the digest alone would not see. */
async function resealed(entry: RulesCache): Promise<RulesCache> {
  const sum = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(entry.rules ?? '')));
  return { ...entry, checksum: Array.from(sum, (byte) => byte.toString(16).padStart(2, '0')).join('') };
}

describe('compiled-rules cache', () => {
  it('gives back the rule set it was written from, index included, while its stamp matches what the rules depend on', async () => {
    const revisions = { [REVISION_KEYS.sync]: 'r1' };
    const stamp = cacheStamp(settings({}), revisions);
    const entry = await cache(stamp);
    expect(typeof entry.rules).toBe('string');
    const read = await readRulesCache(entry, stamp, 0);
    expect(read?.key).toBe(rulesKey(sources));
    expect(read?.ruleSet?.sources).toEqual(buildRuleSet(sources)?.sources);
    expect(decisions(read?.ruleSet ?? null)).toEqual(decisions(buildRuleSet(sources)));
    expect(decisions(read?.ruleSet ?? null).map((decision) => decision.reason)).toEqual(['allow-rule', 'deny-rule', 'allow-rule', 'no-match', 'no-match']);
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
    expect(await readRulesCache(entry, 'other', 0)).toBeNull();
  });

  it('keeps "no rules in force" as no rules, and tells sources apart by their key', async () => {
    const none = await readRulesCache(await cache('s', null, null), 's', 0);
    expect(none).not.toBeNull();
    expect(none?.ruleSet).toBeNull();
    const other = [compileSource('profile', [{ host: '*.acme.com', port: '', action: 'noCertificate' }], { label: 'Corporate' })];
    expect(rulesKey(other)).not.toBe(rulesKey(sources));
    expect(rulesKey([...sources])).toBe(rulesKey(sources));
  });

  it('expires with the synced rules (maximum rule age)', async () => {
    expect(await readRulesCache(await cache('s', 1_000), 's', 999)).not.toBeNull();
    expect(await readRulesCache(await cache('s', 1_000), 's', 1_000)).toBeNull();
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

  it('fails closed on anything damaged (the sources are then read and compiled again)', async () => {
    const stamp = 's';
    const whole = await cache(stamp);
    const rules = whole.rules as string;
    expect(await readRulesCache(null, stamp, 0)).toBeNull();
    expect(await readRulesCache({ ...whole, version: 6 }, stamp, 0)).toBeNull();
    // Earlier formats (no saved index; lint as one JSON text): read and compiled again, then rewritten.
    for (const version of [1, 2, 3, 4]) expect(await readRulesCache({ ...whole, version }, stamp, 0)).toBeNull();
    // Any change to the saved rule set: the digest catches it.
    expect(await readRulesCache({ ...whole, rules: rules.slice(0, -5) }, stamp, 0)).toBeNull();
    expect(await readRulesCache({ ...whole, rules: rules.replace('acme.com', 'acme.org') }, stamp, 0)).toBeNull();
    expect(await readRulesCache({ ...whole, rules: null }, stamp, 0)).toBeNull();
    expect(await readRulesCache({ ...whole, checksum: undefined }, stamp, 0)).toBeNull();
    expect(await readRulesCache({ ...whole, key: undefined }, stamp, 0)).toBeNull();
    // Resealed (the digest matches), the loader still refuses what is not a saved rule set.
    expect(await readRulesCache(await resealed({ ...whole, rules: rules.slice(0, -5) }), stamp, 0)).toBeNull();
    expect(await readRulesCache(await resealed({ ...whole, rules: '{"v":1,"sources":[]}' }), stamp, 0)).toBeNull();
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
  let entries: Awaited<ReturnType<typeof rulesCacheEntries>>;
  beforeAll(async () => {
    entries = await rulesCacheEntries('s', null, rulesKey(sources), buildRuleSet(sources), lint);
  });
  const all = (lookup: ReturnType<typeof readRulesLint>, source: string, indices: number[]) => (lookup ? indices.flatMap((index) => lookup(source, index)) : null);

  it('belongs to the cache it was written with, and gives each rule exactly its findings', async () => {
    const read = await readRulesCache(entries[RULES_CACHE_KEY], 's', 0);
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
    const otherSources = [compileSource('profile', [{ host: 'b.example', action: 'noCertificate' }], {})];
    const other = await rulesCacheEntries('s', null, rulesKey(otherSources), buildRuleSet(otherSources), lint);
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
