import { CREDENTIAL_KEYS } from '../config/settings-schema';

/**
 * Whose console credentials are in force, from the settings as the background
 * holds them (secrets as strings) or as pages see them (secrets as `{set}`).
 * One answer for both: the background refuses what the options page hides.
 */

/** The settings these questions read: each key's value and where it came from. */
export interface CredentialSettings {
  values: object;
  origins: object;
}

function hasValue(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  // A redacted secret: {set: boolean}.
  return typeof value === 'object' && value !== null && (value as { set?: unknown }).set === true;
}

const valueOf = (settings: CredentialSettings, key: string): unknown => (settings.values as Record<string, unknown>)[key];
const originOf = (settings: CredentialSettings, key: string): unknown => (settings.origins as Record<string, unknown>)[key];

/** Whether any part of the console credential in force (user name, password, token) comes from policy. */
export function policyCredentialInForce(settings: CredentialSettings): boolean {
  return CREDENTIAL_KEYS.some((key) => originOf(settings, key) === 'policy' && hasValue(valueOf(settings, key)));
}

/**
 * Whether the console calls run with the user's own credentials: the user's
 * browser session, or a sign-in entered on this computer (or none, which no
 * console call gets past). Only a credential from policy is not the user's.
 */
export function usesOwnCredentials(settings: CredentialSettings): boolean {
  return valueOf(settings, 'authMode') === 'browserSession' || !policyCredentialInForce(settings);
}

/**
 * Profile administration (and listing the profiles) runs with the user's own
 * credentials, or with the policy's when the policy says `allowProfileAdmin`.
 * A service account from policy must not let every user see every profile
 * and pick, or change, a more permissive one.
 */
export function profileAdminAllowed(settings: CredentialSettings): boolean {
  return valueOf(settings, 'allowProfileAdmin') === true || usesOwnCredentials(settings);
}

/**
 * Whether a console call may carry this credential to this console: a
 * credential from policy only to the console URL from policy. A second check,
 * at the point of use, of what mergeSettings already arranges.
 */
export function credentialBoundToConsole(settings: CredentialSettings): boolean {
  const mode = valueOf(settings, 'authMode');
  const sent = mode === 'form' ? ['username', 'password'] : mode === 'bearer' ? ['token'] : [];
  const fromPolicy = sent.some((key) => originOf(settings, key) === 'policy' && hasValue(valueOf(settings, key)));
  return !fromPolicy || originOf(settings, 'consoleUrl') === 'policy';
}
