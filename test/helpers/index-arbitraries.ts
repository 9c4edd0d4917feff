import fc from 'fast-check';
import type { Action, NormalizedRule } from '../../src/engine/model';

// Rule sets and targets for the rule index's tests (test/engine/rule-index*.test.ts).
// A small alphabet of labels so that hosts, suffixes and stars overlap a lot.
const labelArb = fc.constantFrom('a', 'b', 'ab', 'ba', 'acme', 'cme', 'me', 'com', 'co', 'x-y', 'a-b', '_s', '1', '10', 'xn--z', 'evilacme');
const hostArb = fc.array(labelArb, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));

/** Replaces up to three random stretches of a host with `*`: stars land in every position. */
const starredArb = fc.tuple(hostArb, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 })), { maxLength: 3 })).map(([host, cuts]) => {
  let pattern = host;
  for (const [at, width] of cuts) {
    const from = at % (pattern.length + 1);
    pattern = `${pattern.slice(0, from)}*${pattern.slice(from + width)}`;
  }
  return pattern.replace(/\*{2,}/g, '*');
});

const hostPatternArb = fc.oneof(
  { arbitrary: hostArb, weight: 4 },
  { arbitrary: hostArb.map((host) => `*.${host}`), weight: 3 },
  { arbitrary: hostArb.map((host) => `*${host}`), weight: 2 },
  { arbitrary: hostArb.map((host) => `${host}.*`), weight: 1 },
  { arbitrary: starredArb, weight: 4 },
  { arbitrary: fc.constant('*'), weight: 1 },
);
const portPatternArb = fc.constantFrom('443', '443', '8443', '80', '*', '*443', '8*', '4*3', '*4*', '1*', '44*3');
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.constant<Action>('useEnrollmentCertificate'), weight: 3 },
  { arbitrary: fc.constant<Action>('noCertificate'), weight: 2 },
);
export const indexRulesArb = fc
  .array(fc.tuple(hostPatternArb, portPatternArb, actionArb), { minLength: 0, maxLength: 40 })
  .map((triples) => triples.map(([host, port, action], index): NormalizedRule => ({ source: 'file', index, host, port, action })));

const portArb = fc.constantFrom('443', '443', '8443', '80', '10443', '4443', '1', '4413', '8080');
/** Hosts drawn from the rules' own text (stars filled in) as often as at random, so matches are common. */
export const targetsArb = (rules: readonly NormalizedRule[]) => {
  const fillerArb = fc.constantFrom('', 'a', '.', 'x.', 'evil', 'b.c', '-');
  const derived =
    rules.length === 0
      ? hostArb
      : fc.tuple(fc.constantFrom(...rules.map((rule) => rule.host)), fc.array(fillerArb, { minLength: 4, maxLength: 4 })).map(([pattern, fillers]) => {
          let n = 0;
          return pattern.replace(/\*/g, () => fillers[n++ % fillers.length] ?? '');
        });
  const host = fc.oneof(hostArb, derived, derived);
  return fc.array(fc.record({ host, port: portArb }), { minLength: 6, maxLength: 6 });
};
/** A rule set and six targets drawn for it. */
export const rulesWithTargetsArb = indexRulesArb.chain((rules) => fc.tuple(fc.constant(rules), targetsArb(rules)));
