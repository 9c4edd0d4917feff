import type { PopupState } from '../../shared/messages';
import { DecisionBadge } from '../common/decision-badge';
import { FindingList } from '../common/finding-list';
import { t } from '../common/i18n';
import type { RuleLinker } from '../common/rule-anchor';
import { RuleSummary, type SourceLabels } from '../common/rule-summary';

type Current = NonNullable<PopupState['current']>;

/** The current tab: where it is, what the rules say, and the rule that said it. */
export function CurrentTab({ current, labels, pending = false, linker }: { current: Current; labels: SourceLabels; pending?: boolean; linker?: RuleLinker }) {
  const place = current.host ? `${current.host}:${current.port ?? ''}` : current.url;
  const rule = current.verdict.rule;
  return (
    <section class="current" aria-labelledby="current-heading">
      <h2 id="current-heading" class="current-host">
        <span class="visually-hidden">{t('popup_currentSite')} </span>
        <code>{place}</code>
      </h2>
      <DecisionBadge verdict={current.verdict} explain pending={pending} />
      {rule && (
        <>
          <h3 class="rule-heading">{t('popup_decidingRule')}</h3>
          <RuleSummary rule={rule} labels={labels} linker={linker} />
        </>
      )}
      {current.lint.length > 0 && (
        <div class="rule-lint">
          <h3>{t('popup_ruleLint')}</h3>
          <FindingList findings={current.lint} />
        </div>
      )}
    </section>
  );
}
