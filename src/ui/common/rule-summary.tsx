import type { ReportedRule } from '../../engine/model';
import { t } from './i18n';
import { RuleAnchor, type RuleLinker } from './rule-anchor';
import { actionText, ruleNumberText, sourceText } from './rule-text';

export interface SourceLabels {
  /** Labels by source name, e.g. the synced console profile's name. */
  [source: string]: string | null | undefined;
}

/** Which rule decided: source, number (with the JSON index), host pattern, port and action — all as text. */
export function RuleSummary({ rule, labels, linker }: { rule: ReportedRule; labels: SourceLabels; linker?: RuleLinker }) {
  return (
    <dl class="rule-summary">
      <div>
        <dt>{t('ui_ruleSource')}</dt>
        <dd>{sourceText(rule.source, labels[rule.source])}</dd>
      </div>
      <div>
        <dt>{t('ui_ruleNumberLabel')}</dt>
        <dd>
          <RuleAnchor rule={rule} linker={linker}>
            {ruleNumberText(rule.index)}
          </RuleAnchor>
        </dd>
      </div>
      <div>
        <dt>{t('ui_ruleHost')}</dt>
        <dd>
          <code>{rule.host}</code>
        </dd>
      </div>
      <div>
        <dt>{t('ui_rulePort')}</dt>
        <dd>
          <code>{rule.port}</code>
        </dd>
      </div>
      <div>
        <dt>{t('ui_ruleAction')}</dt>
        <dd>{actionText(rule.action)}</dd>
      </div>
    </dl>
  );
}

/** Source labels from the list the background sends with popup state and evaluations. */
export function labelsOf(sources: readonly { name: string; label: string | null }[]): SourceLabels {
  return Object.fromEntries(sources.map((source) => [source.name, source.label]));
}
