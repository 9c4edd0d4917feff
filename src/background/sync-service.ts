import { createConsoleClient, ConsoleError, type ConsoleAuth, type ConsoleClient } from '../console/index';
import type { EffectiveSettings } from '../config/index';
import { credentialBoundToConsole } from '../shared/credential-owner';
import { syncSettings, SyncStateSchema, type SyncSettings, type SyncState } from '../sync/index';
import { maxAgeMinutes } from './rule-sources';

export const SYNC_ALARM = 'sync';

export interface AlarmsApi {
  create(name: string, info: { when: number }): void | Promise<void>;
  get(name: string): Promise<{ scheduledTime: number } | undefined>;
  clear(name: string): Promise<boolean>;
}

export function consoleAuth(settings: EffectiveSettings): ConsoleAuth {
  const values = settings.values;
  if (values.authMode === 'form') return { kind: 'form', username: values.username, password: values.password };
  if (values.authMode === 'bearer') return { kind: 'bearer', token: values.token };
  return { kind: 'browserSession' };
}

/**
 * The console client the background uses: the browser's fetch and cookie jar
 * (`credentials: "include"`), so a form login's session cookie, or a session
 * the user already has, is the browser's own. Secrets stay in this worker.
 */
export function backgroundConsoleClient(settings: EffectiveSettings, reuseSession = false): ConsoleClient {
  if (settings.values.consoleUrl === '') throw new ConsoleError('config', 'no management console is configured');
  if (!credentialBoundToConsole(settings)) {
    throw new ConsoleError('config', "the console credentials come from your organisation's policy and are only sent to the console the policy names");
  }
  return createConsoleClient({
    fetch: (input, init) => fetch(input, init),
    baseUrl: settings.values.consoleUrl,
    cookies: { kind: 'browser' },
    auth: consoleAuth(settings),
    reuseSession,
  });
}

export function syncSettingsOf(settings: EffectiveSettings): SyncSettings {
  return syncSettings({
    intervalMinutes: settings.values.syncIntervalMinutes,
    maxRuleAgeMinutes: maxAgeMinutes(settings),
    profileId: settings.values.profileId === '' ? null : settings.values.profileId,
  });
}

/** The sync state without the profile's rules: small enough to read at every wake-up. */
export function summaryOf(state: SyncState): SyncState {
  return state.lastGood ? { ...state, lastGood: { ...state.lastGood, rules: [] } } : state;
}

/** A client that fails every call with the reason it could not be made (bad settings). */
export function failingClient(error: unknown) {
  const fail = async (): Promise<never> => {
    throw error;
  };
  return { getDefaultProfileId: fail, getProfile: fail };
}

/** The stored sync state, validated; null when it is not one. */
export function parseSyncState(raw: unknown): SyncState | null {
  const parsed = SyncStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
