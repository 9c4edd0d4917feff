import { lazySchema, z } from '../engine/zod';

export const DEFAULT_INTERVAL_MINUTES = 180;
export const MIN_INTERVAL_MINUTES = 30;
export const MAX_INTERVAL_MINUTES = 1440;

/** What a deployment may configure about syncing (managed policy or local settings). */
export const SyncSettingsSchema = lazySchema(() =>
  z.object({
    /** Minutes between successful syncs; clamped to 30–1440. */
    intervalMinutes: z._default(z.number(), DEFAULT_INTERVAL_MINUTES),
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

/** The interval in ms, clamped: a console is never polled more often than every 30 min nor less than daily. */
export function syncIntervalMs(settings: Pick<SyncSettings, 'intervalMinutes'>): number {
  const minutes = Number.isFinite(settings.intervalMinutes) ? settings.intervalMinutes : DEFAULT_INTERVAL_MINUTES;
  return Math.min(MAX_INTERVAL_MINUTES, Math.max(MIN_INTERVAL_MINUTES, minutes)) * 60_000;
}

/** The maximum rule age in ms, or null when the check is off. */
export function maxRuleAgeMs(settings: Pick<SyncSettings, 'maxRuleAgeMinutes'>): number | null {
  const minutes = settings.maxRuleAgeMinutes;
  return minutes === null || !Number.isFinite(minutes) || minutes <= 0 ? null : minutes * 60_000;
}
