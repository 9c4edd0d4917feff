import { SECRET_KEYS, SETTING_KEYS, type SecretKey, type SettingKey } from '../../config/settings-schema';
import type { RedactedSettings } from '../../config/redact-settings';
import { policyCredentialInForce } from '../../shared/credential-owner';
import type { NetworkPredictionView } from '../../shared/network-prediction';
import type { GuardStatus, SettingOrigin, SettingsView } from '../../shared/status';
import { t, type MessageKey } from '../common/i18n';
import { ruleReferenceText, sourceText } from '../common/rule-text';

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
export function PolicySection({ settings, guard, prediction }: { settings: SettingsView; guard: GuardStatus; prediction: NetworkPredictionView | null }) {
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
      <GuardView guard={guard} prediction={prediction} />
    </>
  );
}

const GUARD_MODE: Record<GuardStatus['mode'], MessageKey> = {
  off: 'policy_guardOff',
  warn: 'policy_guardWarn',
  block: 'policy_guardBlock',
};

/** What the guard enforces right now, and which deny rules it could not turn into browser rules. */
function GuardView({ guard, prediction }: { guard: GuardStatus; prediction: NetworkPredictionView | null }) {
  return (
    <section aria-labelledby="guard-heading" data-guard={guard.mode}>
      <h3 id="guard-heading">{t('policy_guardHeading')}</h3>
      <p>{t(GUARD_MODE[guard.mode])}</p>
      {guard.mode !== 'off' && (
        <p>{guard.applied ? t('policy_guardApplied', guard.denyRulesCovered, guard.denyRulesTotal, guard.browserRules) : t('policy_guardNotApplied')}</p>
      )}
      {guard.error && <p class="error-text">{t('policy_guardError', guard.error)}</p>}
      {guard.mode !== 'off' && prediction && <PredictionLine prediction={prediction} />}
      {guard.notFitted.length > 0 && (
        <>
          <p>{t('policy_guardNotFitted', guard.notFitted.length)}</p>
          <ul class="findings">
            {guard.notFitted.map((gap, position) => (
              <li key={position} class="finding finding-warning">
                {sourceText(gap.source)}, {ruleReferenceText(gap.index)}: <code>{gap.host}</code> <code>{gap.port}</code> {gap.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {guard.bypassed.length > 0 && (
        <>
          <p>{t('policy_guardBypassed', guard.bypassed.length)}</p>
          <ul>
            {guard.bypassed.map((host) => (
              <li key={host}>
                <code>{host}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Whether the browser may still connect to an excluded site ahead of a navigation (network-prediction.ts says why it matters). */
function PredictionLine({ prediction }: { prediction: NetworkPredictionView }) {
  if (prediction.error) return <p class="error-text">{t('policy_guardPredictionUnknown', prediction.error)}</p>;
  if (prediction.enabled === true) return <p class="error-text">{t('policy_guardPredictionOn')}</p>;
  if (prediction.enabled === false)
    return <p>{t(prediction.levelOfControl === 'controlled_by_this_extension' ? 'policy_guardPredictionOff' : 'policy_guardPredictionOffElsewhere')}</p>;
  return null;
}
