import type { GuardMode } from '../config/index';
import type { NormalizedRule } from '../engine/index';
import type { GuardGap, GuardStatus } from '../shared/status';
import { fitGuardCandidates } from './guard-fit';
import { planGuardCandidates } from './guard-plan';
import type { DnrApi } from './platform';
import { hash } from './rule-sources';

/** Chrome's documented value, for a browser that does not expose the constant. */
export const DEFAULT_MAX_REGEX_RULES = 1000;
export const BYPASS_RULE_PRIORITY = 2;

/** What was last applied (kept in storage.local so a restarted worker does not redo it). */
export interface AppliedGuard {
  fingerprint: string;
  mode: GuardMode;
  browserRules: number;
  denyRulesCovered: number;
  denyRulesTotal: number;
  notFitted: GuardGap[];
  error: string | null;
}

export function guardFingerprint(mode: GuardMode, denyRules: readonly NormalizedRule[], guardPage: string): string {
  if (mode === 'off') return 'off';
  return hash(`${mode}\n${guardPage}\n${denyRules.map((rule) => `${rule.source}:${rule.index}:${rule.host}:${rule.port}`).join('\n')}`);
}

/**
 * Puts the guard's redirect rules in the browser's dynamic rule set: all of
 * them replaced in one updateDynamicRules call, so there is never a moment with
 * half a rule set. `off` removes them and the session "continue" rules.
 * The dynamic rule set holds nothing but guard rules.
 */
export async function applyGuard(dnr: DnrApi, mode: GuardMode, denyRules: readonly NormalizedRule[], guardPage: string): Promise<AppliedGuard> {
  const fingerprint = guardFingerprint(mode, denyRules, guardPage);
  const removeRuleIds = (await dnr.getDynamicRules()).map((rule) => rule.id);
  // `off`: no rules, and every old one removed in the same call.
  const fit =
    mode === 'off'
      ? { rules: [], notFitted: [] }
      : await fitGuardCandidates(planGuardCandidates(denyRules), {
          guardPage,
          maxRegexRules: dnr.MAX_NUMBER_OF_REGEX_RULES ?? DEFAULT_MAX_REGEX_RULES,
          isSupported: dnr.isRegexSupported && ((regex) => dnr.isRegexSupported!({ regex, isCaseSensitive: false, requireCapturing: true })),
        });
  await dnr.updateDynamicRules({ removeRuleIds, addRules: fit.rules });
  if (mode !== 'warn') await clearBypasses(dnr);
  return {
    fingerprint,
    mode,
    browserRules: fit.rules.length,
    denyRulesCovered: denyRules.length - fit.notFitted.length,
    denyRulesTotal: denyRules.length,
    notFitted: fit.notFitted,
    error: null,
  };
}

/** The urlFilter that matches exactly one https origin (host and port) at the start of a URL. */
export function bypassFilter(url: URL): string {
  return `|https://${url.host}/`;
}

/**
 * `warn` → "continue to the site": an allow rule above the guard's redirect
 * rules, for this origin, in the session rule set (gone when the browser
 * closes). A urlFilter anchored at the start, not a regex: it must not use up
 * the regex budget the guard needs.
 */
export async function addBypass(dnr: DnrApi, url: URL): Promise<void> {
  const filter = bypassFilter(url);
  const rules = await dnr.getSessionRules();
  if (rules.some((rule) => rule.condition?.urlFilter === filter)) return;
  const id = rules.reduce((max, rule) => Math.max(max, rule.id), 0) + 1;
  await dnr.updateSessionRules({
    addRules: [{ id, priority: BYPASS_RULE_PRIORITY, action: { type: 'allow' }, condition: { urlFilter: filter, resourceTypes: ['main_frame'] } }],
  });
}

/**
 * Removes the "continue" rules (only those: the session rule set may hold
 * others); with `origin` (as bypassedOrigins lists it), only that origin's.
 */
export async function clearBypasses(dnr: DnrApi, origin?: string): Promise<void> {
  const ours = (await dnr.getSessionRules()).filter((rule) => isBypassRule(rule) && (!origin || rule.condition?.urlFilter === `|${origin}/`));
  if (ours.length > 0) await dnr.updateSessionRules({ removeRuleIds: ours.map((rule) => rule.id) });
}

function isBypassRule(rule: { condition?: { urlFilter?: string } }): boolean {
  const filter = rule.condition?.urlFilter ?? '';
  return filter.startsWith('|https://') && filter.endsWith('/');
}

export async function bypassedOrigins(dnr: DnrApi): Promise<string[]> {
  const rules = await dnr.getSessionRules();
  return rules.filter(isBypassRule).map((rule) => (rule.condition?.urlFilter ?? '').slice(1, -1));
}

export function guardStatusView(mode: GuardMode, applied: AppliedGuard | null, expectedFingerprint: string, bypassed: string[]): GuardStatus {
  return {
    mode,
    applied: applied !== null && applied.fingerprint === expectedFingerprint && applied.error === null,
    browserRules: applied?.browserRules ?? 0,
    denyRulesCovered: applied?.denyRulesCovered ?? 0,
    denyRulesTotal: applied?.denyRulesTotal ?? 0,
    notFitted: applied?.notFitted ?? [],
    bypassed,
    error: applied?.error ?? null,
  };
}
