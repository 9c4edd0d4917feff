import { compileGlob, globMatches, type Glob } from './glob';
import type { Action, NormalizedRule } from './model';

/** Finds the rules that match a normalised host and port. */
export interface MatchIndex {
  /** The first rule in overall order with this action that matches, or null. */
  firstMatch(host: string, port: string, action: Action): NormalizedRule | null;
  /**
   * The rule that decides (docs/rules.md §5): the first matching noCertificate
   * rule if there is one, else the first matching useEnrollmentCertificate rule,
   * else null. The decision's hot path: an index can answer it in one pass.
   */
  deciding(host: string, port: string): NormalizedRule | null;
  /** Every matching rule in overall order (for explanations, not the hot path). */
  allMatches(host: string, port: string): NormalizedRule[];
}

interface CompiledRule {
  rule: NormalizedRule;
  host: Glob;
  port: Glob;
}

/** Rules in overall order, each with its globs compiled once: the plain reference the compiled index (rule-index.ts) replaces. */
export function createScanIndex(rules: readonly NormalizedRule[]): MatchIndex {
  const compiled: CompiledRule[] = rules.map((rule) => ({ rule, host: compileGlob(rule.host), port: compileGlob(rule.port) }));
  const byAction: Record<Action, CompiledRule[]> = {
    noCertificate: compiled.filter((entry) => entry.rule.action === 'noCertificate'),
    useEnrollmentCertificate: compiled.filter((entry) => entry.rule.action === 'useEnrollmentCertificate'),
  };
  const matches = (entry: CompiledRule, host: string, port: string) => globMatches(entry.host, host) && globMatches(entry.port, port);
  return {
    firstMatch(host, port, action) {
      return byAction[action].find((entry) => matches(entry, host, port))?.rule ?? null;
    },
    deciding(host, port) {
      return this.firstMatch(host, port, 'noCertificate') ?? this.firstMatch(host, port, 'useEnrollmentCertificate');
    },
    allMatches(host, port) {
      return compiled.filter((entry) => matches(entry, host, port)).map((entry) => entry.rule);
    },
  };
}
