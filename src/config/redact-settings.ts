import { lazySchema, z } from '../lib/zod';
import type { EffectiveSettings } from './merge-settings';
import { PolicyIssueSchema, SETTING_KEYS, SettingOriginSchema, SettingsSchema, type SettingKey } from './settings-schema';

/** A secret as pages may see it: only whether one is set. */
export const RedactedSecretSchema = lazySchema(() => z.object({ set: z.boolean() }));
export type RedactedSecret = z.infer<typeof RedactedSecretSchema>;

/** The settings with each secret (SECRET_KEYS) replaced by whether it is set. */
export const RedactedSettingsSchema = lazySchema(() =>
  z.extend(z.omit(SettingsSchema, { password: true, token: true }), { password: RedactedSecretSchema, token: RedactedSecretSchema }),
);
export type RedactedSettings = z.infer<typeof RedactedSettingsSchema>;

/** The effective settings as they may leave the background: what the options page shows. */
export const RedactedEffectiveSettingsSchema = lazySchema(() =>
  z.object({
    values: RedactedSettingsSchema,
    origins: z.record(z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]]), SettingOriginSchema),
    managedPresent: z.boolean(),
    policyErrors: z.array(PolicyIssueSchema),
    policyWarnings: z.array(PolicyIssueSchema),
  }),
);
export type RedactedEffectiveSettings = z.infer<typeof RedactedEffectiveSettingsSchema>;

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
