import { SYNC_INTERVAL_MINUTES } from '../config/settings-schema';
import { lazySchema, z } from '../lib/zod';

/** What a deployment may configure about syncing (managed policy or local settings). */
export const SyncSettingsSchema = lazySchema(() =>
  z.object({
    /** Minutes between successful syncs; clamped to the setting's range (SYNC_INTERVAL_MINUTES). */
    intervalMinutes: z._default(z.number(), SYNC_INTERVAL_MINUTES.default),
    /** Rules not confirmed by the console for longer than this stop being used. null or 0: off. */
    maxRuleAgeMinutes: z._default(z.nullable(z.number().check(z.nonnegative())), null),
    /** The profile to sync; null means the console's default profile. */
    profileId: z._default(z.nullable(z.string().check(z.minLength(1))), null),
  }),
);
export type SyncSettings = z.infer<typeof SyncSettingsSchema>;
export type SyncSettingsInput = z.input<typeof SyncSettingsSchema>;

export function syncSettings(input: SyncSettingsInput = {}): SyncSettings {
  return SyncSettingsSchema.parse(input);
}

/** The interval in ms, clamped to the setting's range, whoever built the settings: the console is never polled more often. */
export function syncIntervalMs(settings: Pick<SyncSettings, 'intervalMinutes'>): number {
  const { default: fallback, min, max } = SYNC_INTERVAL_MINUTES;
  const minutes = Number.isFinite(settings.intervalMinutes) ? settings.intervalMinutes : fallback;
  return Math.min(max, Math.max(min, minutes)) * 60_000;
}

/** The maximum rule age in ms, or null when the check is off. */
export function maxRuleAgeMs(settings: Partial<Pick<SyncSettings, 'maxRuleAgeMinutes'>>): number | null {
  const minutes = settings.maxRuleAgeMinutes ?? null;
  return minutes === null || !Number.isFinite(minutes) || minutes <= 0 ? null : minutes * 60_000;
}
