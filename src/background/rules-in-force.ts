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
import { buildRuleSet, decideTarget, normalizeTarget, type Finding, type RuleSet, type UnavailableSource } from '../engine/index';
import { isGuardPage, readBlockedUrl } from '../shared/guard-url';
import type { SourceView } from '../shared/status';
import { STORAGE_KEYS } from '../shared/storage-keys';
import { rulesInForce, type RulesInForce as ProfileInForce, type SyncState } from '../sync/index';
import { bestEffort } from './best-effort';
import { browser, readManagedStorage, type ManagedRead } from './platform';
import {
  buildSources,
  maxAgeMinutes,
  sourcesFingerprint,
  viewsLint,
  type BuiltSources,
  type SourceInputs,
  type SourceLint,
  type StoredRules,
} from './rule-sources';
import {
  cacheStamp,
  cacheValidUntil,
  QUICK_KEYS,
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
} from './wake-up/index';
import { summaryOf } from './sync-service';
import type { Judged } from './tab-reducer';
import type { EarlyReads } from './wake-up/index';
import type { QueuedArea } from './write-queue';

export const EXPIRY_ALARM = 'rules-expiry';

/** What a load or reload changed, for the parts that follow the rules (tabs, guard, sync). */
export interface RulesApplied {
  /** The worker's start: tabs have no verdicts to take again yet. */
  starting: boolean;
  /** Another rule set is in force (every tab's verdicts are taken again). */
  rulesChanged: boolean;
}

export interface RulesDeps {
  area: QueuedArea;
  /** The stored sync state, validated (sync-service.ts parseSyncState). */
  parseSyncState: (raw: unknown) => SyncState | null;
  /** Every wake-up's read of the small keys, as stored: the guard and sync parts keep what is theirs. */
  onStoredRead: (stored: Record<string, unknown>) => void;
  /** After each load: the parts that follow the rules catch up. */
  onApplied: (change: RulesApplied) => Promise<void>;
}

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
 * The settings and the rules in force: loaded from storage and the policy,
 * compiled, cached for the next wake-up, and what the rules say about a URL.
 * Everything lives in storage, so this object can be rebuilt from scratch at
 * any wake-up.
 *
 * Waking up is the hot path (the browser stops the worker when idle, and the
 * first event after that waits for it): the rules in force are kept compiled,
 * index included, in one string (engine saveRuleSet) with a stamp of
 * everything they depend on, so a wake-up reads a few small keys and that
 * string — never the raw rule arrays — loads it, and is ready. The full
 * sources (raw rules, lint, views for the options page) are loaded only when a
 * request needs them, or when something changed. The compiled rule set is
 * rebuilt only when the fingerprint of its sources changes.
 */
export class RulesInForce {
  #managedRead: ManagedRead = { ok: true, value: {} };
  #managed: ManagedPolicy = NO_MANAGED_POLICY;
  #localSettings: LocalSettings = {};
  #localSettingsErrors: PolicyIssue[] = [];
  #settingsValue: EffectiveSettings = mergeSettings(NO_MANAGED_POLICY, {});
  #revisions: Record<string, string> = {};
  /**
   * The sync summary as stored, validated on first use: a wake-up that only
   * answers a decision never needs it, and validating it is the first use of
   * the sync state's schema (every millisecond of a wake-up counts).
   */
  #syncSummaryStored: { raw: unknown } | { parsed: SyncState | null } = { parsed: null };
  #syncState: SyncState | null = null;
  #localRules: StoredRules | null = null;
  #managedLastGood: StoredRules | null = null;
  /** The full sources (raw rules, views, lint): null until loaded. */
  #built: (BuiltSources & { lint: SourceLint[] }) | null = null;
  /**
   * The rules that can be read: the sources in force, and while the rule set
   * is unusable also the deny rules the guard keeps enforcing (BuiltSources.guarded).
   */
  #readableSet: RuleSet | null = null;
  /** Configured sources whose rules are not known, and why: while any is listed, decisions use no rules at all (empty when usable, or when nothing is configured). */
  unavailable: UnavailableSource[] = [];
  /** rulesKey of the rules in force; their lint by rule (after a wake-up, read from storage once a request shows lint). */
  #rulesKey: string | null = null;
  #lint: LintLookup = () => Promise.resolve([]);
  #reloadChain: Promise<unknown> = Promise.resolve();
  /** Why storage.local could not be read at the last load, or null. */
  #loadError: string | null = null;

  readonly #deps: RulesDeps;
  readonly #guardPage: string;

  constructor(
    deps: RulesDeps,
    /** The guard page's fixed address: its navigations stand for the URL they blocked. */
    guardPage: string,
  ) {
    this.#guardPage = guardPage;
    this.#deps = deps;
  }

  get settings(): EffectiveSettings {
    return this.#settingsValue;
  }

  /** The rule set decisions use: null (every decision no-rules) when none is usable or a configured source is unknown. */
  get ruleSet(): RuleSet | null {
    return this.unavailable[0] ? null : this.#readableSet;
  }

  /** The rules that can be read, the guard's: see `readableSet`. */
  get readable(): RuleSet | null {
    return this.#readableSet;
  }

  get syncSummary(): SyncState | null {
    const stored = this.#syncSummaryStored;
    if ('parsed' in stored) return stored.parsed;
    const parsed = this.#deps.parseSyncState(stored.raw);
    this.#syncSummaryStored = { parsed };
    return parsed;
  }

  /** Whether the synced rules may be used now (never synced, in force, or too old). */
  profileState(): ProfileInForce {
    return rulesInForce(this.syncSummary, Date.now(), { maxRuleAgeMinutes: maxAgeMinutes(this.#settingsValue) });
  }

  /** What the rules in force say about a URL; the guard page stands for the URL it blocked. */
  judge(url: string): Judged {
    const blocked = isGuardPage(url, this.#guardPage) ? readBlockedUrl(url) : null;
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

  /**
   * Resolves when every load and reload asked for so far has been applied. A
   * page that saw storage change asks again at once; its answer must show
   * the change, not the rules from before it.
   */
  settled(): Promise<unknown> {
    return this.#reloadChain;
  }

  /** Loads the full sources if a wake-up skipped them (requests about the rules themselves need them). */
  async full(): Promise<void> {
    if (!this.#built) await this.reload();
  }

  /** Source views (call full() first). */
  sourceViews(): SourceView[] {
    return this.#built?.views ?? [];
  }

  /** The lint of each source view's valid rules (call full() first). */
  sourceLint(): SourceLint[] {
    return this.#built?.lint ?? [];
  }

  /** Changes with anything the sources are built from (RuleSources.revision). */
  get sourcesRevision(): string {
    return this.#built?.fingerprint ?? '';
  }

  /** Lint findings about one rule in force (by source and index). */
  lintFor(source: string, index: number): Promise<Finding[]> {
    return this.#lint(source, index);
  }

  policyWarnings(): PolicyIssue[] {
    const warnings = this.#localSettingsErrors.map((issue) => ({ key: issue.key, message: `local setting: ${issue.message}` }));
    if (!this.#managedRead.ok) warnings.push({ key: '(policy)', message: `the managed policy could not be read: ${this.#managedRead.message}` });
    if (this.#loadError) warnings.push({ key: '(storage)', message: `the extension's storage could not be read (${this.#loadError})` });
    return warnings;
  }

  /**
   * The worker's start: the rules from the compiled cache when it is current,
   * else from the sources. `early`: the reads asked for at evaluation.
   */
  start(early: EarlyReads | null): Promise<void> {
    const run = this.#load(early);
    // Reloads wait for the start (and run after a failed one).
    this.#reloadChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #load(early: EarlyReads | null): Promise<void> {
    // Each step on the worker's performance timeline, for the cold-start benchmark (the worker's only marks).
    const mark = (step: string) => performance.mark(step);
    mark('start');
    const cache = await this.#loadQuick(early);
    mark('loaded');
    // A cached set that decides nothing (none usable, or a source not known) is rebuilt from the sources: they say why.
    const fromCache = cache ? readRulesCache(cache, this.#quickStamp(), Date.now()) : null;
    if (fromCache?.ruleSet) {
      mark('cached');
      this.#readableSet = fromCache.ruleSet;
      this.#rulesKey = fromCache.key;
      // Read a piece at a time, when a request shows lint; lint of other rules is never shown against these.
      this.#lint = storedLintLookup(this.#deps.area, fromCache.key);
      mark('compiled');
      await this.#deps.onApplied({ starting: true, rulesChanged: true });
    } else {
      await this.#loadFull();
      await this.#apply(true);
      mark('compiled');
    }
  }

  /** Whether the policy was read as empty (Chrome may deliver it a moment after the first start). */
  policyLooksEmpty(): boolean {
    return Object.keys(this.#managedRead.ok ? this.#managedRead.value : {}).length === 0;
  }

  /** Reads the policy again; only a change brings a reload. */
  async recheckManaged(): Promise<void> {
    const read = await readManagedStorage(isNoManagedPolicyError);
    if (JSON.stringify(read) !== JSON.stringify(this.#managedRead)) await this.reload();
  }

  /**
   * Re-reads storage and policy and applies what changed; calls run one after
   * another. `first`: runs in the reload's own turn, before anything is read.
   */
  reload(first?: () => void): Promise<void> {
    const run = this.#reloadChain.then(async () => {
      first?.();
      await this.#loadQuick();
      await this.#loadFull();
      await this.#apply(false);
    });
    // The next reload runs after a failed one; the failure is this caller's.
    this.#reloadChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** The small keys and the policy: settings, revisions, the sync summary, the compiled-rules cache. */
  async #loadQuick(early: EarlyReads | null = null): Promise<RulesCache | null> {
    const [stored, managedRead] = await Promise.all([
      (early?.quick ?? this.#deps.area.get([...QUICK_KEYS]))
        .then((value) => ({ ok: true as const, value }))
        .catch((error: unknown) => ({ ok: false as const, message: errorText(error) })),
      readManagedStorage(isNoManagedPolicyError, early?.managed),
    ]);
    this.#managedRead = managedRead;
    this.#managed = managedRead.ok ? parseManagedPolicy(managedRead.value) : unreadableManagedPolicy(managedRead.message);
    let cache: RulesCache | null = null;
    if (!stored.ok) {
      // Fail closed: nothing stored can be trusted; a console profile or local rules that may exist are unknown (buildSources).
      this.#loadError = stored.message;
      this.#localSettings = {};
      this.#localSettingsErrors = [];
      this.#syncSummaryStored = { parsed: null };
    } else {
      this.#loadError = null;
      const local = parseLocalSettings(stored.value[STORAGE_KEYS.localSettings]);
      this.#localSettings = local.values;
      this.#localSettingsErrors = local.errors;
      this.#revisions = Object.fromEntries(Object.values(REVISION_KEYS).map((key) => [key, String(stored.value[key] ?? '')]));
      this.#syncSummaryStored = { raw: stored.value[STORAGE_KEYS.syncSummary] };
      cache = (stored.value[RULES_CACHE_KEY] as RulesCache | undefined) ?? null;
      this.#deps.onStoredRead(stored.value);
    }
    this.#settingsValue = mergeSettings(this.#managed, this.#localSettings);
    return cache;
  }

  /** The raw sources: the synced profile's rules, local rules, the managed last-known-good. */
  async #loadFull(): Promise<void> {
    this.#syncState = null;
    this.#localRules = null;
    this.#managedLastGood = null;
    if (this.#loadError) return;
    try {
      const stored = await this.#deps.area.get([STORAGE_KEYS.syncState, STORAGE_KEYS.localRules, STORAGE_KEYS.managedLastGood]);
      this.#syncState = this.#deps.parseSyncState(stored[STORAGE_KEYS.syncState]);
      this.#syncSummaryStored = { parsed: this.#syncState ? summaryOf(this.#syncState) : null };
      this.#localRules = storedRules(stored[STORAGE_KEYS.localRules]);
      this.#managedLastGood = storedRules(stored[STORAGE_KEYS.managedLastGood]);
    } catch (error) {
      this.#loadError = errorText(error);
    }
  }

  #inputs(): SourceInputs {
    return {
      settings: this.#settingsValue,
      syncState: this.#syncState,
      localRules: this.#localRules,
      managedLastGood: this.#managedLastGood,
      now: Date.now(),
    };
  }

  #quickStamp(): string {
    return cacheStamp(this.#settingsValue, this.#revisions);
  }

  /** Rebuilds the rule set if its sources changed and caches it; then the parts that follow the rules catch up. */
  async #apply(starting: boolean): Promise<void> {
    const inputs = this.#inputs();
    let rulesChanged = false;
    if (!this.#built || this.#built.fingerprint !== sourcesFingerprint(inputs)) {
      const built = buildSources(inputs);
      const lint = viewsLint(built);
      this.#built = { ...built, lint };
      // The same sources usable and unusable are different rule sets (the tabs are decided again).
      const key = rulesKey(built.guarded) + (built.unavailable[0] ? '!' : '');
      // Why the rules are unavailable may change (a new sync error) while the rules stay the same.
      this.unavailable = built.unavailable;
      const inForceLint: LintBySource = Object.fromEntries(lint.filter((entry) => entry.inForce).map((entry) => [entry.name, entry.lint]));
      this.#lint = lintLookupOf(inForceLint);
      if (built.managedToStore) {
        const at = `${built.managedToStore.at}`;
        this.#managedLastGood = built.managedToStore;
        await bestEffort(
          'managed last good write',
          this.#deps.area.set({ [STORAGE_KEYS.managedLastGood]: built.managedToStore, [REVISION_KEYS.managedLastGood]: at }),
        );
        this.#revisions[REVISION_KEYS.managedLastGood] = at;
      }
      // The same rules (e.g. the first full load after a wake-up from the cache) keep the same rule set: no re-decisions.
      if (key !== this.#rulesKey) {
        this.#readableSet = buildRuleSet(built.guarded);
        this.#rulesKey = key;
        rulesChanged = true;
      }
      const validUntil = cacheValidUntil(this.#syncState, this.#settingsValue);
      await bestEffort(
        'rules cache write',
        storeRulesCache(this.#deps.area, rulesCacheEntries(this.#quickStamp(), validUntil, key, this.ruleSet, inForceLint)),
      );
    }
    await this.#scheduleExpiry();
    await this.#deps.onApplied({ starting, rulesChanged });
  }

  /** With a maximum rule age, the rules stop being used at a known time: wake up then. */
  async #scheduleExpiry(): Promise<void> {
    const until = cacheValidUntil(this.#syncState, this.#settingsValue);
    if (until === null) {
      await browser.alarms.clear(EXPIRY_ALARM);
      return;
    }
    await browser.alarms.create(EXPIRY_ALARM, { when: Math.max(until + 1_000, Date.now() + 30_000) });
  }
}
