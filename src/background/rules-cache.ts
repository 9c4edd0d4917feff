import type { EffectiveSettings } from '../config/index';
import { decodeSources, type CompiledSource, type Finding } from '../engine/index';
import type { SyncState } from '../sync/index';
import { hash } from './rule-sources';

import { REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY } from './local-keys';

export { REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY } from './local-keys';

export interface RulesCache {
  version: 2;
  /** cacheStamp() of what the rules were built from. */
  stamp: string;
  /** When the synced rules pass the maximum rule age (epoch ms), or null. */
  validUntil: number | null;
  text: string;
  /** hash(text): the codec catches a missing line, not a line cut short. */
  checksum: string;
}

/** Lint of each source in force, by source name, for the cache with this checksum. */
export interface RulesLint {
  checksum: string;
  json: string;
}

export type LintBySource = Record<string, Finding[]>;

/**
 * Everything the rules in force depend on, cheaply: the policy's rules and
 * what it allows local rules to do, the maximum rule age, and the revisions
 * written with the synced state, the local rules and the managed last good.
 */
export function cacheStamp(settings: EffectiveSettings, revisions: Record<string, string>): string {
  const values = settings.values;
  return hash(JSON.stringify([values.rules, values.localRules, values.maxRuleAgeHours, Object.values(REVISION_KEYS).map((key) => revisions[key] ?? '')]));
}

/** The moment the synced rules stop being usable (maximum rule age), when they are in force with an age limit. */
export function cacheValidUntil(state: SyncState | null, settings: EffectiveSettings): number | null {
  const hours = settings.values.maxRuleAgeHours;
  const lastGood = state?.lastGood;
  if (!lastGood || hours <= 0) return null;
  const until = Date.parse(lastGood.confirmedAt) + hours * 3_600_000;
  // Already past: the rules are out, and time will not bring them back.
  return Number.isFinite(until) && until > Date.now() ? until : null;
}

/** What to store (in one set call): the cache and the lint that belongs to it. */
export function rulesCacheEntries(stamp: string, validUntil: number | null, text: string, lint: LintBySource): { [RULES_CACHE_KEY]: RulesCache; [RULES_LINT_KEY]: RulesLint } {
  const checksum = hash(text);
  return {
    [RULES_CACHE_KEY]: { version: 2, stamp, validUntil, text, checksum },
    [RULES_LINT_KEY]: { checksum, json: JSON.stringify(lint) },
  };
}

/** The cached sources (and the checksum their lint is stored under) when the cache is current, else null (then the sources are read and compiled). */
export function readRulesCache(cache: unknown, stamp: string, now: number): { sources: CompiledSource[]; checksum: string } | null {
  if (!cache || typeof cache !== 'object') return null;
  const entry = cache as Partial<RulesCache>;
  if (entry.version !== 2 || entry.stamp !== stamp || typeof entry.text !== 'string' || entry.checksum !== hash(entry.text)) return null;
  if (typeof entry.validUntil === 'number' && now >= entry.validUntil) return null;
  const decoded = decodeSources(entry.text, { verified: true });
  if (!decoded.ok) return null;
  return { sources: decoded.value, checksum: entry.checksum };
}

/**
 * The stored lint when it belongs to the cache with this checksum, else null.
 * Lint only explains rules (it never changes a decision), so anything
 * unreadable is dropped rather than failing the rules.
 */
export function readRulesLint(stored: unknown, checksum: string): LintBySource | null {
  if (!stored || typeof stored !== 'object') return null;
  const entry = stored as Partial<RulesLint>;
  if (entry.checksum !== checksum || typeof entry.json !== 'string') return null;
  let lint: unknown;
  try {
    lint = JSON.parse(entry.json);
  } catch {
    return null;
  }
  if (!lint || typeof lint !== 'object' || Array.isArray(lint)) return null;
  const valid = Object.values(lint).every((findings) => Array.isArray(findings) && findings.every(isFinding));
  return valid ? (lint as LintBySource) : null;
}

function isFinding(value: unknown): value is Finding {
  const finding = value as Partial<Finding> | null;
  return typeof finding === 'object' && finding !== null && typeof finding.index === 'number' && typeof finding.message === 'string' && typeof finding.code === 'string';
}
