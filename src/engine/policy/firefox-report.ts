import type { RuleSet } from '../rule-set';
import type { PolicyRuleReport } from './policy-report';
import { lintWarningsByPosition } from './report-lint';

/**
 * The report for the Firefox export: no rule can be written per site. With
 * "Ask Every Time" locked, Firefox never sends the certificate unasked, so
 * deny rules hold (as prompts) and allow rules are not expressible.
 */
export function firefoxReport(ruleSet: RuleSet | null): PolicyRuleReport[] {
  const rules = ruleSet ? ruleSet.sources.flatMap((source) => source.rules) : [];
  const warnings = lintWarningsByPosition(rules);
  return rules.map((rule, r) => {
    const base = { source: rule.source, index: rule.index, host: rule.host, port: rule.port, action: rule.action, patterns: [] };
    const lint = (warnings.get(r) ?? []).map((message) => `; lint warns: ${message}`).join('');
    if (rule.action === 'noCertificate') {
      return {
        ...base,
        outcome: 'asks' as const,
        note: `nothing written for this rule: Firefox asks on every site ("Ask Every Time" locked) instead of refusing${lint}`,
        example: null,
      };
    }
    return {
      ...base,
      outcome: 'not-expressible' as const,
      note: `nothing written for this rule: Firefox has no per-site selection; with "Ask Every Time" locked the user picks the certificate when the site asks${lint}`,
      example: null,
    };
  });
}
