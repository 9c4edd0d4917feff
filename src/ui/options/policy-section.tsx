import { policyCredentialInForce } from '../../shared/credential-owner';
import type { GuardStatus, SettingOrigin, SettingsView } from '../../shared/status';
import { t, type MessageKey } from '../common/i18n';
import { ruleReferenceText, sourceText } from '../common/rule-text';
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
  ['allowProfileAdmin', 'policy_keyAllowProfileAdmin'],
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
  if (key === 'rules' && typeof value === 'object') {
    // src/config's parsed form: {status: 'rules', rules} or {status: 'rejected', message}.
    const managed = value as { status?: unknown; rules?: unknown; message?: unknown };
    if (managed.status === 'rules' && Array.isArray(managed.rules)) return t('rules_count', managed.rules.length);
    if (managed.status === 'rejected') return t('policy_rulesRejected', String(managed.message ?? ''));
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The effective settings, where each comes from, and every policy error. */
export function PolicySection({ settings, guard }: { settings: SettingsView; guard: GuardStatus }) {
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
      {policyCredentialInForce(settings) && (
        <p class="lock-reason" data-reason="policy-credential">
          {t('policy_credentialBound')}
        </p>
      )}
      <GuardView guard={guard} />
    </>
  );
}

const GUARD_MODE: Record<GuardStatus['mode'], MessageKey> = {
  off: 'policy_guardOff',
  warn: 'policy_guardWarn',
  block: 'policy_guardBlock',
};

/** What the guard enforces right now, and which deny rules it could not turn into browser rules. */
function GuardView({ guard }: { guard: GuardStatus }) {
  return (
    <section aria-labelledby="guard-heading" data-guard={guard.mode}>
      <h3 id="guard-heading">{t('policy_guardHeading')}</h3>
      <p>{t(GUARD_MODE[guard.mode])}</p>
      {guard.mode !== 'off' && (
        <p>
          {guard.applied ? t('policy_guardApplied', guard.denyRulesCovered, guard.denyRulesTotal, guard.browserRules) : t('policy_guardNotApplied')}
        </p>
      )}
      {guard.error && <p class="error-text">{t('policy_guardError', guard.error)}</p>}
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
