import { describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource, decide } from '../../src/engine/index';
import { loadConformanceCases } from '../helpers/conformance';

const cases = loadConformanceCases();

describe('conformance table through the engine API', () => {
  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  for (const testCase of cases) {
    it(testCase.name, () => {
      const ruleSet = buildRuleSet([compileSource('file', testCase.rules)]);
      for (const check of testCase.checks) {
        const verdict = decide(ruleSet, check.url);
        expect({ url: check.url, decision: verdict.decision, reason: verdict.reason, rule: verdict.rule?.index ?? null }).toEqual(check);
        if (verdict.rule) expect(verdict.rule.source).toBe('file');
      }
    });
  }
});
