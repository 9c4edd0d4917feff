import type { CompiledSource } from './compile';
import type { MatchIndex } from './match-index';
import { createRuleIndex } from './rule-index';
import type { NormalizedRule, SourceName } from './model';

/** The rules in force: accepted sources in precedence order, indexed for matching. */
export interface RuleSet {
  readonly sources: readonly CompiledSource[];
  readonly index: MatchIndex;
}

const PRECEDENCE: readonly SourceName[] = ['managed', 'profile', 'local', 'file'];

/**
 * Builds the active rule set from the sources in force (spec/rules.md §7).
 * Returns null when no source is usable: the decision is then `no-rules`.
 */
export function buildRuleSet(sources: readonly CompiledSource[]): RuleSet | null {
  const inForce = sources
    .filter((source) => source.accepted)
    .sort((a, b) => PRECEDENCE.indexOf(a.name) - PRECEDENCE.indexOf(b.name));
  if (inForce.length === 0) return null;
  // concat, not flatMap: flatMap is several times slower on 100,000-rule arrays.
  const rules = ([] as NormalizedRule[]).concat(...inForce.map((source) => source.rules));
  return { sources: inForce, index: createRuleIndex(rules) };
}
