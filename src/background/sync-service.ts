import { createConsoleClient, ConsoleError, type ConsoleAuth, type ConsoleClient } from '../console/index';
import type { EffectiveSettings } from '../config/index';
import { credentialBoundToConsole } from '../shared/credential-owner';
import { STORAGE_KEYS } from '../shared/storage-keys';
import {
  createSyncRunner,
  nextSyncAt,
  syncSettings,
  SyncStateSchema,
  type SyncOutcome,
  type SyncRunner,
  type SyncSettings,
  type SyncState,
} from '../sync/index';
import type { LocalArea } from './platform';
import { maxAgeMinutes } from './rule-sources';
import { REVISION_KEYS } from './rules-cache';

export const SYNC_ALARM = 'sync';
/** Chrome does not fire alarms sooner than 30 s after they are set. */
const MIN_ALARM_DELAY_MS = 30_000;

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
export function backgroundConsoleClient(settings: EffectiveSettings): ConsoleClient {
  if (settings.values.consoleUrl === '') throw new ConsoleError('config', 'no management console is configured');
  if (!credentialBoundToConsole(settings)) {
    throw new ConsoleError('config', "the console credentials come from your organisation's policy and are only sent to the console the policy names");
  }
  return createConsoleClient({
    fetch: (input, init) => fetch(input, init),
    baseUrl: settings.values.consoleUrl,
    cookies: { kind: 'browser' },
    auth: consoleAuth(settings),
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
function failingClient(error: unknown) {
  const fail = async (): Promise<never> => {
    throw error;
  };
  return { getDefaultProfileId: fail, getProfile: fail };
}

/**
 * Sync on an alarm, at install and start-up, and on demand, through the sync
 * engine (single-flight, last-known-good, one storage write per run). The
 * state lives in storage.local under `syncState`.
 */
export class SyncService {
  readonly runner: SyncRunner;

  constructor(
    private readonly local: LocalArea,
    private readonly alarms: AlarmsApi,
    private readonly settings: () => EffectiveSettings,
  ) {
    this.runner = createSyncRunner(() => {
      const current = this.settings();
      let client;
      try {
        client = backgroundConsoleClient(current);
      } catch (error) {
        client = failingClient(error);
      }
      return {
        client,
        storage: {
          read: async () => (await this.local.get(STORAGE_KEYS.syncState))[STORAGE_KEYS.syncState],
          // One set call: the state, its rule-less summary and a new revision land together or not at all.
          write: async (state: SyncState) =>
            this.local.set({
              [STORAGE_KEYS.syncState]: state,
              [STORAGE_KEYS.syncSummary]: summaryOf(state),
              [REVISION_KEYS.sync]: `${Date.now()}.${Math.random().toString(36).slice(2)}`,
            }),
        },
        clock: { now: () => Date.now() },
        settings: syncSettingsOf(current),
        random: Math.random,
        // storage.local belongs to this extension alone: an unreadable state is started afresh.
        onUnreadableState: 'reset' as const,
      };
    });
  }

  configured(): boolean {
    return this.settings().values.consoleUrl !== '';
  }

  /** Runs a sync now (or joins the running one), then schedules the next. */
  async syncNow(): Promise<SyncOutcome> {
    const outcome = await this.runner.sync();
    await this.schedule(outcome.state);
    return outcome;
  }

  /** Sets the alarm for the next sync, or clears it when no console is configured. */
  async schedule(state: SyncState | null): Promise<void> {
    if (!this.configured()) {
      await this.alarms.clear(SYNC_ALARM);
      return;
    }
    const now = Date.now();
    const due = state ? nextSyncAt(state, syncSettingsOf(this.settings()), Math.random, now) : now;
    await this.alarms.create(SYNC_ALARM, { when: Math.max(due, now + MIN_ALARM_DELAY_MS) });
  }

  async nextAlarmAt(): Promise<number | null> {
    const alarm = await this.alarms.get(SYNC_ALARM);
    return alarm ? alarm.scheduledTime : null;
  }

  parseState(raw: unknown): SyncState | null {
    const parsed = SyncStateSchema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  }
}
