import { useEffect, useState } from 'preact/hooks';
import { t } from '../common/i18n';
import { relativeTime } from '../common/time';
import { readKnownLocally, type KnownLocally, type LocalReader } from './known-locally';

/** What this browser holds, read once when the page opens (null until read, or without a reader). */
export function useKnownLocally(read: LocalReader | undefined): KnownLocally | null {
  const [known, setKnown] = useState<KnownLocally | null>(null);
  useEffect(() => {
    if (read) void readKnownLocally(read).then(setKnown);
  }, [read]);
  return known;
}

/**
 * Shown in a section while the background has not answered: at a browser's
 * start it waits for the browser to deliver the organisation's policy (seconds
 * on a fresh profile), and every answer depends on it. What the browser
 * already holds is shown meanwhile; the section replaces this when the
 * answer comes.
 */
export function StartingNotice({ known, now }: { known: KnownLocally | null; now: number }) {
  return (
    <div class="starting-notice" data-starting="">
      <p role="status">{t('options_starting')}</p>
      {known && (
        <>
          <h3>{t('options_knownHeading')}</h3>
          <ul>
            <li>{known.synced ? t('options_knownSynced', known.synced.profile, relativeTime(known.synced.at, now)) : t('options_knownNeverSynced')}</li>
            <li>{t('options_knownLocalRules', known.localRules)}</li>
          </ul>
        </>
      )}
    </div>
  );
}
