import type { EffectiveSettings } from '../../config/index';
import { encodeSources, loadRuleSet, saveRuleSet, type CompiledSource, type RuleSet } from '../../engine/index';
import type { SyncState } from '../../sync/index';
import { hash } from '../rule-sources';
import { REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY } from './keys';
import { lintPieces, type CacheArea, type LintBySource, type LintPieces, type RulesLintIndex } from './lint-pieces';

/** The shape of RulesCache below: a cache of another format is not read (the rules are compiled from their sources). */
export const RULES_CACHE_FORMAT = 7;

/**
 * The rules in force, compiled, as a wake-up reads them: one string, the rule
 * set saved whole (engine saveRuleSet: the sources' descriptions and the rule
 * index with every rule's host, port and action). Loading it is one native
 * JSON.parse; reading 10,000 rule objects from storage, or building the index
 * again, each cost several times more.
 *
 * It is trusted as storage gives it back, like the sources it was built from
 * (storage checks its own blocks; whoever can rewrite them can rewrite the
 * sources too): what is checked is that it belongs to the sources in storage
 * now (stamp), is of this format (RULES_CACHE_FORMAT; the loader checks shapes), and has
 * not outlived the synced rules (validUntil). No digest is checked: it would
 * guard against nothing storage does not, and encoding the text for one costs
 * every wake-up a few milliseconds.
 */
export interface RulesCache {
  format: typeof RULES_CACHE_FORMAT;
  /** cacheStamp() of what the rules were built from. */
  stamp: string;
  /** When the synced rules pass the maximum rule age (epoch ms), or null. */
  validUntil: number | null;
  /** saveRuleSet() of the rules in force, or null when none are (no-rules; a wake-up then reads the sources to say why). */
  rules: string | null;
  /** Which rules these are (rulesKey of their sources): a reload that finds the same rules keeps the rule set, and lint is stored under it. */
  key: string;
}

/** The cache, the list of lint pieces, and the pieces, by storage key. */
export type RulesCacheEntries = { [RULES_CACHE_KEY]: RulesCache; [RULES_LINT_KEY]: RulesLintIndex } & {
  [piece: string]: RulesCache | LintPieces[string];
};

/**
 * Everything the rules in force depend on, cheaply: the policy's rules and
 * what it allows local rules to do, the maximum rule age, whether a console
 * is configured (its profile's rules must then be known), and the revisions
 * written with the synced state, the local rules and the managed last good.
 */
export function cacheStamp(settings: EffectiveSettings, revisions: Record<string, string>): string {
  const values = settings.values;
  return hash(
    JSON.stringify([
      values.rules,
      values.localRules,
      values.maxRuleAgeHours,
      values.consoleUrl,
      values.profileId,
      Object.values(REVISION_KEYS).map((key) => revisions[key] ?? ''),
    ]),
  );
}

/** The moment the synced rules stop being usable (maximum rule age), when they are in force with an age limit. */
export function cacheValidUntil(state: SyncState | null, settings: EffectiveSettings): number | null {
  const hours = settings.values.maxRuleAgeHours;
  const lastGood = state?.lastGood;
  if (!lastGood || hours <= 0) return null;
  const until = Date.parse(lastGood.confirmedAt) + hours * 3_600_000;
  // Already past: the rules are out, and time will not bring them back.
  return Number.isFinite(until) && until > Date.now() ? until : null;
}

/** Identifies a list of sources in force (their compact encoding, hashed): equal keys, equal rules. */
export function rulesKey(inForce: readonly CompiledSource[]): string {
  return hash(encodeSources(inForce));
}

/** What to store (in one set call): the cache of this rule set, with the key of the sources it was built from, and the lint that belongs to it. */
export function rulesCacheEntries(stamp: string, validUntil: number | null, key: string, ruleSet: RuleSet | null, lint: LintBySource): RulesCacheEntries {
  const cache: RulesCache = { format: RULES_CACHE_FORMAT, stamp, validUntil, rules: ruleSet ? saveRuleSet(ruleSet) : null, key };
  return { ...lintPieces(key, lint), [RULES_CACHE_KEY]: cache };
}

/** Writes entries of rulesCacheEntries, then removes the lint chunks of the previous write that these do not replace. */
export async function storeRulesCache(area: CacheArea, entries: Record<string, unknown>): Promise<void> {
  const previous = (await area.get(RULES_LINT_KEY))[RULES_LINT_KEY] as Partial<RulesLintIndex> | undefined;
  await area.set(entries);
  const stale = Array.isArray(previous?.chunks)
    ? previous.chunks.filter((chunk) => typeof chunk === 'string' && chunk.startsWith(`${RULES_LINT_KEY}:`) && !Object.hasOwn(entries, chunk))
    : [];
  if (stale.length > 0) await area.remove(stale);
}

/**
 * The cached rule set (null: no rules are in force) and the key of its
 * sources, when the cache is current and of this format; else null (then the
 * sources are read and compiled).
 */
export function readRulesCache(cache: unknown, stamp: string, now: number): { ruleSet: RuleSet | null; key: string } | null {
  if (!cache || typeof cache !== 'object') return null;
  const entry = cache as Partial<RulesCache>;
  if (entry.format !== RULES_CACHE_FORMAT || entry.stamp !== stamp || typeof entry.key !== 'string') return null;
  if (typeof entry.validUntil === 'number' && now >= entry.validUntil) return null;
  const rules = entry.rules;
  if (rules === null) return { ruleSet: null, key: entry.key };
  if (typeof rules !== 'string') return null;
  const ruleSet = loadRuleSet(rules);
  return ruleSet ? { ruleSet, key: entry.key } : null;
}
