import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, globMatches } from '../../../src/engine/index';
import { portTypes } from '../../../src/engine/policy/index';
import { propertyRuns } from '../../helpers/property-runs';

/** Which globs match a port, as the engine says. */
function vectorOf(globs: readonly string[], port: number): string {
  const text = String(port);
  return globs.flatMap((glob, i) => (globMatches(compileGlob(glob), text) ? [i] : [])).join();
}

/** Port globs as the rules normalise them: digits and single stars, no leading zero without a star. */
const portGlob = fc
  .array(fc.oneof(fc.constantFrom('*'), fc.integer({ min: 0, max: 9 }).map(String)), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join('').replace(/\*+/g, '*'))
  .map((glob) => (glob.includes('*') ? glob : String(Math.min(65535, Math.max(1, Number(glob))))));

describe('port kinds', () => {
  it('every kind among 1–65535, each with its least port, for any port globs', () => {
    fc.assert(
      fc.property(fc.uniqueArray(portGlob, { minLength: 1, maxLength: 6 }), (globs) => {
        const least = new Map<string, number>();
        for (let port = 1; port <= 65535; port += 1) {
          const key = vectorOf(globs, port);
          if (!least.has(key)) least.set(key, port);
        }
        const found = portTypes(globs).map((type) => [type.matches.join(), Number(type.witness)] as const);
        expect(new Map(found)).toEqual(least);
        // In the order of their least port.
        expect(found.map(([, port]) => port)).toEqual([...least.values()].sort((a, b) => a - b));
      }),
      { numRuns: propertyRuns(25) },
    );
  });

  it('thousands of port globs open at the left (*443, *17) and distinct ports: every kind, in bounded work', () => {
    const globs = [
      ...Array.from({ length: 2500 }, (_, i) => String(1 + ((i * 7919) % 65535))),
      ...Array.from({ length: 900 }, (_, i) => `*${i}`),
      ...Array.from({ length: 60 }, (_, i) => `${i + 1}*`),
      ...Array.from({ length: 90 }, (_, i) => `${1 + (i % 9)}*${i % 10}`),
      '1*2*3',
      '*',
    ];
    const types = portTypes([...new Set(globs)]);
    const unique = [...new Set(globs)];
    const kinds = new Map(types.map((type) => [type.matches.join(), Number(type.witness)]));
    for (let port = 1; port <= 65535; port += 89) {
      const witness = kinds.get(vectorOf(unique, port));
      expect(witness, `port ${port}`).toBeDefined();
      expect(witness!).toBeLessThanOrEqual(port);
    }
    expect(kinds.get(vectorOf(unique, 443))).toBe(443);
    expect(kinds.get(vectorOf(unique, 12003))).toBeLessThanOrEqual(12003);
  });
});
