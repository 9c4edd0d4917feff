import { lintNormalized } from '../lint';
import { coverIndex } from '../lint-index';
import type { NormalizedRule } from '../model';

/**
 * Lint's warnings per rule (by position in `rules`, the sources one after
 * another), each source linted on its own as lint does: the export report
 * repeats them on the rule's line, so a risky rule is not called "exact" and
 * left at that.
 */
export function lintWarningsByPosition(rules: readonly NormalizedRule[]): Map<number, string[]> {
  const bySource = new Map<string, { rules: NormalizedRule[]; positions: Map<number, number> }>();
  rules.forEach((rule, position) => {
    const group = bySource.get(rule.source) ?? { rules: [] as NormalizedRule[], positions: new Map<number, number>() };
    group.rules.push(rule);
    group.positions.set(rule.index, position);
    bySource.set(rule.source, group);
  });
  const warnings = new Map<number, string[]>();
  for (const group of bySource.values()) {
    for (const finding of lintNormalized(group.rules, coverIndex)) {
      const position = group.positions.get(finding.index);
      if (position === undefined || finding.severity !== 'warning') continue;
      const list = warnings.get(position) ?? [];
      if (!list.includes(finding.message)) list.push(finding.message);
      warnings.set(position, list);
    }
  }
  return warnings;
}
