import type { Finding } from '../../engine/model';
import { t } from './i18n';
import { findingText, ruleNumberText } from './rule-text';

/**
 * Engine findings as a list. `withNumbers` prefixes each with its rule's number
 * (for lists that are not beside the rule, e.g. an import's problems).
 */
export function FindingList({ findings, withNumbers = false, id }: { findings: readonly Finding[]; withNumbers?: boolean; id?: string }) {
  if (findings.length === 0) return null;
  return (
    <ul class="findings" id={id}>
      {findings.map((finding, position) => (
        <li key={position} class={`finding finding-${finding.severity}`} data-code={finding.code}>
          <span class="finding-severity">{finding.severity === 'error' ? t('ui_findingError') : t('ui_findingWarning')}</span>{' '}
          {withNumbers && <span class="finding-rule">{ruleNumberText(finding.index)}: </span>}
          <span class="finding-message">{findingText(finding.message)}</span>
        </li>
      ))}
    </ul>
  );
}
