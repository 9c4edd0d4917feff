// What a wake-up reads and what it keeps for the next one: the storage keys
// read first (keys.ts), the reads asked for before the rest of the worker is
// evaluated (early-reads.ts: index.ts imports that file directly, first), the
// compiled rules with the stamp that says whether they are current
// (rules-cache.ts), and the lint of those rules in pieces (lint-pieces.ts).
export { takeEarlyReads, type EarlyReads } from './early-reads';
export { GUARD_STATE_KEY, QUICK_KEYS, REVISION_KEYS, RULES_CACHE_KEY, RULES_LINT_KEY, SYNC_CONFIG_KEY } from './keys';
export { lintLookupOf, storedLintLookup, type LintBySource, type LintLookup } from './lint-pieces';
export { cacheStamp, cacheValidUntil, readRulesCache, rulesCacheEntries, rulesKey, storeRulesCache, type RulesCache } from './rules-cache';
