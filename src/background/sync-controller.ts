import type { EffectiveSettings } from '../config/index';
import { STORAGE_KEYS } from '../shared/storage-keys';
import { alarmSyncsNow, createSyncRunner, sessionWorthTrying, syncAlarmAt, type SyncOutcome, type SyncRunner, type SyncState } from '../sync/index';
import { bestEffort } from './best-effort';
import type { LocalArea } from './platform';
import { REVISION_KEYS, SYNC_CONFIG_KEY } from './wake-up/index';
import { revisionOf, syncConfigOf } from './sync-config';
import { backgroundConsoleClient, failingClient, SYNC_ALARM, summaryOf, syncSettingsOf, type AlarmsApi } from './sync-service';

export interface SyncDeps {
  /** storage.local (in the background, through the write queue). */
  area: LocalArea;
  alarms: AlarmsApi;
  settings: () => EffectiveSettings;
  /** The stored sync summary (for scheduling the next sync, and whether a console session may still be held). */
  summary: () => SyncState | null;
  /** Brings the rules in line with what a sync stored. */
  reload: () => Promise<void>;
}

/**
 * The background's sync: when it runs (on demand, on its alarm, at install and
 * start, when the console, the sign-in or the profile changed) and how, through
 * the sync engine (single-flight, last-known-good, one storage write per run).
 * The state lives in storage.local under `syncState`.
 */
export class SyncController {
  readonly runner: SyncRunner;
  readonly #deps: SyncDeps;
  /** The SYNC_CONFIG_KEY value as last read or written. */
  #configStored: unknown = undefined;
  /** A storage change showed a new password or token that no stored sync config counts yet. */
  #secretsChanged = false;

  constructor(deps: SyncDeps) {
    this.#deps = deps;
    this.runner = createSyncRunner(() => {
      const current = deps.settings();
      let client;
      try {
        client = backgroundConsoleClient(current, sessionWorthTrying(deps.summary(), Date.now()));
      } catch (error) {
        client = failingClient(error);
      }
      return {
        client,
        storage: {
          read: async () => (await deps.area.get(STORAGE_KEYS.syncState))[STORAGE_KEYS.syncState],
          // One set call: the state, its rule-less summary and a new revision land together or not at all.
          write: async (state: SyncState) =>
            deps.area.set({
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
    return this.#deps.settings().values.consoleUrl !== '';
  }

  /** Runs a sync now (or joins the running one) and schedules the next; the rules follow through the storage change. */
  async run(): Promise<SyncOutcome> {
    const outcome = await this.runner.sync();
    await this.schedule(outcome.state);
    return outcome;
  }

  /** Runs a sync now; then the rules follow what it stored. */
  async syncNow(): Promise<SyncOutcome> {
    const outcome = await this.run();
    await this.#deps.reload();
    return outcome;
  }

  /** Sets the alarm for the next sync (syncAlarmAt), or clears it when no console is configured. */
  async schedule(state: SyncState | null): Promise<void> {
    const alarms = this.#deps.alarms;
    if (!this.configured()) {
      await alarms.clear(SYNC_ALARM);
      return;
    }
    await alarms.create(SYNC_ALARM, { when: syncAlarmAt(state, syncSettingsOf(this.#deps.settings()), Math.random, Date.now()) });
  }

  async nextAlarmAt(): Promise<number | null> {
    const alarm = await this.#deps.alarms.get(SYNC_ALARM);
    return alarm ? alarm.scheduledTime : null;
  }

  /** What storage says the last sync was started for (read with the wake-up's other small keys). */
  restore(stored: Record<string, unknown>): void {
    this.#configStored = stored[SYNC_CONFIG_KEY];
  }

  /** Counted by the next followConfig: called in the turn of the reload that reads the new secret. */
  noteSecretsChanged(): void {
    this.#secretsChanged = true;
  }

  /** The sync alarm, due at scheduledTime: syncs, or when it fires late is set again like a start (alarmSyncsNow). */
  async onAlarm(scheduledTime: number): Promise<void> {
    if (!this.configured()) return;
    if (alarmSyncsNow(scheduledTime, Date.now())) await this.syncNow();
    else await this.schedule(this.#deps.summary());
  }

  /** Install, update or browser start: no sync of its own, the alarm as the schedule says (a running sync sets it when it ends). */
  async onStartOrInstall(): Promise<void> {
    if (!this.runner.running) await this.schedule(this.#deps.summary());
  }

  /**
   * A changed console address, sign-in, or profile means the rules held may be
   * the wrong ones: sync now. What the last sync was started for is stored
   * (sync-config.ts: nothing secret), so a change made while the worker slept
   * is noticed when it wakes.
   */
  async followConfig(starting: boolean): Promise<void> {
    // Read with the other small keys (RulesInForce): no storage round trip of its own on the wake-up path.
    const stored = this.#configStored;
    const next = syncConfigOf(this.#deps.settings().values, revisionOf(stored) + (this.#secretsChanged ? 1 : 0));
    this.#secretsChanged = false;
    if (stored === next) {
      // Not awaited: it only makes sure the next sync is scheduled, which no request waits for.
      if (starting && next !== '') void bestEffort('sync alarm', this.#ensureAlarm());
      return;
    }
    this.#configStored = next;
    await bestEffort('sync config write', this.#deps.area.set({ [SYNC_CONFIG_KEY]: next }));
    if (next === '') {
      await this.schedule(null);
      return;
    }
    // Not awaited: a sync may take up to the request time limit; its storage write triggers a reload.
    void bestEffort('sync for a new config', this.run());
  }

  async #ensureAlarm(): Promise<void> {
    if (!(await this.nextAlarmAt())) await this.schedule(this.#deps.summary());
  }
}
