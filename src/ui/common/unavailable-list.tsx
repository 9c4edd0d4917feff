import type { UnavailableCode, UnavailableSource } from '../../engine/unavailable';
import { t, type MessageKey } from './i18n';
import { findingText, sourceText } from './rule-text';

const CODE_TEXT: Record<UnavailableCode, MessageKey> = {
  rejected: 'ui_unavailableRejected',
  'not-synced': 'ui_unavailableNotSynced',
  expired: 'ui_unavailableExpired',
  unreadable: 'ui_unavailableUnreadable',
};

/**
 * Why the rules are unavailable: each configured source whose rules are not
 * known, by name, what is wrong with it, and the background's account (rule
 * numbers as the pages count them). Nothing when the list is empty.
 */
export function UnavailableList({ unavailable }: { unavailable: readonly UnavailableSource[] | undefined }) {
  if (!unavailable || unavailable.length === 0) return null;
  return (
    <div class="unavailable decision-unavailable">
      <p class="unavailable-intro">
        <strong>{t('ui_unavailableIntro')}</strong>
      </p>
      <ul class="unavailable-sources">
        {unavailable.map((entry) => (
          <li key={`${entry.source}:${entry.code}`} data-unavailable-source={entry.source} data-code={entry.code}>
            <strong>{sourceText(entry.source, entry.label)}</strong> — {t(CODE_TEXT[entry.code])}:{' '}
            <span class="unavailable-message">{findingText(entry.message)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
