import type { GuardMode } from '../config/index';
import type { NormalizedRule, RuleSet } from '../engine/index';
import { bestEffort } from './best-effort';
import { applyGuard, guardFingerprint, type AppliedGuard } from './guard-apply';
import { GUARD_STATE_KEY } from './wake-up/index';
import { alignNetworkPrediction } from './network-prediction';
import type { DnrApi } from './platform';
import type { PredictionSetting } from '../shared/network-prediction';
import type { QueuedArea } from './write-queue';

export interface GuardDeps {
  area: QueuedArea;
  dnr: DnrApi | null;
  prediction: PredictionSetting | null;
  /** The guard page's fixed address (platform.ts guardPageBase). */
  page: string;
}

/**
 * The guard's browser rules: they follow the deny rules and the guard mode.
 * Work is queued, never parallel; what was put in the browser is stored, so a
 * restarted worker with the same rules and mode has nothing to redo.
 */
export class GuardController {
  #applied: AppliedGuard | null = null;
  #chain: Promise<void> = Promise.resolve();

  readonly #deps: GuardDeps;

  constructor(deps: GuardDeps) {
    this.#deps = deps;
  }

  /** What storage says the guard last put in the browser (read with the wake-up's other small keys). */
  restore(stored: unknown): void {
    this.#applied = (stored as AppliedGuard | undefined) ?? null;
  }

  get appliedState(): AppliedGuard | null {
    return this.#applied;
  }

  /**
   * Brings the browser's rules in line with `mode` and the deny rules of
   * `readable` (the rules that can be read: with the rule set unusable, the
   * deny rules that can be read stay guarded).
   */
  follow(mode: GuardMode, readable: RuleSet | null): void {
    // A failed step is logged and the queue goes on: the next change applies afresh.
    this.#chain = this.#chain.then(() => bestEffort('guard', this.#apply(mode, readable))).then(() => undefined);
  }

  async #apply(mode: GuardMode, readable: RuleSet | null): Promise<void> {
    const { dnr, page } = this.#deps;
    // Every time, not only when the rules change: one read when nothing is to be done (network-prediction.ts).
    await alignNetworkPrediction(this.#deps.prediction, mode !== 'off');
    // With the guard off no rule is needed: a wake-up makes no rule objects for it
    // (a rule set loaded from the cache makes them on demand).
    const denyRules = mode === 'off' ? [] : denyRulesOf(readable);
    const fingerprint = guardFingerprint(mode, denyRules, page);
    if (this.#applied?.fingerprint === fingerprint && this.#applied.error === null) return;
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
      applied = unapplied(error instanceof Error ? error.message : String(error));
    }
    this.#applied = applied;
    await this.#deps.area.set({ [GUARD_STATE_KEY]: applied });
  }

  /** Waits until the guard's browser rules match the latest `follow`. */
  settled(): Promise<void> {
    return this.#chain;
  }

  /** The fingerprint the browser's rules have once they follow `mode` and `readable`. */
  fingerprint(mode: GuardMode, readable: RuleSet | null): string {
    return guardFingerprint(mode, mode === 'off' ? [] : denyRulesOf(readable), this.#deps.page);
  }
}

/** The rules the guard turns into browser rules: every noCertificate rule in force. */
function denyRulesOf(ruleSet: RuleSet | null): NormalizedRule[] {
  return (ruleSet?.sources ?? []).flatMap((source) => source.rules).filter((rule) => rule.action === 'noCertificate');
}
