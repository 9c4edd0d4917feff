import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../common/i18n';
import { relativeTime } from '../common/time';
import { readKnownLocally, type KnownLocally, type LocalReader } from './known-locally';

/** How long a section waits for the background before the notice reads what the browser holds. */
export const KNOWN_AFTER_MS = 250;

/**
 * What this browser holds, read once, and only when a section has waited for
 * the background a moment (KNOWN_AFTER_MS): the read includes the local rules
 * (thousands, at most), which would otherwise travel beside the background's
 * answer on every opening of the page. Null until read, or without a reader.
 */
export function useKnownLocally(read: LocalReader | undefined, waiting: boolean): KnownLocally | null {
  const [known, setKnown] = useState<KnownLocally | null>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (!read || !waiting || asked.current) return;
    const timer = setTimeout(() => {
      asked.current = true;
      void readKnownLocally(read).then(setKnown);
    }, KNOWN_AFTER_MS);
    return () => clearTimeout(timer);
  }, [read, waiting]);
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
