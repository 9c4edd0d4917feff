// Types for test/helpers/naive-matcher.mjs (plain JavaScript: scripts/bench/naive-check.mjs runs it in a bare node process).
export interface NaiveRule {
  host: string;
  port: string;
  action: string;
}

export interface NaiveVerdict {
  decision: 'useEnrollmentCertificate' | 'noCertificate' | 'notApplicable';
  reason: 'deny-rule' | 'allow-rule' | 'no-match' | 'invalid-url' | 'not-tls';
  /** The deciding rule's position in the matcher's rules. */
  rule: number | null;
}

export interface NaiveMatcher {
  /** The position of the first rule with this action that matches, or null. */
  first(host: string, port: string, action: string): number | null;
  /** The positions of every matching rule, in order. */
  all(host: string, port: string): number[];
  decide(host: string, port: string): NaiveVerdict;
}

export declare function globToRegExp(pattern: string): RegExp;
export declare function naiveNormalize(raw: { host: unknown; port?: unknown; action: unknown }): NaiveRule;
export declare function createNaiveMatcher(rules: readonly NaiveRule[]): NaiveMatcher;
export declare function naiveDecideUrl(matcher: NaiveMatcher, url: string): NaiveVerdict;
