import { rulesCacheEntries as realEntries, type LintBySource } from '../../../src/background/rules-cache';

/**
 * Benchmark only (the cold-start script's naive variant): the background as
 * it would be without the compiled-rules cache. Every wake-up finds no usable
 * cache, so it reads the raw rules and compiles them; and it writes only a
 * stub, so the naive variant is not charged for storing a cache it never reads.
 */
export * from '../../../src/background/rules-cache';

export async function readRulesCache(): Promise<null> {
  return null;
}

export function rulesCacheEntries(stamp: string, validUntil: number | null, key: string, _ruleSet: unknown, _lint: LintBySource): ReturnType<typeof realEntries> {
  return realEntries(stamp, validUntil, key, null, {});
}
