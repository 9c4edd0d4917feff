import type { CompiledSource } from './compile';
import type { Finding, NormalizedRule, SourceName } from './model';
import { RuleIndex, type SavedRuleIndex } from './rule-index';

/** A source in force as a rule set describes it: all but its rules (its index holds them), and how many it has. */
export type SourceSummary = Omit<CompiledSource, 'rules'> & { count: number };

/**
 * The rules in force: the accepted sources in precedence order, their rules
 * indexed for matching (buildRuleSet, loadRuleSet).
 */
export class RuleSet {
  /** The sources with their rules: given at build; for a loaded set, made on the first read of `sources`. */
  private inForce: readonly CompiledSource[] | null;

  constructor(
    readonly index: RuleIndex,
    /** Each source in force, in precedence order, without its rules: cheap to read at every request. */
    readonly summaries: readonly SourceSummary[],
    sources: readonly CompiledSource[] | null,
  ) {
    this.inForce = sources;
  }

  /**
   * The sources in force with their rules. A loaded set makes its rule objects
   * (through its index) when this is first read, not when it is loaded: a
   * wake-up that answers one decision makes one or two.
   */
  get sources(): readonly CompiledSource[] {
    if (this.inForce === null) {
      let start = 0;
      this.inForce = this.summaries.map(({ count, ...source }) => {
        const from = start;
        start += count;
        return { ...source, rules: Array.from({ length: count }, (_, offset) => this.index.rule(from + offset)) };
      });
    }
    return this.inForce;
  }
}

const PRECEDENCE: readonly SourceName[] = ['managed', 'profile', 'local', 'file'];

/** The version of SavedRuleSet (the saved index inside it has its own): a saved set of any other version is not loaded. */
const SET_FORMAT = 1;

/**
 * Builds the active rule set from the sources in force (docs/rules.md §7).
 * Returns null when no source is usable: the decision is then `no-rules`.
 */
export function buildRuleSet(sources: readonly CompiledSource[]): RuleSet | null {
  const inForce = inPrecedence(sources);
  if (inForce.length === 0) return null;
  const summaries = inForce.map(({ rules, ...source }): SourceSummary => ({ ...source, count: rules.length }));
  return new RuleSet(RuleIndex.build(allRules(inForce)), summaries, inForce);
}

/**
 * The rule set as one JSON string, to store (the background's compiled-rules
 * cache): the sources' descriptions and the saved index, which holds every
 * rule's host, port and action. loadRuleSet reads it back with one native
 * JSON.parse and makes rule objects only when asked for.
 */
export function saveRuleSet(ruleSet: RuleSet): string {
  const sources = ruleSet.sources.map((source): SavedSource => {
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
  return JSON.stringify({ v: SET_FORMAT, sources, index: ruleSet.index.save() } satisfies SavedRuleSet);
}

/**
 * A rule set saved by saveRuleSet, as buildRuleSet built it; null when the
 * text is not one of this format (the caller then builds the set again from
 * its sources). The caller vouches that the text is what saveRuleSet gave (the
 * background's own storage, which checks its blocks): only the shape is
 * checked. Each rule is made on first use — a wake-up that answers one
 * decision makes one or two.
 */
export function loadRuleSet(text: string): RuleSet | null {
  let saved: Partial<SavedRuleSet> | null;
  try {
    saved = JSON.parse(text) as Partial<SavedRuleSet> | null;
  } catch {
    return null;
  }
  if (!saved || saved.v !== SET_FORMAT || !Array.isArray(saved.sources) || saved.sources.length === 0) return null;
  if (!saved.sources.every((source) => isSavedSource(source))) return null;
  const savedSources = saved.sources;
  const starts: number[] = [];
  let count = 0;
  for (const source of savedSources) {
    starts.push(count);
    count += source.count;
  }
  const index = RuleIndex.load(saved.index, (order, pattern) => {
    let at = savedSources.length - 1;
    while (at > 0 && (starts[at] as number) > order) at--;
    const source = savedSources[at] as SavedSource;
    const offset = order - (starts[at] as number);
    return { source: source.name, index: source.indices ? (source.indices[offset] as number) : offset, ...pattern };
  });
  if (!index || index.count !== count) return null;
  const summaries = savedSources.map((source): SourceSummary => ({
    name: source.name,
    label: source.label,
    accepted: source.accepted,
    total: source.total,
    errors: source.errors,
    warnings: source.warnings,
    count: source.count,
  }));
  return new RuleSet(index, summaries, null);
}

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
  v: typeof SET_FORMAT;
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
