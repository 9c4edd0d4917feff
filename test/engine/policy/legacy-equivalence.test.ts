import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource } from '../../../src/engine/index';
import { compilePolicy, type CertFilter } from '../../../src/engine/policy/index';
import { compilePolicy as legacyCompilePolicy } from './legacy/compile-policy';
import { propertyRuns, propertyTimeout } from '../../helpers/property-runs';

// The compiler before its walk was shared by region and its checks indexed by
// glob, kept here only to show that both give the very same policy and report.
const DOMAINS = ['acme.com', 'mail.acme.com', 'a.acme.com', 'b.a.acme.com', 'evilacme.com', 'acme.org', 'com', 'x1.org', 'pay.a.acme.com'];
const HOST = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom('', '', '*.', '*', 'mail*.', 'x*', '*.a*.', 'www.', 'pay.', '*.pay.*.', 'a-*.', '*.mail.'), fc.constantFrom(...DOMAINS))
      .map(([prefix, domain]) => prefix + domain),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '*',
      'mail*',
      '*.acme.*',
      'a*m*.com',
      '10.0.0.1',
      '10.*',
      '10.0.*',
      '*.1',
      '::1',
      'fe80::*',
      'fe80::1',
      '01.2.3.4',
      '*.3.4',
      'x*y',
      '*x*',
    ),
  },
);
const RULE = fc.record({
  host: HOST,
  port: fc.constantFrom<unknown>(undefined, '', '443', '8443', '*', '*443', '80', '44*', 443),
  action: fc.constantFrom('useEnrollmentCertificate', 'useEnrollmentCertificate', 'noCertificate'),
});
const PORTS = fc.option(fc.subarray(['443', '8443', '80', '10443', '1443'], { minLength: 1 }), { nil: null });
const FILTERS: CertFilter[] = [{}, { issuer: { CN: 'Test Enrollment CA' } }];

function sameAsLegacy(maxLength: number) {
  let compared = 0;
  const property = fc.property(fc.array(RULE, { minLength: 0, maxLength }), PORTS, fc.constantFrom(...FILTERS), (raw, ports, filter) => {
    const source = compileSource('file', raw);
    fc.pre(source.accepted);
    const ruleSet = buildRuleSet([source]);
    const ours = compilePolicy(ruleSet, { filter, ports });
    const theirs = legacyCompilePolicy(ruleSet, { filter, ports });
    compared += 1;
    if (!isDeepStrictEqual(ours, theirs)) expect(ours).toEqual(theirs);
  });
  return { property, compared: () => compared };
}

describe('the policy compiler against its earlier version', () => {
  it(
    'gives the same entries, report and notes on random rule sets of up to 12 rules',
    () => {
      const check = sameAsLegacy(12);
      fc.assert(check.property, { numRuns: propertyRuns(1_000) });
      console.log(`legacy equivalence: ${check.compared()} rule sets of up to 12 rules compared`);
      expect(check.compared()).toBeGreaterThanOrEqual(propertyRuns(900));
    },
    propertyTimeout(300_000),
  );

  it(
    'and of up to 60 rules',
    () => {
      const check = sameAsLegacy(60);
      fc.assert(check.property, { numRuns: propertyRuns(60) });
      console.log(`legacy equivalence: ${check.compared()} rule sets of up to 60 rules compared`);
      expect(check.compared()).toBeGreaterThanOrEqual(propertyRuns(50));
    },
    propertyTimeout(300_000),
  );
});
