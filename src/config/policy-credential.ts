import type { ManagedPolicy, PolicyIssue } from './managed-policy';
import { CREDENTIAL_BOUND_KEYS, CREDENTIAL_KEYS, DEFAULT_SETTINGS, type SettingKey } from './settings-schema';

/**
 * Whether the policy supplies a console credential: a user name, password or
 * token with a value. The user name counts too: it is half of the policy's
 * form login, and a local password must not complete it for another console.
 */
export function policySuppliesCredential(managed: ManagedPolicy): boolean {
  return CREDENTIAL_KEYS.some((key) => {
    const value = managed.values[key];
    return typeof value === 'string' && value !== '';
  });
}

/**
 * The values of the keys a policy credential is bound to: the policy's own, or
 * where it leaves one unset the fixed default ("" = no console, so the
 * credential goes nowhere; "" profile = the console's default), never the
 * local user's. A user must not be able to send the organisation's secret to a
 * console of their choosing, nor pick a more permissive profile with it.
 */
export function boundCredentialValues(managed: ManagedPolicy): Partial<Record<SettingKey, unknown>> {
  return Object.fromEntries(CREDENTIAL_BOUND_KEYS.map((key) => [key, managed.values[key] ?? DEFAULT_SETTINGS[key]]));
}

/** What an administrator should know about a policy credential that cannot be used as written. */
export function policyCredentialWarnings(managed: ManagedPolicy): PolicyIssue[] {
  const warnings: PolicyIssue[] = [];
  const { consoleUrl, authMode } = managed.values;
  if (consoleUrl === undefined || consoleUrl === '') {
    warnings.push({
      key: 'consoleUrl',
      message:
        'the policy supplies console credentials but no consoleUrl, so nothing is synced: credentials from policy are only ever sent to the console the policy names',
    });
  }
  if (authMode === undefined) {
    warnings.push({
      key: 'authMode',
      message: `the policy supplies console credentials but no authMode, so "${DEFAULT_SETTINGS.authMode}" is used and they are not sent; set authMode to "form" or "bearer"`,
    });
  }
  return warnings;
}
