import {
  isNoManagedPolicyError,
  mergeSettings,
  NO_MANAGED_POLICY,
  unreadableManagedPolicy,
  parseLocalSettings,
  parseManagedPolicy,
  type EffectiveSettings,
  type LocalSettings,
  type ManagedPolicy,
  type PolicyIssue,
} from '../config/index';
import { buildRuleSet, decideTarget, normalizeTarget, type Finding, type NormalizedRule, type RuleSet, type UnavailableSource } from '../engine/index';
import { isGuardPage, readBlockedUrl } from '../shared/guard-url';
import type { SourceView } from '../shared/status';
import { STORAGE_KEYS } from '../shared/storage-keys';
import { rulesInForce, type RulesInForce, type SyncState } from '../sync/index';
import { applyGuard, guardFingerprint, type AppliedGuard } from './guard-apply';
import { alignNetworkPrediction } from './network-prediction';
import { browser, dnrApi, guardPageBase, localArea, predictionSetting, readManagedStorage, sessionArea, type ManagedRead } from './platform';
import { takeEarlyReads, type EarlyReads } from './wake-up-reads';
import { GUARD_STATE_KEY, QUICK_KEYS, SYNC_CONFIG_KEY } from './local-keys';
import {
  cacheStamp,
  cacheValidUntil,
  lintLookupOf,
  readRulesCache,
  REVISION_KEYS,
  rulesCacheEntries,
  rulesKey,
  RULES_CACHE_KEY,
  storedLintLookup,
  storeRulesCache,
  type LintBySource,
  type LintLookup,
  type RulesCache,
} from './rules-cache';
import { buildSources, maxAgeMinutes, sourcesFingerprint, withLint, type BuiltSources, type SourceInputs, type StoredRules } from './rule-sources';
import { changesSecrets, revisionOf, syncConfigOf } from './sync-config';
import { SYNC_ALARM, summaryOf, SyncService } from './sync-service';
import type { Judged } from './tab-reducer';
import { TabStore } from './tab-store';
import { TabTracker } from './tab-tracker';

export const EXPIRY_ALARM = 'rules-expiry';
export { GUARD_STATE_KEY, SYNC_CONFIG_KEY } from './local-keys';
/** Chrome may deliver the managed policy a moment after the first start: read again after these delays. */
const MANAGED_REREAD_MS = [1_500, 5_000, 15_000];

const storedRules = (value: unknown): StoredRules | null => {
  if (Array.isArray(value)) return { rules: value, at: 0 };
  if (value && typeof value === 'object' && Array.isArray((value as StoredRules).rules)) {
    const at = (value as StoredRules).at;
    return { rules: (value as StoredRules).rules, at: typeof at === 'number' ? at : 0 };
  }
  return null;
};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The background's state and its one readiness promise. Everything lives in
 * storage (local: rules, sync state, settings; session: per-tab data), so
 * this object can be rebuilt from scratch at any wake-up.
 *
 * Waking up is the hot path (the browser stops the worker when idle, and the
 * first event after that waits for it): the rules in force are kept compiled,
 * index included, in one string (engine saveRuleSet) with a stamp of
 * everything they depend on, so a wake-up reads a few small keys and that
 * string — never the raw rule arrays — loads it, and is ready. The full sources (raw rules, lint, views for
 * the options page) are loaded only when a request needs them, or when
 * something changed. The compiled rule set is rebuilt only when the
 * fingerprint of its sources changes.
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
  private revisions: Record<string, string> = {};
  /** The sync state without the rule array: enough for status lines and scheduling. */
  /**
   * The sync summary as stored, validated on first use: a wake-up that only
   * answers a decision never needs it, and validating it is the first use of
   * the sync state's schema (every millisecond of a wake-up counts).
   */
  private syncSummaryStored: { raw: unknown } | { parsed: SyncState | null } = { parsed: null };
  private syncState: SyncState | null = null;
  private localRules: StoredRules | null = null;
  private managedLastGood: StoredRules | null = null;
  /** The full sources (raw rules, views, lint): null until loaded. */
  private built: (BuiltSources & { linted: SourceView[] }) | null = null;
  /**
   * The rules that can be read: the sources in force, and while the rule set
   * is unusable also the deny rules the guard keeps enforcing (BuiltSources.guarded).
   */
  private readable: RuleSet | null = null;
  /** Configured sources whose rules are not known, and why: while any is listed, decisions use no rules at all (empty when usable, or when nothing is configured). */
  unavailable: UnavailableSource[] = [];
  /** rulesKey of the rules in force; their lint by rule (after a wake-up, read from storage once a request shows lint). */
  private rulesKey: string | null = null;
  private lint: LintLookup = () => Promise.resolve([]);
  /** The SYNC_CONFIG_KEY value as last read or written. */
  private syncConfigStored: unknown = undefined;
  /** A storage change showed a new password or token that no stored sync config counts yet. */
  private secretsChanged = false;
  private appliedGuard: AppliedGuard | null = null;
  private guardChain: Promise<void> = Promise.resolve();
  private reloadChain: Promise<void> = Promise.resolve();
  /** Why storage.local could not be read at the last load, or null. */
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

  /** The rule set decisions use: null (every decision no-rules) when none is usable or a configured source is unknown. */
  get ruleSet(): RuleSet | null {
    return this.unavailable[0] ? null : this.readable;
  }

  get syncSummary(): SyncState | null {
    const stored = this.syncSummaryStored;
    if ('parsed' in stored) return stored.parsed;
    const parsed = this.sync.parseState(stored.raw);
    this.syncSummaryStored = { parsed };
    return parsed;
  }

  get appliedGuardState(): AppliedGuard | null {
    return this.appliedGuard;
  }

  /** Whether the synced rules may be used now (never synced, in force, or too old). */
  profileState(): RulesInForce {
    return rulesInForce(this.syncSummary, Date.now(), { maxRuleAgeMinutes: maxAgeMinutes(this.settingsValue) });
  }

  /** What the rules in force say about a URL; the guard page stands for the URL it blocked. */
  judge(url: string): Judged {
    const blocked = isGuardPage(url, guardPageBase()) ? readBlockedUrl(url) : null;
    const subject = blocked ?? url;
    const target = normalizeTarget(subject);
    const verdict = decideTarget(this.ruleSet, target);
    return {
      url: subject,
      host: target.kind === 'tls' ? target.host : null,
      port: target.kind === 'tls' ? target.port : null,
      verdict: { decision: verdict.decision, reason: verdict.reason, rule: verdict.rule ? { ...verdict.rule } : null },
    };
  }

  /** Loads the full sources if a wake-up skipped them (requests about the rules themselves need them). */
  async full(): Promise<void> {
    await this.ready;
    if (!this.built) await this.reload();
  }

  /** Source views with lint (call full() first). */
  sourceViews(): SourceView[] {
    return this.built?.linted ?? [];
  }

  /** Lint findings about one rule in force (by source and index). */
  lintFor(source: string, index: number): Promise<Finding[]> {
    return this.lint(source, index);
  }

  policyWarnings(): PolicyIssue[] {
    const warnings = this.localSettingsErrors.map((issue) => ({ key: issue.key, message: `local setting: ${issue.message}` }));
    if (!this.managedRead.ok) warnings.push({ key: '(policy)', message: `the managed policy could not be read: ${this.managedRead.message}` });
    if (this.loadError) warnings.push({ key: '(storage)', message: `the extension's storage could not be read (${this.loadError})` });
    return warnings;
  }

  /** Re-reads storage and policy and applies what changed; calls run one after another. */
  reload(secretsChanged = false): Promise<void> {
    const run = this.reloadChain
      .catch(() => undefined)
      .then(async () => {
        await this.ready.catch(() => undefined);
        // Set in the reload's own turn: the reload that reads the new secret is the one that counts it.
        if (secretsChanged) this.secretsChanged = true;
        await this.loadQuick();
        await this.loadFull();
        await this.apply(false);
      });
    this.reloadChain = run;
    return run;
  }

  /** Runs a sync now; then the rules follow what it stored. */
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

  onStorageChanged(changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string): Promise<void> {
    const secretsChanged = changesSecrets(changes, area);
    if (area === 'managed') return this.reload(secretsChanged);
    if (area !== 'local') return Promise.resolve();
    const watched: string[] = [STORAGE_KEYS.syncState, STORAGE_KEYS.localSettings, STORAGE_KEYS.localRules, STORAGE_KEYS.managedLastGood];
    return Object.keys(changes).some((key) => watched.includes(key)) ? this.reload(secretsChanged) : Promise.resolve();
  }

  /** Install, update or browser start: take in the tabs already open, and sync. */
  async onStartOrInstall(): Promise<void> {
    await this.ready;
    await this.tabs.adoptOpenTabs();
    if (this.sync.configured()) await this.syncNow().catch(() => undefined);
  }

  private async start(): Promise<void> {
    // Each step on the worker's performance timeline, for the cold-start benchmark (the worker's only marks).
    const mark = (step: string) => performance.mark(step);
    mark('start');
    const cache = await this.loadQuick(takeEarlyReads());
    mark('loaded');
    // A cached set that decides nothing (none usable, or a source not known) is rebuilt from the sources: they say why.
    const fromCache = cache ? readRulesCache(cache, this.quickStamp(), Date.now()) : null;
    if (fromCache?.ruleSet) {
      mark('cached');
      this.readable = fromCache.ruleSet;
      this.rulesKey = fromCache.key;
      // Read a piece at a time, when a request shows lint; lint of other rules is never shown against these.
      this.lint = storedLintLookup(localArea(), fromCache.key);
      mark('compiled');
      this.queueGuard();
      await this.syncIfConfigChanged(true);
    } else {
      await this.loadFull();
      await this.apply(true);
      mark('compiled');
    }
    if (Object.keys(this.managedRead.ok ? this.managedRead.value : {}).length === 0) {
      for (const delay of MANAGED_REREAD_MS) setTimeout(() => void this.recheckManaged(), delay);
    }
  }

  /** Reads the policy again; only a change brings a reload (the re-reads at start cost next to nothing otherwise). */
  private async recheckManaged(): Promise<void> {
    const read = await readManagedStorage(isNoManagedPolicyError);
    if (JSON.stringify(read) !== JSON.stringify(this.managedRead)) await this.reload();
  }

  /** The small keys and the policy: settings, revisions, the sync summary, the compiled-rules cache. */
  private async loadQuick(early: EarlyReads | null = null): Promise<RulesCache | null> {
    const [stored, managedRead] = await Promise.all([
      (early?.quick ?? localArea().get([...QUICK_KEYS]))
        .then((value) => ({ ok: true as const, value }))
        .catch((error: unknown) => ({ ok: false as const, message: errorText(error) })),
      readManagedStorage(isNoManagedPolicyError, early?.managed),
    ]);
    this.managedRead = managedRead;
    this.managed = managedRead.ok ? parseManagedPolicy(managedRead.value) : unreadableManagedPolicy(managedRead.message);
    let cache: RulesCache | null = null;
    if (!stored.ok) {
      // Fail closed: nothing stored can be trusted; a console profile or local rules that may exist are unknown (buildSources).
      this.loadError = stored.message;
      this.localSettings = {};
      this.localSettingsErrors = [];
      this.syncSummaryStored = { parsed: null };
    } else {
      this.loadError = null;
      const local = parseLocalSettings(stored.value[STORAGE_KEYS.localSettings]);
      this.localSettings = local.values;
      this.localSettingsErrors = local.errors;
      this.appliedGuard = (stored.value[GUARD_STATE_KEY] as AppliedGuard | undefined) ?? null;
      this.revisions = Object.fromEntries(Object.values(REVISION_KEYS).map((key) => [key, String(stored.value[key] ?? '')]));
      this.syncSummaryStored = { raw: stored.value[STORAGE_KEYS.syncSummary] };
      cache = (stored.value[RULES_CACHE_KEY] as RulesCache | undefined) ?? null;
      this.syncConfigStored = stored.value[SYNC_CONFIG_KEY];
    }
    this.settingsValue = mergeSettings(this.managed, this.localSettings);
    return cache;
  }

  /** The raw sources: the synced profile's rules, local rules, the managed last-known-good. */
  private async loadFull(): Promise<void> {
    if (this.loadError) {
      this.syncState = null;
      this.localRules = null;
      this.managedLastGood = null;
      return;
    }
    try {
      const stored = await localArea().get([STORAGE_KEYS.syncState, STORAGE_KEYS.localRules, STORAGE_KEYS.managedLastGood]);
      this.syncState = this.sync.parseState(stored[STORAGE_KEYS.syncState]);
      this.syncSummaryStored = { parsed: this.syncState ? summaryOf(this.syncState) : null };
      this.localRules = storedRules(stored[STORAGE_KEYS.localRules]);
      this.managedLastGood = storedRules(stored[STORAGE_KEYS.managedLastGood]);
    } catch (error) {
      this.loadError = errorText(error);
      this.syncState = null;
      this.localRules = null;
      this.managedLastGood = null;
    }
  }

  private inputs(): SourceInputs {
    return {
      settings: this.settingsValue,
      syncState: this.syncState,
      localRules: this.localRules,
      managedLastGood: this.managedLastGood,
      now: Date.now(),
    };
  }

  private quickStamp(): string {
    return cacheStamp(this.settingsValue, this.revisions);
  }

  /** Rebuilds the rule set if its sources changed, then brings tabs, guard, alarms, the cache and sync in line. */
  private async apply(starting: boolean): Promise<void> {
    const inputs = this.inputs();
    if (!this.built || this.built.fingerprint !== sourcesFingerprint(inputs)) {
      const built = buildSources(inputs);
      const linted = withLint(built);
      this.built = { ...built, linted };
      // The same sources usable and unusable are different rule sets (the tabs are decided again).
      const key = rulesKey(built.guarded) + (built.unavailable[0] ? '!' : '');
      // Why the rules are unavailable may change (a new sync error) while the rules stay the same.
      this.unavailable = built.unavailable;
      const lint: LintBySource = Object.fromEntries(linted.filter((view) => view.inForce).map((view) => [view.name, view.lint]));
      this.lint = lintLookupOf(lint);
      if (built.managedToStore) {
        this.managedLastGood = built.managedToStore;
        await localArea()
          .set({ [STORAGE_KEYS.managedLastGood]: built.managedToStore, [REVISION_KEYS.managedLastGood]: `${built.managedToStore.at}` })
          .catch(() => undefined);
        this.revisions[REVISION_KEYS.managedLastGood] = `${built.managedToStore.at}`;
      }
      // The same rules (e.g. the first full load after a wake-up from the cache) keep the same rule set: no re-decisions.
      if (key !== this.rulesKey) {
        this.readable = buildRuleSet(built.guarded);
        this.rulesKey = key;
        if (!starting) await this.tabs.redecideAll();
      }
      await storeRulesCache(
        localArea(),
        rulesCacheEntries(this.quickStamp(), cacheValidUntil(this.syncState, this.settingsValue), key, this.ruleSet, lint),
      ).catch(() => undefined);
    }
    this.queueGuard();
    await this.scheduleExpiry();
    await this.syncIfConfigChanged(starting);
  }

  /** The guard's browser rules follow the deny rules and the guard mode; work is queued, never parallel. */
  private queueGuard(): void {
    const dnr = dnrApi();
    const mode = this.settingsValue.values.guard;
    // The readable rules, not the decision set: with the set unusable the deny rules that can be read stay guarded.
    const ruleSet = this.readable;
    const page = guardPageBase();
    this.guardChain = this.guardChain.then(async () => {
      // Every time, not only when the rules change: one read when nothing is to be done (network-prediction.ts).
      await alignNetworkPrediction(predictionSetting(), mode !== 'off');
      // With the guard off no rule is needed: a wake-up makes no rule objects for it
      // (a rule set loaded from the cache makes them on demand).
      const denyRules = mode === 'off' ? [] : denyRulesOf(ruleSet);
      const fingerprint = guardFingerprint(mode, denyRules, page);
      if (this.appliedGuard?.fingerprint === fingerprint && this.appliedGuard.error === null) return;
      const unapplied = (error: string | null): AppliedGuard => ({
        fingerprint,
        mode,
        browserRules: 0,
        denyRulesCovered: 0,
        denyRulesTotal: denyRules.length,
        notFitted: [],
        error,
      });
      let applied: AppliedGuard;
      try {
        applied = dnr ? await applyGuard(dnr, mode, denyRules, page) : unapplied(mode === 'off' ? null : 'this browser has no declarativeNetRequest API');
      } catch (error) {
        applied = unapplied(errorText(error));
      }
      this.appliedGuard = applied;
      await localArea()
        .set({ [GUARD_STATE_KEY]: applied })
        .catch(() => undefined);
    });
  }

  /** Waits until the guard's browser rules match the current rules and mode. */
  guardSettled(): Promise<void> {
    return this.guardChain;
  }

  currentGuardFingerprint(): string {
    const mode = this.settingsValue.values.guard;
    return guardFingerprint(mode, mode === 'off' ? [] : denyRulesOf(this.readable), guardPageBase());
  }

  /** With a maximum rule age, the rules stop being used at a known time: wake up then. */
  private async scheduleExpiry(): Promise<void> {
    const until = cacheValidUntil(this.syncState, this.settingsValue);
    if (until === null) {
      await browser.alarms.clear(EXPIRY_ALARM);
      return;
    }
    await browser.alarms.create(EXPIRY_ALARM, { when: Math.max(until + 1_000, Date.now() + 30_000) });
  }

  /**
   * A changed console address, sign-in, or profile means the rules held may be
   * the wrong ones: sync now. What the last sync was started for is stored
   * (sync-config.ts: nothing secret), so a change made while the worker slept
   * is noticed when it wakes.
   */
  private async syncIfConfigChanged(starting: boolean): Promise<void> {
    // Read with the other small keys (loadQuick): no storage round trip of its own on the wake-up path.
    const stored = this.syncConfigStored;
    const next = syncConfigOf(this.settingsValue.values, revisionOf(stored) + (this.secretsChanged ? 1 : 0));
    this.secretsChanged = false;
    if (stored === next) {
      // Not awaited: it only makes sure the next sync is scheduled, which no request waits for.
      if (starting && next !== '') void this.ensureSyncAlarm();
      return;
    }
    this.syncConfigStored = next;
    await localArea()
      .set({ [SYNC_CONFIG_KEY]: next })
      .catch(() => undefined);
    if (next === '') {
      await this.sync.schedule(null);
      return;
    }
    // Not awaited: a sync may take up to the request time limit; its storage write triggers a reload.
    void this.sync.syncNow().catch(() => undefined);
  }

  private async ensureSyncAlarm(): Promise<void> {
    try {
      if (!(await this.sync.nextAlarmAt())) await this.sync.schedule(this.syncSummary);
    } catch (error) {
      console.warn('client-certificate-rules: scheduling the next sync failed:', error);
    }
  }
}

/** The rules the guard turns into browser rules: every noCertificate rule in force. */
function denyRulesOf(ruleSet: RuleSet | null): NormalizedRule[] {
  return (ruleSet?.sources ?? []).flatMap((source) => source.rules).filter((rule) => rule.action === 'noCertificate');
}
