import type { EffectiveSettings } from '../config/index';
import { STORAGE_KEYS } from '../shared/storage-keys';
import { rulesNotKnownYet } from '../shared/verdict-kind';
import { bestEffort } from './best-effort';
import { GuardController } from './guard-controller';
import { browser, dnrApi, guardPageBase, localArea, predictionSetting, sessionArea } from './platform';
import { EXPIRY_ALARM, RulesInForce } from './rules-in-force';
import { changesSecrets } from './sync-config';
import { SyncController } from './sync-controller';
import { parseSyncState, SYNC_ALARM } from './sync-service';
import { TabStore } from './tab-store';
import { TabTracker } from './tab-tracker';
import { GUARD_STATE_KEY, takeEarlyReads } from './wake-up/index';
import { queuedArea } from './write-queue';

/** Chrome may deliver the managed policy a moment after the first start: read again after these delays. */
const MANAGED_REREAD_MS = [1_500, 5_000, 15_000];

/** storage.local keys whose change means the rules or settings may have changed. */
const WATCHED_KEYS: readonly string[] = [STORAGE_KEYS.syncState, STORAGE_KEYS.localSettings, STORAGE_KEYS.localRules, STORAGE_KEYS.managedLastGood];

/** The background's parts, wired: each has one job; `ready` is the one readiness promise every listener waits for. */
export interface BackgroundParts {
  readonly ready: Promise<void>;
  /**
   * Ready, and every reload asked for so far applied: what each request waits
   * for. A page asks again when it sees storage change, the same change that
   * starts a reload here; its answer must show the change.
   */
  settled(): Promise<unknown>;
  readonly rules: RulesInForce;
  readonly guard: GuardController;
  readonly sync: SyncController;
  readonly tabs: TabTracker;
  /** Every storage.local write of the background goes through this queue (write-queue.ts). */
  readonly area: ReturnType<typeof queuedArea>;
  onAlarm(name: string, scheduledTime?: number): Promise<void>;
  onStorageChanged(changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string): Promise<void>;
  /** Install, update or browser start: take in the tabs already open; sync only when due (SyncController.onStartOrInstall). */
  onStartOrInstall(): Promise<void>;
}

/**
 * Builds the background from its parts: the rules in force (settings, rules,
 * their cache), the guard, the sync, the tabs. Everything lives in storage, so
 * this can run from scratch at any wake-up.
 */
export function composeBackground(): BackgroundParts {
  const area = queuedArea(localArea());
  const guard = new GuardController({ area, dnr: dnrApi(), prediction: predictionSetting(), page: guardPageBase() });
  // The parts reach each other only through these closures, called once all exist.
  const settings = (): EffectiveSettings => rules.settings;
  const sync = new SyncController({ area, alarms: browser.alarms, settings, summary: () => rules.syncSummary, reload: () => rules.reload() });
  const tabs = new TabTracker(new TabStore(sessionArea()), {
    judge: (url) => rules.judge(url),
    guardPage: guardPageBase(),
    pending: () => rulesNotKnownYet(rules.unavailable),
  });
  const rules: RulesInForce = new RulesInForce(
    {
      area,
      parseSyncState,
      onStoredRead: (stored) => {
        guard.restore(stored[GUARD_STATE_KEY]);
        sync.restore(stored);
      },
      onApplied: async ({ starting, rulesChanged }) => {
        await tabs.rulesApplied(starting, rulesChanged, rules.ruleSet !== null);
        guard.follow(rules.settings.values.guard, rules.readable);
        await sync.followConfig(starting);
      },
    },
    guardPageBase(),
  );

  const ready = rules.start(takeEarlyReads()).then(() => {
    if (rules.policyLooksEmpty()) {
      for (const delay of MANAGED_REREAD_MS) setTimeout(() => void bestEffort('policy re-read', rules.recheckManaged()), delay);
    }
  });

  const reload = (secretsChanged: boolean) => rules.reload(secretsChanged ? () => sync.noteSecretsChanged() : undefined);

  return {
    ready,
    settled: () => ready.then(() => rules.settled()),
    rules,
    guard,
    sync,
    tabs,
    area,
    async onAlarm(name, scheduledTime = Date.now()) {
      await ready;
      if (name === SYNC_ALARM) await sync.onAlarm(scheduledTime);
      else if (name === EXPIRY_ALARM) await rules.reload();
    },
    async onStorageChanged(changes, areaName) {
      const secretsChanged = changesSecrets(changes, areaName);
      if (areaName === 'managed') return reload(secretsChanged);
      if (areaName === 'local' && Object.keys(changes).some((key) => WATCHED_KEYS.includes(key))) return reload(secretsChanged);
    },
    async onStartOrInstall() {
      await ready;
      await tabs.adoptOpenTabs();
      await sync.onStartOrInstall();
    },
  };
}
