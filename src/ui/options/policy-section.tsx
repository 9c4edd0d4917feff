import type { SettingOrigin, SettingsView } from '../../shared/status';
import { t, type MessageKey } from '../common/i18n';
import { secretIsSet } from '../common/secret';

/** Settings in the order an admin reads a policy file; any other key the background reports follows. */
const KNOWN: readonly [string, MessageKey][] = [
  ['consoleUrl', 'policy_keyConsoleUrl'],
  ['authMode', 'policy_keyAuthMode'],
  ['username', 'policy_keyUsername'],
  ['password', 'policy_keyPassword'],
  ['token', 'policy_keyToken'],
  ['profileId', 'policy_keyProfileId'],
  ['syncIntervalMinutes', 'policy_keySyncInterval'],
  ['maxRuleAgeHours', 'policy_keyMaxRuleAge'],
  ['rules', 'policy_keyRules'],
  ['localRules', 'policy_keyLocalRules'],
  ['guard', 'policy_keyGuard'],
  ['certificateFilter', 'policy_keyCertificateFilter'],
];
const SECRETS = new Set(['password', 'token']);

const ORIGIN: Record<SettingOrigin, MessageKey> = {
  policy: 'policy_originPolicy',
  local: 'policy_originLocal',
  default: 'policy_originDefault',
};

/** A setting's value as text: secrets only as set or not, rule lists as a count. */
function valueText(key: string, value: unknown): string {
  if (SECRETS.has(key)) return secretIsSet(value) ? t('policy_secretSet') : t('policy_secretUnset');
  if (value === undefined || value === null || value === '') return t('policy_empty');
  if (key === 'rules' && Array.isArray(value)) return t('rules_count', value.length);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The effective settings, where each comes from, and every policy error. */
export function PolicySection({ settings }: { settings: SettingsView }) {
  const knownKeys = KNOWN.map(([key]) => key);
  const extra = [...new Set([...Object.keys(settings.values), ...Object.keys(settings.origins)])].filter((key) => !knownKeys.includes(key)).sort();
  const rows: [string, string][] = [...KNOWN.filter(([key]) => key in settings.values || key in settings.origins).map(([key, title]) => [key, t(title)] as [string, string]), ...extra.map((key) => [key, key] as [string, string])];
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
      <div class="table-scroll">
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
            {rows.map(([key, title]) => {
              const origin = settings.origins[key];
              return (
                <tr key={key} data-setting={key} data-origin={origin ?? ''}>
                  <th scope="row">
                    {title}
                    <div class="muted">
                      <code>{key}</code>
                    </div>
                  </th>
                  <td>
                    <code>{valueText(key, settings.values[key])}</code>
                  </td>
                  <td>{origin ? t(ORIGIN[origin]) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
