import type { EffectiveSettings } from '../config/index';
import { decodeSources, type CompiledSource, type Finding } from '../engine/index';
import type { SyncState } from '../sync/index';
import { hash } from './rule-sources';

/** storage.local: the rules in force, compiled, as one compact string (engine encodeSources). */
export const RULES_CACHE_KEY = 'rulesCache';

/**
 * storage.local: a new value is written together with (in the same set call as)
 * the source it stands for, so a wake-up can tell whether the cache is current
 * without reading the sources themselves.
 */
export const REVISION_KEYS = {
  sync: 'syncStateRevision',
  localRules: 'localRulesRevision',
  managedLastGood: 'managedLastGoodRevision',
} as const;

export interface RulesCache {
  version: 1;
  /** cacheStamp() of what the rules were built from. */
  stamp: string;
  /** When the synced rules pass the maximum rule age (epoch ms), or null. */
  validUntil: number | null;
  text: string;
  /** hash(text): the codec catches a missing line, not a line cut short. */
  checksum: string;
  /** Lint of each source in force, by source name. */
  lint: Record<string, Finding[]>;
}

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

export function rulesCache(stamp: string, validUntil: number | null, text: string, lint: Record<string, Finding[]>): RulesCache {
  return { version: 1, stamp, validUntil, text, checksum: hash(text), lint };
}

/** The cached sources when the cache is current, else null (then the sources are read and compiled). */
export function readRulesCache(cache: unknown, stamp: string, now: number): { sources: CompiledSource[]; lint: Record<string, Finding[]> } | null {
  if (!cache || typeof cache !== 'object') return null;
  const entry = cache as Partial<RulesCache>;
  if (entry.version !== 1 || entry.stamp !== stamp || typeof entry.text !== 'string' || entry.checksum !== hash(entry.text)) return null;
  if (typeof entry.validUntil === 'number' && now >= entry.validUntil) return null;
  const decoded = decodeSources(entry.text);
  if (!decoded.ok) return null;
  return { sources: decoded.value, lint: entry.lint && typeof entry.lint === 'object' ? entry.lint : {} };
}
