import { describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource, decide } from '../../../src/engine/index';
import { compilePolicy, type PolicyOptions } from '../../../src/engine/policy/index';
import { chromeChoice, loadPolicy, type ModelCertificate } from './chrome-model';

const A = 'useEnrollmentCertificate';
const D = 'noCertificate';
const CERT: ModelCertificate = {
  issuer: { CN: 'Test Enrollment CA', L: '', O: [], OU: [] },
  subject: { CN: 'device-1', L: '', O: [], OU: [] },
};

function compile(raw: unknown[], options: PolicyOptions = {}) {
  const ruleSet = buildRuleSet([compileSource('file', raw)]);
  return { ruleSet, policy: compilePolicy(ruleSet, { filter: { issuer: { CN: 'Test Enrollment CA' } }, ...options }) };
}

/** URLs on which Chrome (the model) auto-selects although the engine says no. */
function violations(raw: unknown[], urls: readonly string[], options: PolicyOptions = {}): string[] {
  const { ruleSet, policy } = compile(raw, options);
  const model = loadPolicy(policy.entries);
  return urls.filter((url) => chromeChoice(model, url, CERT).autoSelect && decide(ruleSet, url).decision !== 'useEnrollmentCertificate');
}

describe('compilePolicy edge cases', () => {
  it('a glob whose stars left out would leave an empty label is not written as a pattern with one', () => {
    const raw = [{ host: '*.pay.*.acme.com', action: A }];
    const { policy } = compile(raw);
    expect(policy.entries.join()).not.toContain('..');
    expect(policy.report[0]).toMatchObject({ outcome: 'not-expressible' });
    expect(violations(raw, ['https://pay..acme.com/', 'https://x.pay..acme.com/', 'https://x.pay.y.acme.com/'])).toEqual([]);
  });
});
