import { readRulesCache as realRead, rulesCacheEntries as realEntries } from '../../../src/background/wake-up/rules-cache';

/**
 * Benchmark only (the cold-start script's naive variant): the background as
 * it would be without the compiled-rules cache. Every wake-up finds no usable
 * cache, so it reads the raw rules and compiles them; and it writes only a
 * stub, so the naive variant is not charged for storing a cache it never reads.
 */
export * from '../../../src/background/wake-up/rules-cache';

// Typed as the real ones: a stand-in that drifts from them fails the typecheck, not the benchmark.
export const readRulesCache: typeof realRead = () => null;

export const rulesCacheEntries: typeof realEntries = (stamp, validUntil, key) => realEntries(stamp, validUntil, key, null, {});
