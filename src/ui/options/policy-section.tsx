import { SECRET_KEYS, SETTING_KEYS, type SecretKey, type SettingKey } from '../../config/settings-schema';
import type { RedactedSettings } from '../../config/redact-settings';
import { policyCredentialInForce } from '../../shared/credential-owner';
import type { NetworkPredictionView } from '../../shared/network-prediction';
import type { GuardStatus, SettingOrigin, SettingsView } from '../../shared/status';
import type { Sender } from '../../shared/send';
import { t, type MessageKey } from '../common/i18n';
import { GuardView } from './guard-view';

/** The title of every setting; the rows follow config's key order, the order an admin reads a policy file. */
const TITLE: Record<SettingKey, MessageKey> = {
  consoleUrl: 'policy_keyConsoleUrl',
  authMode: 'policy_keyAuthMode',
  username: 'policy_keyUsername',
  password: 'policy_keyPassword',
  token: 'policy_keyToken',
  profileId: 'policy_keyProfileId',
  syncIntervalMinutes: 'policy_keySyncInterval',
  maxRuleAgeHours: 'policy_keyMaxRuleAge',
  rules: 'policy_keyRules',
  localRules: 'policy_keyLocalRules',
  guard: 'policy_keyGuard',
  certificateFilter: 'policy_keyCertificateFilter',
  allowProfileAdmin: 'policy_keyAllowProfileAdmin',
};

const ORIGIN: Record<SettingOrigin, MessageKey> = {
  policy: 'policy_originPolicy',
  local: 'policy_originLocal',
  default: 'policy_originDefault',
};

const isSecretKey = (key: SettingKey): key is SecretKey => (SECRET_KEYS as readonly SettingKey[]).includes(key);

/** A setting's value as text: secrets only as set or not, rule lists as a count. */
function valueText(key: SettingKey, values: RedactedSettings): string {
  if (isSecretKey(key)) return values[key].set ? t('policy_secretSet') : t('policy_secretUnset');
  if (key === 'rules' && values.rules !== null) {
    const managed = values.rules;
    return managed.status === 'rules' ? t('rules_count', managed.rules.length) : t('policy_rulesRejected', managed.message);
  }
  const value = values[key];
  if (value === null || value === '') return t('policy_empty');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The effective settings, where each comes from, and every policy error. */
export function PolicySection({
  settings,
  guard,
  prediction,
  sender,
  onChanged,
}: {
  settings: SettingsView;
  guard: GuardStatus;
  prediction: NetworkPredictionView | null;
  sender: Sender;
  /** Something changed here (an exception removed): the page asks the background again. */
  onChanged: () => unknown;
}) {
  return (
    <>
      <p>{settings.managedPresent ? t('policy_managedPresent') : t('policy_managedAbsent')}</p>
      {settings.policyErrors.length > 0 && (
        <div role="alert">
          <h3>{t('policy_errors', settings.policyErrors.length)}</h3>
          <ul class="findings">
            {settings.policyErrors.map((error, position) => (
              <li key={position} class="finding finding-error">
                <span class="finding-severity">{t('ui_findingError')}</span> <code>{error.key}</code>: {error.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {settings.policyWarnings.length > 0 && (
        <>
          <h3>{t('policy_warnings', settings.policyWarnings.length)}</h3>
          <ul class="findings">
            {settings.policyWarnings.map((warning, position) => (
              <li key={position} class="finding finding-warning">
                <span class="finding-severity">{t('ui_findingWarning')}</span> <code>{warning.key}</code>: {warning.message}
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="table-scroll" tabIndex={0} role="region" aria-label={t('policy_caption')}>
        <table class="settings-table">
          <caption class="visually-hidden">{t('policy_caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('policy_setting')}</th>
              <th scope="col">{t('policy_value')}</th>
              <th scope="col">{t('policy_origin')}</th>
            </tr>
          </thead>
          <tbody>
            {SETTING_KEYS.map((key) => {
              const origin = settings.origins[key];
              return (
                <tr key={key} data-setting={key} data-origin={origin}>
                  <th scope="row">
                    {t(TITLE[key])}
                    <div class="muted">
                      <code>{key}</code>
                    </div>
                  </th>
                  <td>
                    <code>{valueText(key, settings.values)}</code>
                  </td>
                  <td>{t(ORIGIN[origin])}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {policyCredentialInForce(settings) && (
        <p class="lock-reason" data-reason="policy-credential">
          {t('policy_credentialBound')}
        </p>
      )}
      <GuardView guard={guard} origin={settings.origins.guard} prediction={prediction} sender={sender} onChanged={onChanged} />
    </>
  );
}
