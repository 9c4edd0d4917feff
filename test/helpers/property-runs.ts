/**
 * How hard the property tests search. The run counts written in the tests
 * are what CI and `npm test` run; TEST_DEPTH=deep multiplies every count (and
 * the time a property test may take) by DEEP_FACTOR for a longer search on
 * a quiet machine (docs/testing.md). Any other value is an error: a typo
 * must not run the short search while claiming the long one.
 */
export const DEEP_FACTOR = 10;

export function depthFactor(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const depth = env['TEST_DEPTH'];
  if (depth === undefined || depth === '' || depth === 'default') return 1;
  if (depth === 'deep') return DEEP_FACTOR;
  throw new Error(`TEST_DEPTH must be "default" or "deep", not "${depth}"`);
}

/** The runs of one property: `runs` by default, DEEP_FACTOR times as many under TEST_DEPTH=deep. */
export function propertyRuns(runs: number): number {
  return runs * depthFactor();
}

/** The time a property test may take, grown with its runs. */
export function propertyTimeout(ms: number): number {
  return ms * depthFactor();
}
