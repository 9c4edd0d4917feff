import type { Action, NormalizedRule, RuleIndex as RealRuleIndex } from '../../../src/engine/index';
import { createNaiveMatcher, type NaiveMatcher } from '../../../test/helpers/naive-matcher.mjs';

export * from '../../../src/engine/rule-index-saved';

/**
 * Benchmark only (built into the cold-start script's naive variant, never into
 * dist): stands in for src/engine/rule-index.ts with the naive matcher — one
 * regular expression per host and port pattern, built when the rule set is
 * built (at every wake-up), and tried rule by rule in overall order. Its
 * public members are typed as the real index's: one that drifts from them
 * fails the typecheck, not the benchmark.
 */
export class RuleIndex implements Pick<RealRuleIndex, keyof RealRuleIndex> {
  private readonly naive: NaiveMatcher;

  private constructor(private readonly rules: readonly NormalizedRule[]) {
    this.naive = createNaiveMatcher(rules);
  }

  static build(rules: readonly NormalizedRule[]): RuleIndex {
    return new RuleIndex(rules);
  }

  /** The naive variant keeps no compiled-rules cache: nothing to load. */
  static load(): null {
    return null;
  }

  save(): never {
    throw new Error('the naive variant saves no index');
  }

  get count(): number {
    return this.rules.length;
  }

  rule(order: number): NormalizedRule {
    const rule = this.rules[order];
    if (!rule) throw new RangeError(`no rule ${order} in this index`);
    return rule;
  }

  firstMatch(host: string, port: string, action: Action): NormalizedRule | null {
    return this.ruleAt(this.naive.first(host, port, action));
  }

  deciding(host: string, port: string): NormalizedRule | null {
    return this.ruleAt(this.naive.first(host, port, 'noCertificate') ?? this.naive.first(host, port, 'useEnrollmentCertificate'));
  }

  allMatches(host: string, port: string): NormalizedRule[] {
    return this.naive.all(host, port).map((order) => this.rule(order));
  }

  private ruleAt(order: number | null): NormalizedRule | null {
    return order === null ? null : this.rule(order);
  }
}
