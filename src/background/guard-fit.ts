import type { ReportedRule } from '../engine/index';
import type { GuardGap } from '../shared/status';
import { splitCandidate, toDnrRule, type GuardCandidate, type GuardDnrRule } from './guard-plan';

/** What the browser says about one regex: declarativeNetRequest.isRegexSupported's answer, as it gives it. */
export interface RegexCheck {
  isSupported: boolean;
  reason?: string;
}

export interface GuardFitOptions {
  /** Absolute URL of the guard page (runtime.getURL). */
  guardPage: string;
  /** declarativeNetRequest.MAX_NUMBER_OF_REGEX_RULES (1,000 in Chrome, shared by dynamic and session rules). */
  maxRegexRules: number;
  /** Absent when the browser cannot check a regex before adding it: every candidate is then taken as is. */
  isSupported?: ((regex: string) => Promise<RegexCheck>) | undefined;
}

/**
 * A deny rule left out, as the status shows it. reason regex-limit: over the
 * browser's number of regex rules; regex-unsupported: the browser refused the
 * expression (e.g. memoryLimitExceeded).
 */
export type NotFitted = GuardGap & { reason: 'regex-limit' | 'regex-unsupported' };

export interface GuardFit {
  rules: GuardDnrRule[];
  /** Which deny rules each DNR rule stands for, by DNR rule id. */
  members: Map<number, ReportedRule[]>;
  notFitted: NotFitted[];
}

/**
 * Turns candidates into DNR rules within the browser's limits: a group the
 * browser refuses is split in halves until each part fits; a single pattern it
 * refuses, and everything past the regex budget, is reported, never dropped
 * silently. Earlier rules win the budget.
 */
export async function fitGuardCandidates(candidates: readonly GuardCandidate[], options: GuardFitOptions): Promise<GuardFit> {
  const queue = [...candidates];
  const rules: GuardDnrRule[] = [];
  const members = new Map<number, ReportedRule[]>();
  const notFitted: NotFitted[] = [];
  let id = 1;
  const leaveOut = (candidate: GuardCandidate, reason: NotFitted['reason'], message: string) => {
    for (const { source, index, host, port } of candidate.members) notFitted.push({ source, index, host, port, reason, message });
  };
  while (queue.length > 0) {
    const candidate = queue.shift() as GuardCandidate;
    if (rules.length >= options.maxRegexRules) {
      leaveOut(candidate, 'regex-limit', `the browser allows at most ${options.maxRegexRules} regular-expression rules`);
      continue;
    }
    const check = (await options.isSupported?.(candidate.regex)) ?? { isSupported: true };
    if (check.isSupported) {
      rules.push(toDnrRule(candidate, id, options.guardPage));
      members.set(id, candidate.members);
      id++;
      continue;
    }
    const halves = splitCandidate(candidate);
    if (halves) queue.unshift(...halves);
    else leaveOut(candidate, 'regex-unsupported', `the browser refused its expression (${check.reason ?? 'not supported'})`);
  }
  return { rules, members, notFitted };
}
