import { describe, expect, it } from 'vitest';
import { REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY } from '../../src/background/wake-up/keys';
import { LINT_CHUNK, LINT_FORMAT, lintChunkKey, storedLintLookup } from '../../src/background/wake-up/lint-pieces';
import {
  cacheStamp,
  cacheValidUntil,
  readRulesCache,
  RULES_CACHE_FORMAT,
  rulesCacheEntries,
  rulesKey,
  storeRulesCache,
  type RulesCache,
} from '../../src/background/wake-up/rules-cache';
import { mergeSettings, parseManagedPolicy } from '../../src/config/index';
import { buildRuleSet, compileSource, decide, type RuleSet } from '../../src/engine/index';
import { createInitialState, type SyncState } from '../../src/sync/index';
import { createMemorySessionArea } from './memory-session-area';

const settings = (policy: Record<string, unknown>) => mergeSettings(parseManagedPolicy(policy), {});
const sources = [
  compileSource('profile', [{ host: '*.acme.com', port: '', action: 'useEnrollmentCertificate' }], { label: 'Corporate' }),
  compileSource(
    'local',
    [
      { host: 'public.acme.com', port: '', action: 'noCertificate' },
      { host: 'lab.*', port: '8*', action: 'useEnrollmentCertificate' },
    ],
    { label: 'local rules' },
  ),
];
const URLS = ['https://www.acme.com/', 'https://public.acme.com/', 'https://lab.example:8443/', 'https://lab.example/', 'https://other.example/'];
const decisions = (ruleSet: RuleSet | null) => URLS.map((url) => decide(ruleSet, url));

function cache(stamp: string, validUntil: number | null = null, ruleSet: RuleSet | null = buildRuleSet(sources)): RulesCache {
  return rulesCacheEntries(stamp, validUntil, rulesKey(sources), ruleSet, { profile: [] })[RULES_CACHE_KEY];
}

describe('compiled-rules cache', () => {
  it('gives back the rule set it was written from, index included, while its stamp matches what the rules depend on', async () => {
    const revisions = { [REVISION_KEYS.sync]: 'r1' };
    const stamp = cacheStamp(settings({}), revisions);
    const entry = cache(stamp);
    expect(typeof entry.rules).toBe('string');
    const read = readRulesCache(entry, stamp, 0);
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
    expect(readRulesCache(entry, 'other', 0)).toBeNull();
  });

  it('keeps "no rules in force" as no rules, and tells sources apart by their key', async () => {
    const none = readRulesCache(cache('s', null, null), 's', 0);
    expect(none).not.toBeNull();
    expect(none?.ruleSet).toBeNull();
    const other = [compileSource('profile', [{ host: '*.acme.com', port: '', action: 'noCertificate' }], { label: 'Corporate' })];
    expect(rulesKey(other)).not.toBe(rulesKey(sources));
    expect(rulesKey([...sources])).toBe(rulesKey(sources));
  });

  it('depends on whether a console is configured (its profile must then be known)', () => {
    expect(cacheStamp(settings({ consoleUrl: 'https://console.example/rest/' }), {})).not.toBe(cacheStamp(settings({}), {}));
  });

  it('expires with the synced rules (maximum rule age)', async () => {
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

  it('fails closed on anything damaged or of another format (the sources are then read and compiled again)', () => {
    const stamp = 's';
    const whole = cache(stamp);
    const rules = whole.rules as string;
    expect(readRulesCache(whole, stamp, 0)).not.toBeNull();
    expect(readRulesCache(null, stamp, 0)).toBeNull();
    expect(readRulesCache('text', stamp, 0)).toBeNull();
    expect(readRulesCache({ ...whole, format: RULES_CACHE_FORMAT + 1 }, stamp, 0)).toBeNull();
    // Other formats, and a cache that names its format under another field, are read and compiled again, then rewritten.
    for (const format of [1, 2, 3, 4, 5, 6, '7', undefined]) expect(readRulesCache({ ...whole, format }, stamp, 0)).toBeNull();
    const { format: _format, ...unnamed } = whole;
    expect(readRulesCache({ ...unnamed, version: RULES_CACHE_FORMAT }, stamp, 0)).toBeNull();
    expect(readRulesCache({ ...whole, rules: rules.slice(0, -5) }, stamp, 0)).toBeNull();
    expect(readRulesCache({ ...whole, rules: '{"v":1,"sources":[]}' }, stamp, 0)).toBeNull();
    expect(readRulesCache({ ...whole, rules: 5 }, stamp, 0)).toBeNull();
    expect(readRulesCache({ ...whole, rules: undefined }, stamp, 0)).toBeNull();
    expect(readRulesCache({ ...whole, key: undefined }, stamp, 0)).toBeNull();
    expect(readRulesCache({ ...whole, stamp: undefined }, stamp, 0)).toBeNull();
  });
});

describe('lint of the cached rules (written in the same call, read a piece at a time)', () => {
  const finding = (index: number, code: 'allow-everywhere' | 'unreachable' | 'wildcard-suffix', message: string) => ({
    index,
    severity: 'warning' as const,
    code,
    message,
  });
  const lint = {
    profile: [
      finding(7, 'unreachable', 'rule 7 can never decide anything'),
      finding(0, 'allow-everywhere', 'rule 0: "*" sends the certificate everywhere'),
      finding(7, 'wildcard-suffix', 'rule 7: tabs\tand\nnew lines and "quotes" survive'),
      finding(70, 'unreachable', 'rule 70 can never decide anything'),
      finding(LINT_CHUNK - 1, 'unreachable', 'last of the first piece'),
      finding(LINT_CHUNK, 'unreachable', 'first of the second piece'),
      finding(5 * LINT_CHUNK + 3, 'unreachable', 'a piece of its own'),
    ],
    local: [],
  };
  const key = rulesKey(sources);
  const entries = () => rulesCacheEntries('s', null, key, buildRuleSet(sources), lint);
  const all = async (lookup: ReturnType<typeof storedLintLookup>, source: string, indices: number[]) =>
    (await Promise.all(indices.map((index) => lookup(source, index)))).flat();

  it('gives each rule exactly its findings, reading only the piece it is in', async () => {
    const area = createMemorySessionArea();
    await storeRulesCache(area, entries());
    const read = readRulesCache(area.data.get(RULES_CACHE_KEY), 's', 0);
    expect(read?.key).toBe(key);
    const asked: string[] = [];
    const lookup = storedLintLookup({ get: (name) => (asked.push(String(name)), area.get(name)) }, read?.key ?? '');
    expect(await lookup('profile', 7)).toEqual([lint.profile[0], lint.profile[2]]);
    expect(await lookup('profile', 0)).toEqual([lint.profile[1]]);
    // "7" is not a prefix match for 70, nor 70 for 7.
    expect(await lookup('profile', 70)).toEqual([lint.profile[3]]);
    expect(asked).toEqual([lintChunkKey('profile', 0)]);
    expect(await lookup('profile', LINT_CHUNK - 1)).toEqual([lint.profile[4]]);
    expect(await lookup('profile', LINT_CHUNK)).toEqual([lint.profile[5]]);
    expect(await lookup('profile', 5 * LINT_CHUNK + 3)).toEqual([lint.profile[6]]);
    expect(await all(lookup, 'profile', [1, 6, 8, 700, LINT_CHUNK + 1, 3 * LINT_CHUNK, -1, 0.5])).toEqual([]);
    expect(await all(lookup, 'local', [0, 7])).toEqual([]);
    expect(await all(lookup, 'managed', [0])).toEqual([]);
    expect(await all(lookup, 'constructor', [0])).toEqual([]);
    // Pieces only where there are findings.
    expect(entries()[RULES_LINT_KEY].chunks.sort()).toEqual([lintChunkKey('profile', 0), lintChunkKey('profile', 1), lintChunkKey('profile', 5)].sort());
  });

  it('is never shown against other rules, and a rewrite removes the pieces it does not replace', async () => {
    const area = createMemorySessionArea();
    await storeRulesCache(area, entries());
    const otherSources = [compileSource('profile', [{ host: 'b.example', action: 'noCertificate' }], {})];
    const otherKey = rulesKey(otherSources);
    // Lint written for these rules, looked up for others: nothing.
    expect(await all(storedLintLookup(area, otherKey), 'profile', [0, 7, 70])).toEqual([]);
    await storeRulesCache(area, rulesCacheEntries('t', null, otherKey, buildRuleSet(otherSources), { profile: [finding(7, 'unreachable', 'other rules')] }));
    expect([...area.data.keys()].filter((name) => name.startsWith(`${RULES_LINT_KEY}:`))).toEqual([lintChunkKey('profile', 0)]);
    expect(await all(storedLintLookup(area, key), 'profile', [0, 7, LINT_CHUNK])).toEqual([]);
    expect(await storedLintLookup(area, otherKey)('profile', 7)).toEqual([finding(7, 'unreachable', 'other rules')]);
    // A damaged list of pieces never removes anything but lint pieces.
    await area.set({
      syncState: 'kept',
      [RULES_LINT_KEY]: { key, chunks: ['syncState', 5, lintChunkKey('local', 9)] },
      [lintChunkKey('local', 9)]: { key, text: '' },
    });
    await storeRulesCache(area, rulesCacheEntries('t', null, otherKey, buildRuleSet(otherSources), {}));
    expect(area.data.get('syncState')).toBe('kept');
    expect(area.data.has(lintChunkKey('local', 9))).toBe(false);
    // A store that cannot be read gives no lint rather than failing the request.
    expect(await storedLintLookup({ get: () => Promise.reject(new Error('gone')) }, key)('profile', 7)).toEqual([]);
  });

  it('is stored as strings, not as objects (cheaper to read)', () => {
    const written = entries();
    for (const name of written[RULES_LINT_KEY].chunks) expect(typeof (written[name] as { text: unknown }).text).toBe('string');
  });

  it('is dropped when damaged, and a damaged line is left out', async () => {
    const area = createMemorySessionArea();
    const name = lintChunkKey('profile', 0);
    const lookup = () => storedLintLookup(area, key)('profile', 1);
    const line = '\n1\twarning\tunreachable\t"ok"';
    const format = LINT_FORMAT;
    for (const damaged of [
      undefined,
      'text',
      { format, key },
      { format, key, text: 3 },
      { format, text: line },
      { key, text: line },
      { format: format + 1, key, text: line },
    ]) {
      await area.set({ [name]: damaged });
      expect(await lookup()).toEqual([]);
    }
    await area.set({
      [name]: {
        format,
        key,
        text: [
          '\n1\twarning\tunreachable\t"ok"',
          '\n1\tfatal\tunreachable\t"bad severity"',
          '\n1\twarning\tmade-up\t"bad code"',
          '\n1\twarning\tunreachable\t"cut',
          '\n1\twarning\tunreachable\t"x"\textra',
          '\n1\twarning\tunreachable\t5',
        ].join(''),
      },
    });
    expect(await lookup()).toEqual([{ index: 1, severity: 'warning', code: 'unreachable', message: 'ok' }]);
  });
});
