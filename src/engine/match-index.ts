import { compileGlob, globMatches, type Glob } from './glob';
import type { Action, NormalizedRule } from './model';

/** Finds the rules that match a normalised host and port. */
export interface MatchIndex {
  /** The first rule in overall order with this action that matches, or null. */
  firstMatch(host: string, port: string, action: Action): NormalizedRule | null;
  /** Every matching rule in overall order (for explanations, not the hot path). */
  allMatches(host: string, port: string): NormalizedRule[];
}

interface CompiledRule {
  rule: NormalizedRule;
  host: Glob;
  port: Glob;
}

/** Rules in overall order, each with its globs compiled once. */
export function createScanIndex(rules: readonly NormalizedRule[]): MatchIndex {
  const compiled: CompiledRule[] = rules.map((rule) => ({ rule, host: compileGlob(rule.host), port: compileGlob(rule.port) }));
  const byAction: Record<Action, CompiledRule[]> = {
    noCertificate: compiled.filter((entry) => entry.rule.action === 'noCertificate'),
    useEnrollmentCertificate: compiled.filter((entry) => entry.rule.action === 'useEnrollmentCertificate'),
  };
  const matches = (entry: CompiledRule, host: string, port: string) =>
    globMatches(entry.host, host) && globMatches(entry.port, port);
  return {
    firstMatch(host, port, action) {
      return byAction[action].find((entry) => matches(entry, host, port))?.rule ?? null;
    },
    allMatches(host, port) {
      return compiled.filter((entry) => matches(entry, host, port)).map((entry) => entry.rule);
    },
  };
}
