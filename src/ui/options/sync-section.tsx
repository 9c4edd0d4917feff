import { useState } from 'preact/hooks';
import { policyCredentialInForce } from '../../shared/credential-owner';
import type { GuardStatus, SettingsView, SyncStatus } from '../../shared/status';
import type { Sender } from '../../shared/send';
import { errorText } from '../common/errors';
import { Icon } from '../common/icon';
import { t } from '../common/i18n';
import { syncResultText, syncSummary } from '../common/sync-text';
import { absoluteTime } from '../common/time';
import { SyncSettingsForm } from './sync-settings-form';

export interface StatusView {
  sync: SyncStatus;
  settings: SettingsView;
  guard: GuardStatus;
}

/** Sync: status, the last 20 attempts, "Sync now", and the console settings when policy does not set them. */
export function SyncSection({ status, sender, reload, now }: { status: StatusView; sender: Sender; reload: () => Promise<void>; now: () => number }) {
  const { sync, settings } = status;
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const summary = syncSummary(sync, now());
  const syncNow = async () => {
    setBusy(true);
    setResult(t('ui_syncInProgressShort'));
    try {
      setResult(syncResultText(await sender({ type: 'syncNow' })));
    } catch (error) {
      setResult(t('ui_syncResultFailed', errorText(error)));
    } finally {
      setBusy(false);
      await reload();
    }
  };
  const managedConsole = settings.origins.consoleUrl === 'policy';
  return (
    <>
      <h3>{t('sync_statusHeading')}</h3>
      <p class="status-line" data-state={summary.state} aria-live="polite">
        {summary.text}
      </p>
      <dl class="rule-summary">
        <div>
          <dt>{t('sync_lastAttempt')}</dt>
          <dd>{sync.lastAttemptAt === null ? t('sync_never') : absoluteTime(sync.lastAttemptAt)}</dd>
        </div>
        <div>
          <dt>{t('sync_lastSuccess')}</dt>
          <dd>{sync.lastSuccessAt === null ? t('sync_never') : absoluteTime(sync.lastSuccessAt)}</dd>
        </div>
        <div>
          <dt>{t('sync_nextSync')}</dt>
          <dd>{sync.nextSyncAt === null ? t('sync_notScheduled') : absoluteTime(sync.nextSyncAt)}</dd>
        </div>
        {sync.stamp !== null && (
          <div>
            <dt>{t('sync_stamp')}</dt>
            <dd>
              <code>{sync.stamp}</code>
            </dd>
          </div>
        )}
      </dl>
      <div class="button-row">
        {sync.canSyncNow && (
          <button type="button" class="primary" onClick={syncNow} disabled={busy || sync.inProgress}>
            {t('ui_syncNow')}
          </button>
        )}
        <p role="status">{result}</p>
      </div>
      <SyncHistory history={sync.history} />
      {managedConsole ? <PolicyConsole settings={settings} /> : <SyncSettingsForm settings={settings} sender={sender} onSaved={() => void reload()} />}
    </>
  );
}

/** The console as policy sets it, read-only, and why: a sign-in from policy fixes the console and the profile too. */
function PolicyConsole({ settings }: { settings: SettingsView }) {
  const url = settings.values.consoleUrl;
  const credential = policyCredentialInForce(settings);
  const profile = settings.values.profileId;
  return (
    <div class="policy-console" data-policy-credential={credential ? 'true' : 'false'}>
      <p class="lock-reason">
        <Icon name="lock" /> {credential && url === '' ? t('sync_policyCredentialsNoConsole') : t('sync_managed', url)}
      </p>
      {credential && url !== '' && <p class="lock-reason">{t('sync_policyCredentials')}</p>}
      {settings.origins.profileId === 'policy' && url !== '' && (
        <p class="lock-reason">
          <Icon name="lock" /> {t('sync_policyProfile', profile === '' ? t('sync_profileDefault') : profile)}
        </p>
      )}
    </div>
  );
}

function SyncHistory({ history }: { history: SyncStatus['history'] }) {
  return (
    <>
      <h3 id="sync-history-heading">{t('sync_historyHeading', history.length)}</h3>
      {history.length === 0 ? (
        <p class="muted">{t('sync_historyEmpty')}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="sync-history-heading">
          <table class="sync-history" aria-labelledby="sync-history-heading">
            <thead>
              <tr>
                <th scope="col">{t('sync_historyTime')}</th>
                <th scope="col">{t('sync_historyResult')}</th>
                <th scope="col">{t('sync_historyError')}</th>
              </tr>
            </thead>
            <tbody>
              {[...history]
                .sort((a, b) => b.at - a.at)
                .map((attempt, position) => (
                  <tr key={position} data-ok={attempt.ok ? 'true' : 'false'}>
                    <td>{absoluteTime(attempt.at)}</td>
                    <td class={attempt.ok ? 'kind-allowed' : 'kind-excluded'}>
                      {attempt.ok ? (attempt.changed ? t('sync_resultChanged') : t('sync_resultUnchanged')) : t('sync_resultFailed')}
                    </td>
                    <td data-code={attempt.error?.code}>{attempt.error?.message}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
