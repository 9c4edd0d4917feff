import type { EffectiveSettings } from './merge-settings';
import type { SecretKey, Settings } from './settings-schema';

/** A secret as pages may see it: only whether one is set. */
export interface RedactedSecret {
  set: boolean;
}

export type RedactedSettings = Omit<Settings, SecretKey> & Record<SecretKey, RedactedSecret>;

export type RedactedEffectiveSettings = Omit<EffectiveSettings, 'values'> & { values: RedactedSettings };

/**
 * The copy of the settings that may leave the background (message replies,
 * the options page, logs): password and token become `{set: boolean}`.
 * Built field by field, so a secret added later cannot slip through a spread.
 */
export function redactSettings(settings: EffectiveSettings): RedactedEffectiveSettings {
  const { password, token, ...rest } = settings.values;
  return {
    ...settings,
    values: {
      ...structuredClone(rest),
      password: { set: password !== '' },
      token: { set: token !== '' },
    },
    origins: { ...settings.origins },
    policyErrors: settings.policyErrors.map((issue) => ({ ...issue })),
    policyWarnings: settings.policyWarnings.map((issue) => ({ ...issue })),
  };
}
