import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource, decide } from '../../../src/engine/index';
import { compilePolicy, type CertFilter } from '../../../src/engine/policy/index';
import { chromeChoice, loadPolicy, type ModelCertificate } from './chrome-model';
import { propertyRuns, propertyTimeout } from '../../helpers/property-runs';

// The enrollment certificate; every filter the generator picks matches it.
const CERT: ModelCertificate = {
  issuer: { CN: 'Test Enrollment CA', L: 'Zurich', O: ['Test Org'], OU: ['PKI'] },
  subject: { CN: 'device-1', L: '', O: ['Test Org'], OU: ['Devices'] },
};
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

/** Hosts a rule set is likely to treat differently: its own patterns with `*` replaced in several ways, plus neighbours. */
function probeHosts(patterns: readonly string[]): string[] {
  const hosts = new Set<string>(['x', 'a.b', '10.0.0.1', '10.1.2.3', '1.2.3.1', '[::1]', '[fe80::1]', 'mail.acme.com', 'mail2.acme.com', 'xacme.com']);
  for (const domain of DOMAINS) for (const prefix of ['', 'x']) hosts.add(prefix + domain);
  for (const pattern of patterns) {
    for (const fill of ['', 'x', 'x.y', '1']) hosts.add(pattern.replaceAll('*', fill));
    // The apex of "*.d", and "d" itself for "d.*".
    hosts.add(pattern.replaceAll('*.', '').replaceAll('.*', ''));
  }
  return [...hosts].filter((host) => {
    try {
      return new URL(`https://${host}/`).hostname !== '';
    } catch {
      return false;
    }
  });
}

const counts = { ruleSets: 0, pairs: 0, autoSelected: 0, denied: 0, narrowerReported: 0, violations: 0, unreported: 0 };

afterAll(() => {
  console.log(
    `policy property: ${counts.ruleSets} random rule sets × host:port pairs = ${counts.pairs} pairs checked; ` +
      `Chrome model auto-selected on ${counts.autoSelected}, engine said noCertificate on ${counts.denied}; ` +
      `${counts.narrowerReported} allowed pairs without auto-selection, reported narrower/not-expressible; ` +
      `${counts.violations} violations, ${counts.unreported} unreported differences`,
  );
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
            const model = loadPolicy(policy.entries);
            expect(model.collisions).toEqual([]);
            expect(model.rules).toHaveLength(policy.entries.length);
            counts.ruleSets += 1;
            const report = new Map(policy.report.map((line) => [`${line.source}#${line.index}`, line]));
            const urls = probeHosts(source.rules.map((rule) => rule.host)).flatMap((host) => TEST_PORTS.map((port) => `https://${host}:${port}/`));
            for (const [domain, port] of extra) urls.push(`https://z.${domain}:${port}/`);
            for (const url of urls) {
              const verdict = decide(ruleSet, url);
              const chrome = chromeChoice(model, url, CERT);
              counts.pairs += 1;
              if (chrome.autoSelect) counts.autoSelected += 1;
              if (verdict.decision === 'noCertificate') counts.denied += 1;
              if (chrome.autoSelect && verdict.decision !== 'useEnrollmentCertificate') {
                counts.violations += 1;
                throw new Error(
                  `violation: ${chrome.spec} auto-selects on ${url}, engine says ${verdict.decision} (${verdict.reason}); entries ${JSON.stringify(policy.entries)}`,
                );
              }
              if (!chrome.autoSelect && verdict.decision === 'useEnrollmentCertificate') {
                const line = report.get(`${verdict.rule?.source}#${verdict.rule?.index}`);
                counts.narrowerReported += 1;
                if (line?.outcome !== 'narrower' && line?.outcome !== 'not-expressible') {
                  counts.unreported += 1;
                  throw new Error(
                    `unreported difference on ${url}: engine allows by ${JSON.stringify(verdict.rule)}, Chrome does not; report says ${JSON.stringify(line)}; entries ${JSON.stringify(policy.entries)}`,
                  );
                }
              }
            }
          },
        ),
        { numRuns: propertyRuns(10_000) },
      );
      expect(counts.ruleSets).toBeGreaterThanOrEqual(propertyRuns(9_000));
    },
    propertyTimeout(600_000),
  );
});
