import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource, decide } from '../../src/engine/index';
import { hostArb, portNumberArb, ruleArb, targetArb, urlOf } from '../helpers/arbitraries';
import { createNaiveMatcher, naiveDecideUrl, naiveNormalize } from '../helpers/naive-matcher.mjs';
import { propertyRuns, propertyTimeout } from '../helpers/property-runs';

/** The engine against the naive reference of test/helpers/naive-matcher.mjs, from the rules as written to the decision for a URL. */
describe('differential test against a naive RegExp reference', () => {
  it(
    'agrees on at least 10,000 random rule-set/URL pairs',
    () => {
      const reasons: Record<string, number> = {};
      let pairs = 0;
      const manyRules = fc.array(ruleArb, { minLength: 0, maxLength: 25 });
      // Targets are drawn partly from the rules' own literal text so that matches are common.
      const targets = (rules: { host: string }[]) =>
        rules.length === 0
          ? targetArb
          : fc.oneof(
              targetArb,
              fc.record({
                host: fc.tuple(fc.constantFrom(...rules.map((rule) => rule.host)), hostArb).map(([pattern, filler]) => pattern.replace(/\*/g, () => filler)),
                port: portNumberArb,
              }),
            );
      fc.assert(
        fc.property(
          manyRules.chain((rules) => fc.tuple(fc.constant(rules), fc.array(targets(rules), { minLength: 5, maxLength: 5 }))),
          ([rules, urls]) => {
            const ruleSet = buildRuleSet([compileSource('file', rules)]);
            const naive = createNaiveMatcher(rules.map(naiveNormalize));
            for (const target of urls) {
              const url = urlOf(target);
              if (!URL.canParse(url)) continue;
              pairs += 1;
              const ours = decide(ruleSet, url);
              const expected = naiveDecideUrl(naive, url);
              reasons[expected.reason] = (reasons[expected.reason] ?? 0) + 1;
              expect({ decision: ours.decision, reason: ours.reason, rule: ours.rule?.index ?? null }).toEqual(expected);
            }
          },
        ),
        { numRuns: propertyRuns(2_500) },
      );
      console.log(`differential: ${pairs} rule-set/URL pairs compared, 0 disagreements (${JSON.stringify(reasons)})`);
      expect(pairs).toBeGreaterThanOrEqual(propertyRuns(10_000));
      // The table must exercise every outcome, or agreement would prove little.
      expect(reasons['allow-rule']).toBeGreaterThan(500);
      expect(reasons['deny-rule']).toBeGreaterThan(500);
      expect(reasons['no-match']).toBeGreaterThan(500);
    },
    propertyTimeout(120_000),
  );
});
