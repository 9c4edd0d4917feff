import type { UnavailableCode, UnavailableSource } from '../../engine/unavailable';
import { rulesNotKnownYet } from '../../shared/verdict-kind';
import { t, type MessageKey } from './i18n';
import { ruleReferencesText, sourceText } from './rule-text';

const CODE_TEXT: Record<UnavailableCode, MessageKey> = {
  rejected: 'ui_unavailableRejected',
  'not-synced': 'ui_unavailableNotSynced',
  expired: 'ui_unavailableExpired',
  unreadable: 'ui_unavailableUnreadable',
};

/**
 * What is wrong with one source, in the pages' words, then the account of
 * whoever found it (rule numbers as the pages count them). `shownElsewhere`:
 * a message the page already shows (the sync status's error), left out here
 * so it is said once.
 */
export function unavailableReasonText(entry: Pick<UnavailableSource, 'code' | 'message'>, shownElsewhere: string | null = null): string {
  // Nothing has failed: the first sync is still under way.
  if (rulesNotKnownYet([entry])) return t('ui_unavailableNotSyncedYet');
  const reason = t(CODE_TEXT[entry.code]);
  return entry.message === '' || entry.message === shownElsewhere ? reason : `${reason}: ${ruleReferencesText(entry.message)}`;
}

/** Why the rules are unavailable: each configured source whose rules are not known, by name, and what is wrong with it. Nothing when the list is empty. */
export function UnavailableList({
  unavailable,
  profileName = null,
  shownElsewhere = null,
}: {
  unavailable: readonly UnavailableSource[] | undefined;
  profileName?: string | null;
  /** A message the page shows anyway (the sync status's error): not repeated here. */
  shownElsewhere?: string | null;
}) {
  if (!unavailable || unavailable.length === 0) return null;
  const pending = rulesNotKnownYet(unavailable);
  return (
    <div class={`unavailable decision-${pending ? 'pending' : 'unavailable'}`}>
      <p class="unavailable-intro">
        <strong>{t(pending ? 'ui_pendingIntro' : 'ui_unavailableIntro')}</strong>
      </p>
      <ul class="unavailable-sources">
        {unavailable.map((entry) => (
          <li key={`${entry.source}:${entry.code}`} data-unavailable-source={entry.source} data-code={entry.code}>
            <strong>{sourceText(entry.source, profileName)}</strong> — <span class="unavailable-message">{unavailableReasonText(entry, shownElsewhere)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
