import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource } from '../../../src/engine/index';
import { compilePolicy, type CertFilter } from '../../../src/engine/policy/index';
import { EXPORT_MIXES, generateExportRules } from '../../../scripts/bench/export-data';
import { checkAgainstModel, describeCounts, newCounts, probeHosts } from './model-check';
import { propertyRuns, propertyTimeout } from '../../helpers/property-runs';

const FILTERS: CertFilter[] = [{}, { issuer: { CN: 'Test Enrollment CA' } }, { issuer: { O: 'Test Org', L: 'Zurich' }, subject: { OU: 'Devices' } }];

const DOMAINS = ['acme.com', 'mail.acme.com', 'a.acme.com', 'b.a.acme.com', 'evilacme.com', 'acme.org', 'com', 'x1.org'];
const HOST_PATTERNS = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(fc.constantFrom('', '*.', '*', 'mail*.', 'x*', '*.a*.'), fc.constantFrom(...DOMAINS)).map(([prefix, domain]) => prefix + domain),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('*', 'mail*', '*.acme.*', 'a*m*.com', '10.0.0.1', '10.*', '*.1', '::1', 'fe80::*', '01.2.3.4', 'ACME.com.', '*.3.4'),
  },
);
const PORT_PATTERNS = fc.constantFrom<unknown>(undefined, '', '443', '8443', '*', '*443', '80', '44*', 443);
const RULE = fc.record({
  host: HOST_PATTERNS,
  port: PORT_PATTERNS,
  action: fc.constantFrom('useEnrollmentCertificate', 'useEnrollmentCertificate', 'noCertificate'),
});
const PORTS_OPTION = fc.option(fc.subarray(['443', '8443', '80', '10443', '1443'], { minLength: 1 }), { nil: null });

const TEST_PORTS = ['443', '8443', '80', '10443'];

const small = newCounts();
const large = newCounts();

afterAll(() => {
  console.log(describeCounts('policy property', small));
  console.log(describeCounts('policy property, 2,000+ rules', large));
});

describe('compiled policy against the engine, judged by the Chrome model', () => {
  it(
    'never auto-selects where the engine says noCertificate, and reports every other difference',
    () => {
      fc.assert(
        fc.property(
          fc.array(RULE, { minLength: 1, maxLength: 6 }),
          PORTS_OPTION,
          fc.constantFrom(...FILTERS),
          fc.array(fc.tuple(fc.constantFrom(...DOMAINS), fc.constantFrom(...TEST_PORTS, '1443', '4')), { maxLength: 5 }),
          (raw, ports, filter, extra) => {
            const source = compileSource('profile', raw);
            fc.pre(source.accepted);
            const ruleSet = buildRuleSet([source]);
            const policy = compilePolicy(ruleSet, { filter, ports });
            const urls = probeHosts(
              source.rules.map((rule) => rule.host),
              DOMAINS,
            ).flatMap((host) => TEST_PORTS.map((port) => `https://${host}:${port}/`));
            for (const [domain, port] of extra) urls.push(`https://z.${domain}:${port}/`);
            checkAgainstModel(ruleSet, policy, urls, small);
          },
        ),
        { numRuns: propertyRuns(10_000) },
      );
      expect(small.ruleSets).toBeGreaterThanOrEqual(propertyRuns(9_000));
    },
    propertyTimeout(600_000),
  );

  it(
    'and so on rule sets of 2,000 rules and more, in both benchmark mixes and drawn from the small generator',
    () => {
      const mixed = fc.record({ mix: fc.constantFrom(...EXPORT_MIXES), count: fc.integer({ min: 2_000, max: 2_600 }), seed: fc.integer() });
      const drawn = fc.array(RULE, { minLength: 2_000, maxLength: 2_200 });
      fc.assert(
        fc.property(fc.oneof(mixed, drawn), PORTS_OPTION, fc.constantFrom(...FILTERS), fc.integer(), (set, ports, filter, pick) => {
          const raw = Array.isArray(set) ? set : generateExportRules(set.mix, set.count, set.seed);
          const source = compileSource('profile', raw);
          fc.pre(source.accepted);
          const ruleSet = buildRuleSet([source]);
          const policy = compilePolicy(ruleSet, { filter, ports });
          expect(policy.report).toHaveLength(source.rules.length);
          // Every rule's own hosts, and a sample of the others' (the model tries every entry on every URL).
          const hosts = probeHosts(
            source.rules.map((rule) => rule.host),
            DOMAINS,
          );
          const sample = hosts.filter((_, i) => (i * 2_654_435_761 + pick) % 3 === 0);
          const urls = sample.flatMap((host) => TEST_PORTS.map((port) => `https://${host}:${port}/`));
          for (const line of policy.report) if (line.example) urls.push(`https://${line.example}/`);
          checkAgainstModel(ruleSet, policy, urls, large);
        }),
        { numRuns: propertyRuns(4) },
      );
      expect(large.ruleSets).toBeGreaterThanOrEqual(propertyRuns(3));
    },
    propertyTimeout(300_000),
  );
});
