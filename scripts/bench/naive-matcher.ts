import type { NormalizedRule } from '../../src/engine/index';

/**
 * The naive matcher the issue measures against: one regular expression per
 * rule, tried in turn — the deny rules first, then the allow rules, each in
 * order, as docs/rules.md §5 reads. Honest, not absurd: the expressions are
 * built once, anchored, and `*` becomes `.*`.
 */
export interface NaiveVerdict {
  decision: 'useEnrollmentCertificate' | 'noCertificate';
  rule: NormalizedRule | null;
}

export interface NaiveMatcher {
  decide(host: string, port: string): NaiveVerdict;
}

export function createNaiveMatcher(rules: readonly NormalizedRule[]): NaiveMatcher {
  const compile = (rule: NormalizedRule) => ({ rule, host: globToRegExp(rule.host), port: globToRegExp(rule.port) });
  const deny = rules.filter((rule) => rule.action === 'noCertificate').map(compile);
  const allow = rules.filter((rule) => rule.action === 'useEnrollmentCertificate').map(compile);
  return {
    decide(host, port) {
      for (const entry of deny) {
        if (entry.host.test(host) && entry.port.test(port)) return { decision: 'noCertificate', rule: entry.rule };
      }
      for (const entry of allow) {
        if (entry.host.test(host) && entry.port.test(port)) return { decision: 'useEnrollmentCertificate', rule: entry.rule };
      }
      return { decision: 'noCertificate', rule: null };
    },
  };
}

export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\-]/g, (ch) => (ch === '*' ? '.*' : `\\${ch}`))}$`);
}
