import { useState } from 'preact/hooks';
import type { SyncStatus } from '../../shared/status';
import type { Sender } from '../../shared/send';
import { errorText } from '../common/errors';
import { t } from '../common/i18n';
import { syncResultText, syncSummary } from '../common/sync-text';

/** One line of sync status, and "Sync now" when the user may trigger a sync. */
export function SyncLine({ sync, sender, onSynced, now }: { sync: SyncStatus; sender: Sender; onSynced: () => Promise<void>; now: () => number }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState('');
  const summary = syncSummary(sync, now());
  const syncNow = async () => {
    setBusy(true);
    setResult(t('ui_syncInProgressShort'));
    try {
      setResult(syncResultText(await sender({ type: 'syncNow' })));
      await onSynced();
    } catch (error) {
      setResult(t('ui_syncResultFailed', errorText(error)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="sync" aria-labelledby="sync-heading">
      <h2 id="sync-heading" class="visually-hidden">
        {t('ui_syncHeading')}
      </h2>
      <div class="sync-row">
        <p class="status-line" data-state={summary.state} aria-live="polite">
          {summary.text}
        </p>
        {sync.canSyncNow && (
          <button type="button" onClick={syncNow} disabled={busy || sync.inProgress}>
            {t('ui_syncNow')}
          </button>
        )}
      </div>
      <p role="status" class="sync-result">
        {result}
      </p>
    </section>
  );
}
