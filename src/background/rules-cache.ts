import type { EffectiveSettings } from '../config/index';
import { FindingCodeSchema, loadRuleSet, saveRuleSet, type Finding, type RuleSet } from '../engine/index';
import type { SyncState } from '../sync/index';
import { encodeSources, type CompiledSource } from '../engine/index';
import { hash } from './rule-sources';

import { REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY } from './local-keys';

export { REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY } from './local-keys';

/**
 * The rules in force, compiled, as a wake-up reads them: one string, the rule
 * set saved whole (engine saveRuleSet: the sources' descriptions and the rule
 * index with every rule's host, port and action). Loading it is one native
 * JSON.parse; reading 10,000 rule objects from storage, or building the index
 * again, each cost several times more.
 */
export interface RulesCache {
  version: 5;
  /** cacheStamp() of what the rules were built from. */
  stamp: string;
  /** When the synced rules pass the maximum rule age (epoch ms), or null. */
  validUntil: number | null;
  /** saveRuleSet() of the rules in force, or null when none are (no-rules). */
  rules: string | null;
  /** Which rules these are (rulesKey of their sources): a reload that finds the same rules keeps the rule set. */
  key: string;
  /**
   * SHA-256 (hex) of `rules`, checked before it is used: the loader checks
   * shapes only. Computed natively (WebCrypto): hashing the string in script
   * cost a wake-up several milliseconds.
   */
  checksum: string;
}

/**
 * Lint of each source in force, for the cache with this checksum, stored so
 * that one rule's findings are found without reading the others (a request
 * shows lint for a rule or two; a large rule set has thousands of findings).
 * Per source, one line per finding, in rule order:
 *   `\n<index>\t<severity>\t<code>\t<message as a JSON string>`
 * A lookup is one native string search for "\n<index>\t".
 */
export interface RulesLint {
  checksum: string;
  sources: Record<string, string>;
}

/** The findings of one rule. */
export type LintLookup = (source: string, index: number) => Finding[];

export type LintBySource = Record<string, Finding[]>;

/**
 * Everything the rules in force depend on, cheaply: the policy's rules and
 * what it allows local rules to do, the maximum rule age, and the revisions
 * written with the synced state, the local rules and the managed last good.
 */
export function cacheStamp(settings: EffectiveSettings, revisions: Record<string, string>): string {
  const values = settings.values;
  return hash(JSON.stringify([values.rules, values.localRules, values.maxRuleAgeHours, Object.values(REVISION_KEYS).map((key) => revisions[key] ?? '')]));
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
export async function rulesCacheEntries(
  stamp: string,
  validUntil: number | null,
  key: string,
  ruleSet: RuleSet | null,
  lint: LintBySource,
): Promise<{ [RULES_CACHE_KEY]: RulesCache; [RULES_LINT_KEY]: RulesLint }> {
  const rules = ruleSet ? saveRuleSet(ruleSet) : null;
  const checksum = await digest(rules ?? '');
  return {
    [RULES_CACHE_KEY]: { version: 5, stamp, validUntil, rules, key, checksum },
    [RULES_LINT_KEY]: { checksum, sources: Object.fromEntries(Object.entries(lint).map(([source, findings]) => [source, lintLines(findings)])) },
  };
}

/**
 * The cached rule set (null: no rules are in force), the key of its sources
 * and the checksum its lint is stored under, when the cache is current and
 * intact; else null (then the sources are read and compiled).
 */
export async function readRulesCache(cache: unknown, stamp: string, now: number): Promise<{ ruleSet: RuleSet | null; key: string; checksum: string } | null> {
  if (!cache || typeof cache !== 'object') return null;
  const entry = cache as Partial<RulesCache>;
  if (entry.version !== 5 || entry.stamp !== stamp || typeof entry.key !== 'string' || typeof entry.checksum !== 'string') return null;
  if (typeof entry.validUntil === 'number' && now >= entry.validUntil) return null;
  const rules = entry.rules;
  if (rules !== null && typeof rules !== 'string') return null;
  // The digest is computed off the worker's thread: load meanwhile, and use
  // what was loaded only once the digest matches.
  const digesting = digest(rules ?? '').catch(() => null);
  let ruleSet: RuleSet | null = null;
  try {
    ruleSet = rules === null ? null : loadRuleSet(rules);
  } catch {
    // Checked below: a text that does not match its digest is never used, whatever it did to the loader.
  }
  if (entry.checksum !== (await digesting) || (rules !== null && ruleSet === null)) return null;
  return { ruleSet, key: entry.key, checksum: entry.checksum };
}

async function digest(text: string): Promise<string> {
  const sum = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(sum, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function lintLines(findings: readonly Finding[]): string {
  return [...findings]
    .sort((a, b) => a.index - b.index)
    .map((finding) => `\n${finding.index}\t${finding.severity}\t${finding.code}\t${JSON.stringify(finding.message)}`)
    .join('');
}

/** The lookup over lint computed just now. */
export function lintLookupOf(lint: LintBySource): LintLookup {
  return (source, index) => (lint[source] ?? []).filter((finding) => finding.index === index);
}

/**
 * The lookup over the stored lint when it belongs to the cache with this
 * checksum, else null. Lint only explains rules (it never changes a decision),
 * so a line that cannot be read is left out rather than failing the rules.
 */
export function readRulesLint(stored: unknown, checksum: string): LintLookup | null {
  if (!stored || typeof stored !== 'object') return null;
  const entry = stored as Partial<RulesLint>;
  const sources = entry.sources;
  if (entry.checksum !== checksum || !sources || typeof sources !== 'object' || Array.isArray(sources)) return null;
  if (!Object.values(sources).every((text) => typeof text === 'string')) return null;
  return (source, index) => {
    const text = Object.hasOwn(sources, source) ? sources[source] : undefined;
    if (typeof text !== 'string') return [];
    const findings: Finding[] = [];
    const head = `\n${index}\t`;
    for (let at = text.indexOf(head); at >= 0 && text.startsWith(head, at); ) {
      const end = text.indexOf('\n', at + 1);
      const finding = readLintLine(index, text.slice(at + head.length, end < 0 ? text.length : end));
      if (finding) findings.push(finding);
      if (end < 0) break;
      at = end;
    }
    return findings;
  };
}

const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning']);
// Built when stored lint is first read, not at every wake-up.
let findingCodes: ReadonlySet<string> | null = null;

/** "<severity>\t<code>\t<message JSON>" back to a finding, or null. */
function readLintLine(index: number, rest: string): Finding | null {
  const [severity, code, message, extra] = rest.split('\t');
  if (extra !== undefined || severity === undefined || !SEVERITIES.has(severity) || !(findingCodes ??= new Set(FindingCodeSchema.options)).has(code ?? '') || message === undefined) return null;
  let text: unknown;
  try {
    text = JSON.parse(message);
  } catch {
    return null;
  }
  return typeof text === 'string' ? ({ index, severity, code, message: text } as Finding) : null;
}
