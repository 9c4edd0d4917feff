import type { EffectiveSettings } from '../config/index';
import { encodeSources, FINDING_CODES, loadRuleSet, saveRuleSet, type CompiledSource, type Finding, type RuleSet } from '../engine/index';
import type { SyncState } from '../sync/index';
import type { LocalArea } from './platform';
import { hash } from './rule-sources';

import { REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY } from './local-keys';

export { REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY } from './local-keys';

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
 * now (stamp), is of this format (version; the loader checks shapes), and has
 * not outlived the synced rules (validUntil). No digest is checked: it would
 * guard against nothing storage does not, and encoding the text for one costs
 * every wake-up a few milliseconds.
 */
export interface RulesCache {
  version: 6;
  /** cacheStamp() of what the rules were built from. */
  stamp: string;
  /** When the synced rules pass the maximum rule age (epoch ms), or null. */
  validUntil: number | null;
  /** saveRuleSet() of the rules in force, or null when none are (no-rules; a wake-up then reads the sources to say why). */
  rules: string | null;
  /** Which rules these are (rulesKey of their sources): a reload that finds the same rules keeps the rule set, and lint is stored under it. */
  key: string;
}

/**
 * Lint of the rules in force, stored so that a request reads only the findings
 * near the rule it shows (a request shows lint for a rule or two; 10,000 rules
 * can have thousands of findings, over half a megabyte): per source, one entry
 * per LINT_CHUNK rules that have findings, at lintChunkKey(source, chunk),
 *   { key: <rulesKey>, text: <one line per finding, in rule order> }
 * each line `\n<index>\t<severity>\t<code>\t<message as a JSON string>`; a
 * lookup is one native string search for "\n<index>\t". RULES_LINT_KEY holds
 * the list of chunk keys written, so the next write can remove the ones it
 * does not write again.
 */
export interface RulesLintChunk {
  key: string;
  text: string;
}

export interface RulesLintIndex {
  key: string;
  chunks: string[];
}

export const LINT_CHUNK = 256;

export function lintChunkKey(source: string, chunk: number): string {
  return `${RULES_LINT_KEY}:${source}:${chunk}`;
}

/** The findings of one rule. */
export type LintLookup = (source: string, index: number) => Promise<Finding[]>;

export type LintBySource = Record<string, Finding[]>;

/** The cache, the list of lint chunks, and the chunks, by storage key. */
export type RulesCacheEntries = { [RULES_CACHE_KEY]: RulesCache; [RULES_LINT_KEY]: RulesLintIndex } & {
  [chunk: string]: RulesCache | RulesLintIndex | RulesLintChunk;
};

/** The part of a storage area the cache is written to and lint read from. */
export type CacheArea = Pick<LocalArea, 'get' | 'set' | 'remove'>;

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
  const rules = ruleSet ? saveRuleSet(ruleSet) : null;
  const chunks: Record<string, RulesLintChunk> = {};
  for (const [source, findings] of Object.entries(lint)) {
    for (const finding of [...findings].sort((a, b) => a.index - b.index)) {
      const chunk = (chunks[lintChunkKey(source, Math.floor(finding.index / LINT_CHUNK))] ??= { key, text: '' });
      chunk.text += `\n${finding.index}\t${finding.severity}\t${finding.code}\t${JSON.stringify(finding.message)}`;
    }
  }
  const cache: RulesCache = { version: 6, stamp, validUntil, rules, key };
  const index: RulesLintIndex = { key, chunks: Object.keys(chunks) };
  return { ...chunks, [RULES_CACHE_KEY]: cache, [RULES_LINT_KEY]: index };
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
  if (entry.version !== 6 || entry.stamp !== stamp || typeof entry.key !== 'string') return null;
  if (typeof entry.validUntil === 'number' && now >= entry.validUntil) return null;
  const rules = entry.rules;
  if (rules === null) return { ruleSet: null, key: entry.key };
  if (typeof rules !== 'string') return null;
  const ruleSet = loadRuleSet(rules);
  return ruleSet ? { ruleSet, key: entry.key } : null;
}

/** The lookup over lint computed just now. */
export function lintLookupOf(lint: LintBySource): LintLookup {
  return (source, index) => Promise.resolve((lint[source] ?? []).filter((finding) => finding.index === index));
}

/**
 * The lookup over the lint stored for the rules with this key: each chunk is
 * read once, when a request first shows a rule in it. Lint only explains rules
 * (it never changes a decision), so a chunk of other rules, or one that cannot
 * be read, gives no findings, and a line that cannot be read is left out.
 */
export function storedLintLookup(area: Pick<CacheArea, 'get'>, key: string): LintLookup {
  const texts = new Map<string, Promise<string>>();
  const textOf = (name: string) => {
    let text = texts.get(name);
    if (!text) {
      text = area.get(name).then(
        (stored) => {
          const chunk = stored[name] as Partial<RulesLintChunk> | undefined;
          return chunk?.key === key && typeof chunk.text === 'string' ? chunk.text : '';
        },
        () => '',
      );
      texts.set(name, text);
    }
    return text;
  };
  return async (source, index) =>
    Number.isInteger(index) && index >= 0 ? findingsIn(await textOf(lintChunkKey(source, Math.floor(index / LINT_CHUNK))), index) : [];
}

function findingsIn(text: string, index: number): Finding[] {
  const findings: Finding[] = [];
  const head = `\n${index}\t`;
  for (let at = text.indexOf(head); at >= 0 && text.startsWith(head, at);) {
    const end = text.indexOf('\n', at + 1);
    const finding = readLintLine(index, text.slice(at + head.length, end < 0 ? text.length : end));
    if (finding) findings.push(finding);
    if (end < 0) break;
    at = end;
  }
  return findings;
}
const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning']);
const CODES: ReadonlySet<string> = new Set(FINDING_CODES);

/** "<severity>\t<code>\t<message JSON>" back to a finding, or null. */
function readLintLine(index: number, rest: string): Finding | null {
  const [severity, code, message, extra] = rest.split('\t');
  if (extra !== undefined || severity === undefined || !SEVERITIES.has(severity) || !CODES.has(code ?? '') || message === undefined) return null;
  let text: unknown;
  try {
    text = JSON.parse(message);
  } catch {
    return null;
  }
  return typeof text === 'string' ? ({ index, severity, code, message: text } as Finding) : null;
}
