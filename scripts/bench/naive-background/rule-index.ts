import type { MatchIndex, NormalizedRule } from '../../../src/engine/index';
import { createNaiveMatcher } from '../../../test/helpers/naive-matcher.mjs';

/**
 * Benchmark only (built into the cold-start script's naive variant, never into
 * dist): stands in for src/engine/rule-index.ts with the naive matcher — one
 * regular expression per host and port pattern, built when the rule set is
 * built (at every wake-up), and tried rule by rule in overall order.
 */
export function createRuleIndex(rules: readonly NormalizedRule[]): MatchIndex {
  const naive = createNaiveMatcher(rules);
  const ruleAt = (order: number | null) => (order === null ? null : (rules[order] ?? null));
  return {
    firstMatch: (host, port, action) => ruleAt(naive.first(host, port, action)),
    deciding: (host, port) => ruleAt(naive.first(host, port, 'noCertificate') ?? naive.first(host, port, 'useEnrollmentCertificate')),
    allMatches: (host, port) => naive.all(host, port).map((order) => rules[order] as NormalizedRule),
  };
}

/** The naive variant keeps no compiled-rules cache: nothing to save or load. */
export function saveRuleIndex(): null {
  return null;
}

export function loadRuleIndex(): null {
  return null;
}

export function ruleOfIndex(): never {
  throw new Error('the naive variant loads no saved index');
}
