import {
  isNoManagedPolicyError,
  mergeSettings,
  NO_MANAGED_POLICY,
  parseLocalSettings,
  parseManagedPolicy,
  type EffectiveSettings,
  type LocalSettings,
  type ManagedPolicy,
  type PolicyIssue,
} from '../config/index';
import { buildRuleSet, decideTarget, normalizeTarget, type Finding, type RuleSet } from '../engine/index';
import { isGuardPage, readBlockedUrl } from '../shared/guard-url';
import type { SourceView } from '../shared/status';
import { STORAGE_KEYS } from '../shared/storage-keys';
import type { SyncState } from '../sync/index';
import { applyGuard, guardFingerprint, type AppliedGuard } from './guard-apply';
import { browser, dnrApi, guardPageBase, localArea, readManagedStorage, sessionArea, type ManagedRead } from './platform';
import { buildSources, hash, sourcesFingerprint, withLint, type BuiltSources, type SourceInputs, type StoredRules } from './rule-sources';
import { SYNC_ALARM, SyncService } from './sync-service';
import type { Judged } from './tab-reducer';
import { TabStore } from './tab-store';
import { TabTracker } from './tab-tracker';

export const EXPIRY_ALARM = 'rules-expiry';
/** storage.local: what the guard last put in the browser (so a restarted worker need not redo it). */
export const GUARD_STATE_KEY = 'guardState';
/** storage.local: the console settings the last sync was triggered for. */
export const SYNC_CONFIG_KEY = 'syncConfig';
/** Chrome may deliver the managed policy a moment after the first start: read again after these delays. */
const MANAGED_REREAD_MS = [1_500, 5_000, 15_000];

const StoredRulesShape = (value: unknown): StoredRules | null => {
  if (Array.isArray(value)) return { rules: value, at: 0 };
  if (value && typeof value === 'object' && Array.isArray((value as StoredRules).rules)) {
    const at = (value as StoredRules).at;
    return { rules: (value as StoredRules).rules, at: typeof at === 'number' ? at : 0 };
  }
  return null;
};

/**
 * The background's state and its one readiness promise. Everything lives in
 * storage (local: rules, sync state, settings; session: per-tab data), so
 * this object can be rebuilt from scratch at any wake-up; the compiled rule
 * set is rebuilt only when the fingerprint of its sources changes.
 */
export class Background {
  readonly ready: Promise<void>;
  readonly tabs: TabTracker;
  readonly sync: SyncService;

  private managedRead: ManagedRead = { ok: true, value: {} };
  private managed: ManagedPolicy = NO_MANAGED_POLICY;
  private localSettings: LocalSettings = {};
  private localSettingsErrors: PolicyIssue[] = [];
  private settingsValue: EffectiveSettings = mergeSettings(NO_MANAGED_POLICY, {});
  private syncState: SyncState | null = null;
  private localRules: StoredRules | null = null;
  private managedLastGood: StoredRules | null = null;
  private built: BuiltSources | null = null;
  private ruleSetValue: RuleSet | null = null;
  private lintedViews: { fingerprint: string; views: SourceView[] } | null = null;
  private appliedGuard: AppliedGuard | null = null;
  private guardChain: Promise<void> = Promise.resolve();
  private reloadChain: Promise<void> = Promise.resolve();
  private loadError: string | null = null;

  constructor() {
    this.sync = new SyncService(localArea(), browser.alarms, () => this.settingsValue);
    this.tabs = new TabTracker(new TabStore(sessionArea()), {
      judge: (url) => this.judge(url),
      guardPage: guardPageBase(),
    });
    this.ready = this.start();
  }

  get settings(): EffectiveSettings {
    return this.settingsValue;
  }

  get ruleSet(): RuleSet | null {
    return this.ruleSetValue;
  }

  get sources(): BuiltSources | null {
    return this.built;
  }

  get state(): { syncState: SyncState | null; localRules: StoredRules | null; loadError: string | null; appliedGuard: AppliedGuard | null } {
    return { syncState: this.syncState, localRules: this.localRules, loadError: this.loadError, appliedGuard: this.appliedGuard };
  }

  /** What the rules in force say about a URL; the guard page stands for the URL it blocked. */
  judge(url: string): Judged {
    const blocked = isGuardPage(url, guardPageBase()) ? readBlockedUrl(url) : null;
    const subject = blocked ?? url;
    const target = normalizeTarget(subject);
    const verdict = decideTarget(this.ruleSetValue, target);
    return {
      url: subject,
      host: target.kind === 'tls' ? target.host : null,
      port: target.kind === 'tls' ? target.port : null,
      verdict: { decision: verdict.decision, reason: verdict.reason, rule: verdict.rule ? { ...verdict.rule } : null },
    };
  }

  /** Source views with lint, computed once per rule-set version. */
  sourceViews(): SourceView[] {
    const built = this.built;
    if (!built) return [];
    if (this.lintedViews?.fingerprint !== built.fingerprint) {
      this.lintedViews = { fingerprint: built.fingerprint, views: withLint(built) };
    }
    return this.lintedViews.views;
  }

  /** Lint findings about one rule (by source and index). */
  lintFor(source: string, index: number): Finding[] {
    const view = this.sourceViews().find((entry) => entry.name === source && entry.inForce);
    return view ? view.lint.filter((finding) => finding.index === index) : [];
  }

  policyWarnings(): PolicyIssue[] {
    const warnings = this.localSettingsErrors.map((issue) => ({ key: issue.key, message: `local setting: ${issue.message}` }));
    if (!this.managedRead.ok) warnings.push({ key: '(policy)', message: `the managed policy could not be read: ${this.managedRead.message}` });
    if (this.loadError) warnings.push({ key: '(storage)', message: this.loadError });
    return warnings;
  }

  /** Re-reads storage and policy and applies what changed; calls run one after another. */
  reload(): Promise<void> {
    const run = this.reloadChain.catch(() => undefined).then(async () => {
      await this.ready.catch(() => undefined);
      await this.loadAll();
      await this.apply(false);
    });
    this.reloadChain = run;
    return run;
  }

  /** Runs a sync now; the storage change it makes reloads the rules. */
  async syncNow() {
    const outcome = await this.sync.syncNow();
    await this.reload();
    return outcome;
  }

  onAlarm(name: string): Promise<void> {
    if (name === SYNC_ALARM) return this.ready.then(() => (this.sync.configured() ? this.syncNow().then(() => undefined) : undefined));
    if (name === EXPIRY_ALARM) return this.reload();
    return Promise.resolve();
  }

  onStorageChanged(changes: Record<string, unknown>, area: string): Promise<void> {
    if (area === 'managed') return this.reload();
    if (area !== 'local') return Promise.resolve();
    const watched: string[] = [STORAGE_KEYS.syncState, STORAGE_KEYS.localSettings, STORAGE_KEYS.localRules, STORAGE_KEYS.managedLastGood];
    return Object.keys(changes).some((key) => watched.includes(key)) ? this.reload() : Promise.resolve();
  }

  /** Install, update or browser start: take in the tabs already open, and sync. */
  async onStartOrInstall(): Promise<void> {
    await this.ready;
    await this.tabs.adoptOpenTabs();
    if (this.sync.configured()) await this.syncNow().catch(() => undefined);
  }

  private async start(): Promise<void> {
    await this.loadAll();
    await this.apply(true);
    if (Object.keys(this.managedRead.ok ? this.managedRead.value : {}).length === 0) {
      for (const delay of MANAGED_REREAD_MS) setTimeout(() => void this.reload(), delay);
    }
  }

  private async loadAll(): Promise<void> {
    const keys = [STORAGE_KEYS.syncState, STORAGE_KEYS.localSettings, STORAGE_KEYS.localRules, STORAGE_KEYS.managedLastGood, GUARD_STATE_KEY];
    const [stored, managedRead] = await Promise.all([
      localArea()
        .get(keys)
        .then((value) => ({ ok: true as const, value }))
        .catch((error: unknown) => ({ ok: false as const, message: error instanceof Error ? error.message : String(error) })),
      readManagedStorage(isNoManagedPolicyError),
    ]);
    this.managedRead = managedRead;
    this.managed = managedRead.ok ? parseManagedPolicy(managedRead.value) : NO_MANAGED_POLICY;
    if (!stored.ok) {
      // Fail closed: nothing stored can be trusted, so no profile or local rules are used.
      this.loadError = `the extension's storage could not be read (${stored.message}); only the policy's rules are used`;
      this.syncState = null;
      this.localRules = null;
      this.localSettings = {};
      this.localSettingsErrors = [];
    } else {
      this.loadError = null;
      const local = parseLocalSettings(stored.value[STORAGE_KEYS.localSettings]);
      this.localSettings = local.values;
      this.localSettingsErrors = local.errors;
      this.syncState = await this.sync.readState();
      this.localRules = StoredRulesShape(stored.value[STORAGE_KEYS.localRules]);
      this.managedLastGood = StoredRulesShape(stored.value[STORAGE_KEYS.managedLastGood]);
      this.appliedGuard = (stored.value[GUARD_STATE_KEY] as AppliedGuard | undefined) ?? null;
    }
    this.settingsValue = mergeSettings(this.managed, this.localSettings);
  }

  private inputs(): SourceInputs {
    return { settings: this.settingsValue, syncState: this.syncState, localRules: this.localRules, managedLastGood: this.managedLastGood, now: Date.now() };
  }

  /** Rebuilds the rule set if its sources changed, then brings tabs, guard, alarms and sync in line. */
  private async apply(starting: boolean): Promise<void> {
    const inputs = this.inputs();
    const changed = !this.built || this.built.fingerprint !== sourcesFingerprint(inputs);
    if (changed) {
      this.built = buildSources(inputs);
      this.ruleSetValue = buildRuleSet(this.built.inForce);
      if (this.built.managedToStore) {
        this.managedLastGood = this.built.managedToStore;
        await localArea().set({ [STORAGE_KEYS.managedLastGood]: this.built.managedToStore }).catch(() => undefined);
      }
      // A restarted worker finds tab verdicts already taken with these rules; only a real change re-decides.
      if (!starting) await this.tabs.redecideAll();
    }
    this.queueGuard();
    await this.scheduleExpiry();
    await this.syncIfConfigChanged(starting);
  }

  /** The guard's browser rules follow the deny rules and the guard mode; work is queued, never parallel. */
  private queueGuard(): void {
    const dnr = dnrApi();
    const mode = this.settingsValue.values.guard;
    const denyRules = (this.ruleSetValue?.sources ?? []).flatMap((source) => source.rules).filter((rule) => rule.action === 'noCertificate');
    const page = guardPageBase();
    this.guardChain = this.guardChain.then(async () => {
      const fingerprint = guardFingerprint(mode, denyRules, page);
      if (this.appliedGuard?.fingerprint === fingerprint && this.appliedGuard.error === null) return;
      let applied: AppliedGuard;
      if (!dnr) {
        applied = { fingerprint, mode, browserRules: 0, denyRulesCovered: 0, denyRulesTotal: denyRules.length, notFitted: [], error: mode === 'off' ? null : 'this browser has no declarativeNetRequest API; the guard cannot stop navigations' };
      } else {
        try {
          applied = await applyGuard(dnr, mode, denyRules, page);
        } catch (error) {
          applied = { fingerprint, mode, browserRules: 0, denyRulesCovered: 0, denyRulesTotal: denyRules.length, notFitted: [], error: error instanceof Error ? error.message : String(error) };
        }
      }
      this.appliedGuard = applied;
      await localArea().set({ [GUARD_STATE_KEY]: applied }).catch(() => undefined);
    });
  }

  /** Waits until the guard's browser rules match the current rules and mode. */
  guardSettled(): Promise<void> {
    return this.guardChain;
  }

  currentGuardFingerprint(): string {
    const denyRules = (this.ruleSetValue?.sources ?? []).flatMap((source) => source.rules).filter((rule) => rule.action === 'noCertificate');
    return guardFingerprint(this.settingsValue.values.guard, denyRules, guardPageBase());
  }

  /** With a maximum rule age, the rules stop being used at a known time: wake up then. */
  private async scheduleExpiry(): Promise<void> {
    const lastGood = this.syncState?.lastGood;
    const hours = this.settingsValue.values.maxRuleAgeHours;
    if (!lastGood || hours <= 0 || this.built?.profile.status !== 'ok') {
      await browser.alarms.clear(EXPIRY_ALARM);
      return;
    }
    const when = Date.parse(lastGood.confirmedAt) + hours * 3_600_000 + 1_000;
    if (Number.isFinite(when)) await browser.alarms.create(EXPIRY_ALARM, { when: Math.max(when, Date.now() + 30_000) });
  }

  /**
   * A changed console address, sign-in, or profile means the rules held may be
   * the wrong ones: sync now. The settings last synced for are stored, so a
   * change made while the worker slept is noticed when it wakes.
   */
  private async syncIfConfigChanged(starting: boolean): Promise<void> {
    const values = this.settingsValue.values;
    const key = values.consoleUrl === '' ? '' : hash(JSON.stringify([values.consoleUrl, values.authMode, values.username, values.password, values.token, values.profileId]));
    const stored = (await localArea().get(SYNC_CONFIG_KEY).catch(() => ({}) as Record<string, unknown>))[SYNC_CONFIG_KEY];
    if (stored === key) {
      if (starting && key !== '' && !(await this.sync.nextAlarmAt())) await this.sync.schedule(this.syncState);
      return;
    }
    await localArea().set({ [SYNC_CONFIG_KEY]: key }).catch(() => undefined);
    if (key === '') {
      await this.sync.schedule(null);
      return;
    }
    // Not awaited: a sync may take up to the request time limit; its storage write triggers a reload.
    void this.sync.syncNow().catch(() => undefined);
  }
}
