import type { MatchIndex, NormalizedRule } from '../../../src/engine/index';
import { globToRegExp } from '../naive-matcher';

/**
 * Benchmark only (built into the cold-start script's naive variant, never into
 * dist): stands in for src/engine/rule-index.ts with the naive matcher — one
 * regular expression per host and port pattern, built when the rule set is
 * built (at every wake-up), and tried rule by rule in overall order.
 */
export function createRuleIndex(rules: readonly NormalizedRule[]): MatchIndex {
  const compiled = rules.map((rule) => ({ rule, host: globToRegExp(rule.host), port: globToRegExp(rule.port) }));
  const matches = (entry: (typeof compiled)[number], host: string, port: string) => entry.host.test(host) && entry.port.test(port);
  return {
    firstMatch(host, port, action) {
      return compiled.find((entry) => entry.rule.action === action && matches(entry, host, port))?.rule ?? null;
    },
    deciding(host, port) {
      return this.firstMatch(host, port, 'noCertificate') ?? this.firstMatch(host, port, 'useEnrollmentCertificate');
    },
    allMatches(host, port) {
      return compiled.filter((entry) => matches(entry, host, port)).map((entry) => entry.rule);
    },
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
