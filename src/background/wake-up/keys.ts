import { STORAGE_KEYS } from '../../shared/storage-keys';

// The background's own storage.local keys, in a module that imports nothing
// heavy: early-reads.ts needs them before the rest of the worker is evaluated.

/** storage.local: the rules in force, compiled (rules-cache.ts). */
export const RULES_CACHE_KEY = 'rulesCache';
/**
 * storage.local: the lint of the rules in the cache (lint-pieces.ts), written
 * in the same set call: the list of its pieces here, each piece at
 * `<this key>:<source>:<n>`. Never read at wake-up: a request that shows lint
 * reads the one piece it needs.
 */
export const RULES_LINT_KEY = 'rulesCacheLint';

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

/** storage.local: what the guard last put in the browser (so a restarted worker need not redo it). */
export const GUARD_STATE_KEY = STORAGE_KEYS.guardState;
/** storage.local: the console the last sync was started for, without secrets (sync-config.ts). */
export const SYNC_CONFIG_KEY = 'syncConfig';

/** What a wake-up reads: the small keys and the compiled-rules cache — never the raw rule arrays. */
export const QUICK_KEYS: readonly string[] = [
  STORAGE_KEYS.localSettings,
  GUARD_STATE_KEY,
  RULES_CACHE_KEY,
  STORAGE_KEYS.syncSummary,
  SYNC_CONFIG_KEY,
  ...Object.values(REVISION_KEYS),
];
