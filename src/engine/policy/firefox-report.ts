import type { RuleSet } from '../rule-set';
import type { PolicyRuleReport } from './policy-report';

/**
 * The report for the Firefox export: no rule can be written per site. With
 * "Ask Every Time" locked, Firefox never sends the certificate unasked, so
 * deny rules hold (as prompts) and allow rules are not expressible.
 */
export function firefoxReport(ruleSet: RuleSet | null): PolicyRuleReport[] {
  const rules = ruleSet ? ruleSet.sources.flatMap((source) => source.rules) : [];
  return rules.map((rule) => {
    const base = { source: rule.source, index: rule.index, host: rule.host, port: rule.port, action: rule.action, patterns: [] };
    if (rule.action === 'noCertificate') {
      return { ...base, outcome: 'asks' as const, note: 'Firefox asks on every site ("Ask Every Time" locked) instead of refusing', example: null };
    }
    return {
      ...base,
      outcome: 'not-expressible' as const,
      note: 'Firefox has no per-site selection; with "Ask Every Time" locked the user picks the certificate when the site asks',
      example: null,
    };
  });
}
