import type { ReportedRule } from '../../engine/model';
import type { SourceLabels } from './rule-summary';
import { t } from './i18n';
import { ruleReferenceText, sourceText } from './rule-text';

/** "Local rules, rule 2 (index 1): *.acme.com port 443" — one line for lists. */
export function ruleShortText(rule: ReportedRule, labels: SourceLabels): string {
  return t('ui_ruleShort', sourceText(rule.source, labels[rule.source]), ruleReferenceText(rule.index), rule.host, rule.port);
}
