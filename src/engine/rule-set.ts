import type { CompiledSource } from './compile';
import type { MatchIndex } from './match-index';
import { createRuleIndex, loadRuleIndex, ruleOfIndex, saveRuleIndex, type SavedRuleIndex } from './rule-index';
import type { Finding, NormalizedRule, SourceName } from './model';

/** The rules in force: accepted sources in precedence order, indexed for matching. */
export interface RuleSet {
  readonly sources: readonly CompiledSource[];
  readonly index: MatchIndex;
}

const PRECEDENCE: readonly SourceName[] = ['managed', 'profile', 'local', 'file'];

/**
 * Builds the active rule set from the sources in force (docs/rules.md §7).
 * Returns null when no source is usable: the decision is then `no-rules`.
 */
export function buildRuleSet(sources: readonly CompiledSource[]): RuleSet | null {
  const inForce = inPrecedence(sources);
  return inForce.length === 0 ? null : { sources: inForce, index: createRuleIndex(allRules(inForce)) };
}

/**
 * The rule set as one JSON string, to store (the background's compiled-rules
 * cache): the sources' descriptions and the saved index, which holds every
 * rule's host, port and action. loadRuleSet reads it back with one native
 * JSON.parse and makes rule objects only when asked for. Null if the index
 * cannot be saved.
 */
export function saveRuleSet(ruleSet: RuleSet): string | null {
  const index = saveRuleIndex(ruleSet.index);
  if (!index) return null;
  const sources: SavedSource[] = ruleSet.sources.map((source) => {
    const indices = source.rules.map((rule) => rule.index);
    const saved: SavedSource = {
      name: source.name,
      accepted: source.accepted,
      total: source.total,
      errors: source.errors,
      warnings: source.warnings,
      count: indices.length,
      // Usually 0, 1, 2, …: then not stored.
      indices: indices.every((value, at) => value === at) ? null : indices,
    };
    if (source.label !== undefined) saved.label = source.label;
    return saved;
  });
  return JSON.stringify({ v: SET_FORMAT, sources, index } satisfies SavedRuleSet);
}

/**
 * A rule set saved by saveRuleSet, as buildRuleSet built it; null when the
 * text is not one. The caller vouches that the text is what saveRuleSet gave
 * (the background's own storage, which checks its blocks): only the shape is checked.
 * Each source's rules, and each rule a lookup returns, are made on first use —
 * a wake-up that answers one decision makes one or two.
 */
export function loadRuleSet(text: string): RuleSet | null {
  let saved: Partial<SavedRuleSet> | null;
  try {
    saved = JSON.parse(text) as Partial<SavedRuleSet> | null;
  } catch {
    return null;
  }
  if (!saved || saved.v !== SET_FORMAT || !Array.isArray(saved.sources) || saved.sources.length === 0 || !saved.index) return null;
  const index = saved.index;
  if (!saved.sources.every((source) => isSavedSource(source))) return null;
  const savedSources = saved.sources;
  const starts: number[] = [];
  let count = 0;
  for (const source of savedSources) {
    starts.push(count);
    count += source.count;
  }
  if (count !== index.count) return null;
  const matchIndex = loadRuleIndex(index, (order, pattern) => {
    let at = savedSources.length - 1;
    while (at > 0 && (starts[at] as number) > order) at--;
    const source = savedSources[at] as SavedSource;
    const offset = order - (starts[at] as number);
    return { source: source.name, index: source.indices ? (source.indices[offset] as number) : offset, ...pattern };
  });
  if (!matchIndex) return null;
  const ruleAt = (order: number) => ruleOfIndex(matchIndex, order);
  const sources = savedSources.map((source, at): CompiledSource => {
    const compiled = {
      name: source.name,
      label: source.label,
      accepted: source.accepted,
      total: source.total,
      errors: source.errors,
      warnings: source.warnings,
    } as CompiledSource;
    let rules: NormalizedRule[] | null = null;
    const start = starts[at] as number;
    Object.defineProperty(compiled, 'rules', {
      enumerable: true,
      get: () => (rules ??= Array.from({ length: source.count }, (_, offset) => ruleAt(start + offset))),
    });
    return compiled;
  });
  return { sources, index: matchIndex };
}

const SET_FORMAT = 1;

interface SavedSource {
  name: SourceName;
  label?: string;
  accepted: boolean;
  total: number;
  errors: Finding[];
  warnings: Finding[];
  count: number;
  /** Each rule's index in its source, or null for 0, 1, 2, … */
  indices: number[] | null;
}

interface SavedRuleSet {
  v: number;
  sources: SavedSource[];
  index: SavedRuleIndex;
}

function isSavedSource(value: unknown): value is SavedSource {
  const source = value as Partial<SavedSource> | null;
  return (
    !!source &&
    PRECEDENCE.includes(source.name as SourceName) &&
    (source.label === undefined || typeof source.label === 'string') &&
    typeof source.accepted === 'boolean' &&
    Number.isInteger(source.total) &&
    Array.isArray(source.errors) &&
    Array.isArray(source.warnings) &&
    Number.isInteger(source.count) &&
    (source.count as number) >= 0 &&
    (source.indices === null || (Array.isArray(source.indices) && source.indices.length === source.count))
  );
}

function inPrecedence(sources: readonly CompiledSource[]): CompiledSource[] {
  return sources.filter((source) => source.accepted).sort((a, b) => PRECEDENCE.indexOf(a.name) - PRECEDENCE.indexOf(b.name));
}

// concat, not flatMap: flatMap is several times slower on 100,000-rule arrays.
const allRules = (inForce: readonly CompiledSource[]): NormalizedRule[] => ([] as NormalizedRule[]).concat(...inForce.map((source) => source.rules));
