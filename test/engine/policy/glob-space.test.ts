import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, globMatches } from '../../../src/engine/index';
import { hostTypes, portTypes } from '../../../src/engine/policy/index';
import { propertyRuns, propertyTimeout } from '../../helpers/property-runs';

// The export's guarantees rest on this walk finding every kind of host, so it
// is checked against brute force: every string over a small alphabet up to a
// length, kept when the URL parser writes it unchanged as a host name.
const ALPHABET = ['a', 'c', 'x', '0', '1', '2', '5', '.'];

function* strings(maxLength: number): Generator<string> {
  let level = [''];
  for (let length = 1; length <= maxLength; length += 1) {
    const next: string[] = [];
    for (const prefix of level) for (const ch of ALPHABET) next.push(prefix + ch);
    yield* next;
    level = next;
  }
}

/**
 * Names the URL parser writes unchanged. Names with an empty label ("a..b",
 * ".a") are left out: the walk does not produce them, and it need not: no rule
 * glob or pattern form contains "..", so putting a letter no glob names into
 * the empty label changes no match (a star that took "" takes the letter).
 */
const isHost = (text: string) => {
  if (/^\.|\.\.|\.$/.test(text)) return false;
  try {
    return new URL(`https://${text}/`).hostname === text;
  } catch {
    return false;
  }
};

const VALID_HOSTS = [...strings(5)].filter(isHost);

/** A kind's matches (glob indexes) as one boolean per glob. */
const vector = (matches: readonly number[], count: number) => Array.from({ length: count }, (_, i) => matches.includes(i));

const GLOB = fc.array(fc.constantFrom('a', 'c', 'x', '0', '1', '.', '*'), { minLength: 1, maxLength: 5 }).map((chars) => chars.join('').replace(/\*+/g, '*'));

describe('glob space', () => {
  it(
    `finds every kind of host that brute force finds among ${VALID_HOSTS.length} short host names, with valid witnesses, each as short as any host of its kind`,
    () => {
      fc.assert(
        fc.property(fc.uniqueArray(GLOB, { minLength: 1, maxLength: 4 }), (globs) => {
          const compiled = globs.map(compileGlob);
          const types = hostTypes(globs);
          const found = new Map(types.map((type) => [vector(type.matches, globs.length).join(), type.witness]));
          for (const type of types) {
            expect(isHost(type.witness), type.witness).toBe(true);
            expect(compiled.map((glob) => globMatches(glob, type.witness))).toEqual(vector(type.matches, globs.length));
          }
          expect(types.map((type) => type.witness.length)).toEqual(types.map((type) => type.witness.length).sort((a, b) => a - b));
          for (const host of VALID_HOSTS) {
            const kind = compiled.map((glob) => globMatches(glob, host)).join();
            const witness = found.get(kind);
            if (witness === undefined) throw new Error(`host ${host} has a kind the walk missed (${kind}) for ${JSON.stringify(globs)}`);
            // Kinds come in the order of their shortest hosts, and each witness is one of them.
            if (witness.length > host.length) throw new Error(`the witness ${witness} of ${kind} is longer than ${host} for ${JSON.stringify(globs)}`);
          }
        }),
        { numRuns: propertyRuns(150) },
      );
    },
    propertyTimeout(120_000),
  );

  it('finds IPv4 addresses as a kind of their own and never a non-canonical one', () => {
    const types = hostTypes(['*.1', '1.*', '*']);
    const witnesses = types.map((type) => type.witness);
    expect(witnesses.every(isHost)).toBe(true);
    expect(types.find((type) => type.matches.includes(0) && type.matches.includes(1))?.witness).toMatch(/^1\.\d+\.\d+\.1$/);
  });

  it('ports: every kind among 1–65535', () => {
    const globs = ['443', '*443', '6*', '*5', '*'];
    const compiled = globs.map(compileGlob);
    const found = new Set(portTypes(globs).map((type) => vector(type.matches, globs.length).join()));
    const brute = new Set<string>();
    for (let port = 1; port <= 65535; port += 1) brute.add(compiled.map((glob) => globMatches(glob, String(port))).join());
    expect(found).toEqual(brute);
    for (const type of portTypes(globs)) expect(Number(type.witness)).toBeLessThanOrEqual(65535);
  });
});
