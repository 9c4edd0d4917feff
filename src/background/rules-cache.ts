import type { EffectiveSettings } from '../config/index';
import { buildRuleSet, decodeSources, FindingCodeSchema, loadRuleSet, saveRuleSetIndex, type Finding, type RuleSet } from '../engine/index';
import type { SyncState } from '../sync/index';
import { hash } from './rule-sources';

import { REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY } from './local-keys';

export { REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY } from './local-keys';

/**
 * The rules in force, compiled, as a wake-up reads them: the sources in the
 * compact rule codec, and the rule index saved as JSON (loading it is a native
 * JSON.parse; building it means hashing every rule's host again). Two strings,
 * read in one storage call.
 */
export interface RulesCache {
  version: 4;
  /** cacheStamp() of what the rules were built from. */
  stamp: string;
  /** When the synced rules pass the maximum rule age (epoch ms), or null. */
  validUntil: number | null;
  text: string;
  /** saveRuleIndex() of the rule set built from `text`, or null (the index is then built). */
  index: string | null;
  /**
   * SHA-256 (hex) of text and index, checked before either is used: the codec
   * and the index loader catch a cut-off or malformed string, the digest any
   * other change. Computed natively (WebCrypto): hashing the strings in script
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

/** What to store (in one set call): the cache of this rule set (its sources as `text`) and the lint that belongs to it. */
export async function rulesCacheEntries(
  stamp: string,
  validUntil: number | null,
  text: string,
  ruleSet: RuleSet | null,
  lint: LintBySource,
): Promise<{ [RULES_CACHE_KEY]: RulesCache; [RULES_LINT_KEY]: RulesLint }> {
  const index = ruleSet ? saveRuleSetIndex(ruleSet) : null;
  const checksum = await digest(text, index);
  return {
    [RULES_CACHE_KEY]: { version: 4, stamp, validUntil, text, index, checksum },
    [RULES_LINT_KEY]: { checksum, sources: Object.fromEntries(Object.entries(lint).map(([source, findings]) => [source, lintLines(findings)])) },
  };
}

/**
 * The cached rule set (and the checksum its lint is stored under) when the
 * cache is current and intact, else null (then the sources are read and
 * compiled). A rule set whose sources are all empty or refused is null too:
 * the caller then decides as with no rules.
 */
export async function readRulesCache(cache: unknown, stamp: string, now: number): Promise<{ ruleSet: RuleSet | null; checksum: string } | null> {
  if (!cache || typeof cache !== 'object') return null;
  const entry = cache as Partial<RulesCache>;
  if (entry.version !== 4 || entry.stamp !== stamp || typeof entry.text !== 'string' || typeof entry.checksum !== 'string') return null;
  if (typeof entry.validUntil === 'number' && now >= entry.validUntil) return null;
  const index = typeof entry.index === 'string' ? entry.index : null;
  if (entry.checksum !== (await digest(entry.text, index).catch(() => null))) return null;
  const decoded = decodeSources(entry.text, { verified: true });
  if (!decoded.ok) return null;
  // An index that does not fit is built again: slower, never wrong.
  const ruleSet = (index !== null ? loadRuleSet(decoded.value, index) : null) ?? buildRuleSet(decoded.value);
  return { ruleSet, checksum: entry.checksum };
}

async function digest(text: string, index: string | null): Promise<string> {
  const bytes = new TextEncoder().encode(index === null ? text : `${text}\n${index}`);
  const sum = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
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
const FINDING_CODES: ReadonlySet<string> = new Set(FindingCodeSchema.options);

/** "<severity>\t<code>\t<message JSON>" back to a finding, or null. */
function readLintLine(index: number, rest: string): Finding | null {
  const [severity, code, message, extra] = rest.split('\t');
  if (extra !== undefined || severity === undefined || !SEVERITIES.has(severity) || !FINDING_CODES.has(code ?? '') || message === undefined) return null;
  let text: unknown;
  try {
    text = JSON.parse(message);
  } catch {
    return null;
  }
  return typeof text === 'string' ? ({ index, severity, code, message: text } as Finding) : null;
}
