import type { ReportedRule } from '../engine/index';
import { splitCandidate, toDnrRule, type GuardCandidate, type GuardDnrRule } from './guard-plan';

/** What the browser says about one regex (declarativeNetRequest.isRegexSupported). */
export type RegexCheck = { ok: true } | { ok: false; reason: string };

export interface GuardFitOptions {
  /** Absolute URL of the guard page (runtime.getURL). */
  guardPage: string;
  /** declarativeNetRequest.MAX_NUMBER_OF_REGEX_RULES (1,000 in Chrome, shared by dynamic and session rules). */
  maxRegexRules: number;
  firstId?: number;
  /** Absent when the browser cannot check a regex before adding it: every candidate is then taken as is. */
  isSupported?: ((regex: string) => Promise<RegexCheck>) | undefined;
}

export interface NotFitted {
  rule: ReportedRule;
  /** regex-limit: over the browser's number of regex rules; regex-unsupported: the browser refused the expression (e.g. memoryLimitExceeded). */
  reason: 'regex-limit' | 'regex-unsupported';
  detail: string;
}

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
  let id = options.firstId ?? 1;
  while (queue.length > 0) {
    const candidate = queue.shift() as GuardCandidate;
    if (rules.length >= options.maxRegexRules) {
      for (const rule of candidate.members) {
        notFitted.push({ rule, reason: 'regex-limit', detail: `the browser allows at most ${options.maxRegexRules} regular-expression rules` });
      }
      continue;
    }
    const check = options.isSupported ? await options.isSupported(candidate.regex) : ({ ok: true } as const);
    if (check.ok) {
      rules.push(toDnrRule(candidate, id, options.guardPage));
      members.set(id, candidate.members);
      id++;
      continue;
    }
    const halves = splitCandidate(candidate);
    if (halves) {
      queue.unshift(...halves);
      continue;
    }
    for (const rule of candidate.members) {
      notFitted.push({ rule, reason: 'regex-unsupported', detail: `the browser refused the expression for "${rule.host}" port ${rule.port} (${check.reason})` });
    }
  }
  return { rules, members, notFitted };
}
