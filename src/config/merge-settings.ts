import type { ManagedPolicy, PolicyIssue } from './managed-policy';
import { boundCredentialValues, policyCredentialWarnings, policySuppliesCredential } from './policy-credential';
import { DEFAULT_SETTINGS, SETTING_KEYS, defaultLocalRules, type LocalSettings, type SettingKey, type SettingOrigin, type Settings } from './settings-schema';

/** The settings in force, where each value came from, and what the policy got wrong. */
export interface EffectiveSettings {
  values: Settings;
  origins: Record<SettingKey, SettingOrigin>;
  managedPresent: boolean;
  policyErrors: PolicyIssue[];
  policyWarnings: PolicyIssue[];
}

/**
 * Policy first, then local settings, then defaults, key by key. A managed key
 * is locked: a local value for it is ignored (and cannot be saved from the UI).
 * `localRules` defaults to `denyOnly` when any policy is present, else `all`.
 *
 * When the policy supplies a credential, the console URL, auth mode, profile
 * and the other credential keys are locked too, at the policy's value or a
 * fixed default (boundCredentialValues): the secret goes only to the policy's
 * console and fetches only the policy's profile.
 */
export function mergeSettings(managed: ManagedPolicy, local: LocalSettings): EffectiveSettings {
  const values: Record<string, unknown> = {};
  const origins = {} as Record<SettingKey, SettingOrigin>;
  for (const key of SETTING_KEYS) {
    const managedValue = managed.values[key];
    const localValue = (local as Partial<Record<SettingKey, unknown>>)[key];
    if (managedValue !== undefined) {
      values[key] = managedValue;
      origins[key] = 'policy';
    } else if (localValue !== undefined) {
      values[key] = localValue;
      origins[key] = 'local';
    } else {
      values[key] = key === 'localRules' ? defaultLocalRules(managed.present) : DEFAULT_SETTINGS[key];
      origins[key] = 'default';
    }
  }
  const credentialBound = policySuppliesCredential(managed);
  if (credentialBound) {
    for (const [key, value] of Object.entries(boundCredentialValues(managed))) {
      values[key] = value;
      origins[key as SettingKey] = 'policy';
    }
  }
  return {
    values: values as unknown as Settings,
    origins,
    managedPresent: managed.present,
    policyErrors: managed.errors,
    policyWarnings: credentialBound ? [...managed.warnings, ...policyCredentialWarnings(managed)] : managed.warnings,
  };
}

/** Keys the options page must show read-only. */
export function lockedKeys(settings: EffectiveSettings): SettingKey[] {
  return SETTING_KEYS.filter((key) => settings.origins[key] === 'policy');
}
