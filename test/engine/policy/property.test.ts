import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource } from '../../../src/engine/index';
import { compilePolicy, type CertFilter } from '../../../src/engine/policy/index';
import { generateExportRules } from '../../../scripts/bench/export-data';
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

/**
 * Large drawn rule sets: many organisations' domains, each named by a few
 * rules: allow rules for the domain, its subdomains or a glob of them, and
 * deny rules that cut hosts or subtrees out of them (about a third).
 */
const LARGE_DOMAIN = fc
  .tuple(fc.constantFrom('acme', 'globex', 'initech', 'hooli', 'wonka'), fc.integer({ min: 0, max: 150 }), fc.constantFrom('com', 'ch'))
  .map(([word, number, tld]) => `${word}${number}.${tld}`);
const LARGE_ALLOW = fc.tuple(fc.constantFrom('', '*.', 'mail.', 'mail*.', '*.eu.'), LARGE_DOMAIN).map(([prefix, domain]) => prefix + domain);
const LARGE_DENY = fc.tuple(fc.constantFrom('mail.', 'vpn.', '*.eu.', 'eu.', 'x*.', '*.vpn.'), LARGE_DOMAIN).map(([prefix, domain]) => prefix + domain);
const LARGE_PORT = fc.constantFrom<string | undefined>(undefined, undefined, '443', '8443', '*', '*443');
const LARGE_RULE = fc.oneof(
  { weight: 2, arbitrary: fc.record({ host: LARGE_ALLOW, port: LARGE_PORT, action: fc.constant('useEnrollmentCertificate') }) },
  { weight: 1, arbitrary: fc.record({ host: LARGE_DENY, port: LARGE_PORT, action: fc.constant('noCertificate') }) },
);
/** The ports option, when given, names 443 or 8443: the ports the rule sets use (others leave Chrome nothing to do). */
const LARGE_PORTS_OPTION = fc.option(
  fc.tuple(fc.constantFrom('443', '8443'), fc.subarray(['443', '8443', '80', '10443'])).map(([port, more]) => [...new Set([port, ...more])]),
  { nil: null },
);

/**
 * Rule sets where globs open at either end meet allow wildcards: right-open
 * globs (`mail.*`, `*.a.*`, `10.0.*`), which no Chrome pattern expresses and
 * which reach every domain, left-open ones (`*acme.com`, `mail*.acme.com`),
 * and many deny rules among them, over a few domains so that they overlap.
 */
const OPEN_DOMAINS = ['acme.com', 'mail.acme.com', 'acme.org', 'b.acme.org', 'x1.net'];
const RIGHT_OPEN = ['mail.*', 'mail*', '*.a.*', '10.0.*', 'a*', 'b.mail.*', '*.acme.*', 'x1*'];
const OPEN_HOSTS = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.constantFrom('*.', '*.', '', '*', 'mail*.', 'mail.', 'a.'), fc.constantFrom(...OPEN_DOMAINS))
      .map(([prefix, domain]) => prefix + domain),
  },
  { weight: 2, arbitrary: fc.constantFrom(...RIGHT_OPEN) },
);
const OPEN_RULE = fc.record({
  host: OPEN_HOSTS,
  port: fc.constantFrom<unknown>(undefined, undefined, '443', '8443', '*', '*443'),
  action: fc.constantFrom('useEnrollmentCertificate', 'useEnrollmentCertificate', 'noCertificate'),
});

/** Hosts under each domain that right-open globs reach (their stem in front of a label nobody named), besides the usual probes. */
function openProbeHosts(patterns: readonly string[]): string[] {
  const hosts = new Set(probeHosts(patterns, OPEN_DOMAINS));
  for (const domain of OPEN_DOMAINS) {
    hosts.add(`q.${domain}`);
    for (const glob of RIGHT_OPEN) {
      const stem = glob.slice(0, -1).replaceAll('*', 'x');
      hosts.add(`${stem}${stem.endsWith('.') ? '' : '.'}q.${domain}`);
    }
  }
  return [...hosts];
}

/** Hosts a right-open glob of the set reaches under domains the set allows wildcards on (`mail12.*` → `mail12.q.acme5.com`). */
function rightOpenProbes(patterns: readonly string[]): string[] {
  const domains = [...new Set(patterns.filter((p) => p.startsWith('*.') && !p.slice(2).includes('*')).map((p) => p.slice(2)))];
  const open = patterns.filter((p) => p.length > 1 && p.endsWith('*') && !p.includes(':'));
  if (domains.length === 0) return [];
  return open.flatMap((glob, i) => {
    const stem = glob.slice(0, -1).replaceAll('*', 'x');
    return [0, 1, 2].map((k) => `${stem}${stem.endsWith('.') ? '' : '.'}q.${domains[(i * 7 + k) % domains.length]}`);
  });
}

const small = newCounts();
const large = newCounts();
const open = newCounts();

afterAll(() => {
  console.log(describeCounts('policy property', small));
  console.log(describeCounts('policy property, 2,000+ rules', large));
  console.log(describeCounts('policy property, globs open at either end', open));
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
    'and so where globs open at the right or left meet allow wildcards and deny rules',
    () => {
      fc.assert(
        fc.property(fc.array(OPEN_RULE, { minLength: 2, maxLength: 24 }), PORTS_OPTION, (raw, ports) => {
          const source = compileSource('profile', raw);
          fc.pre(source.accepted);
          const ruleSet = buildRuleSet([source]);
          const policy = compilePolicy(ruleSet, { ports });
          const urls = openProbeHosts(source.rules.map((rule) => rule.host)).flatMap((host) => TEST_PORTS.map((port) => `https://${host}:${port}/`));
          for (const line of policy.report) if (line.example) urls.push(`https://${line.example}/`);
          checkAgainstModel(ruleSet, policy, urls, open);
        }),
        { numRuns: propertyRuns(2_000) },
      );
      // The check means something only where Chrome auto-selects and the engine refuses near it.
      expect(open.autoSelected).toBeGreaterThan(open.pairs / 20);
      expect(open.denied).toBeGreaterThan(open.pairs / 5);
    },
    propertyTimeout(600_000),
  );

  it(
    'and so on rule sets of 2,000 rules and more, where Chrome auto-selects on a good share of the pairs probed',
    () => {
      // Rule sets in which allowed hosts exist and deny rules cut into them, and probes where Chrome may act: every
      // port the policy writes, the rules' own hosts and the report's examples. A rule set where Chrome auto-selects
      // nowhere would check nothing (a deny "*", or a ports option no probe uses).
      const mixed = fc.record({
        mix: fc.constantFrom('hosts' as const, 'overlap' as const),
        count: fc.integer({ min: 2_000, max: 2_400 }),
        seed: fc.integer(),
      });
      const drawn = fc.array(LARGE_RULE, { minLength: 2_000, maxLength: 2_200 });
      const runs = propertyRuns(4);
      let sets = 0;
      fc.assert(
        fc.property(mixed, drawn, LARGE_PORTS_OPTION, fc.constantFrom(...FILTERS), fc.integer(), (set, drawnRules, ports, filter, pick) => {
          // Both kinds of rule set in every run: a benchmark mix and a drawn set in turn.
          const raw = sets % 2 === 0 ? generateExportRules(set.mix, set.count, set.seed) : drawnRules;
          const source = compileSource('profile', raw);
          expect(source.accepted).toBe(true);
          const ruleSet = buildRuleSet([source]);
          const policy = compilePolicy(ruleSet, { filter, ports });
          expect(policy.report).toHaveLength(source.rules.length);
          const hosts = probeHosts(
            source.rules.map((rule) => rule.host),
            DOMAINS,
          );
          // A sample of the hosts (the model tries every entry on every URL), on every port the policy may name.
          const sample = hosts.filter((_, i) => (i * 2_654_435_761 + pick) % 4 === 0);
          const probePorts = [...new Set([...TEST_PORTS, ...(ports ?? [])])];
          const urls = sample.flatMap((host) => probePorts.map((port) => `https://${host}:${port}/`));
          for (const line of policy.report) if (line.example) urls.push(`https://${line.example}/`);
          const before = { ...large };
          checkAgainstModel(ruleSet, policy, urls, large);
          const autoSelected = large.autoSelected - before.autoSelected;
          const denied = large.denied - before.denied;
          const pairs = large.pairs - before.pairs;
          sets += 1;
          // The check bites only where Chrome would act and where the rules say no: both must be common.
          expect(autoSelected / pairs, `auto-selected on ${autoSelected} of ${pairs} pairs`).toBeGreaterThanOrEqual(0.05);
          expect(denied / pairs, `denied on ${denied} of ${pairs} pairs`).toBeGreaterThanOrEqual(0.05);
        }),
        // A failure is reported as found: shrinking thousands of rules would take longer than the search.
        { numRuns: runs, endOnFailure: true, examples: [] },
      );
      expect(sets).toBe(runs);
      expect(large.autoSelected / large.pairs).toBeGreaterThanOrEqual(0.1);
    },
    propertyTimeout(300_000),
  );

  it(
    "and so on the engine benchmark's rules at 2,000 rules and more, globs open at the right among them",
    () => {
      // Its right-open deny rules (`mail12.*`) reach every [*.]d allow entry on their ports, so Chrome auto-selects on
      // fewer pairs than in the other mixes; the probes add hosts those globs reach under the allowed domains.
      const engine = newCounts();
      fc.assert(
        fc.property(fc.integer({ min: 2_000, max: 2_600 }), fc.integer(), PORTS_OPTION, fc.integer(), (count, seed, ports, pick) => {
          const source = compileSource('profile', generateExportRules('engine', count, seed));
          expect(source.accepted).toBe(true);
          const ruleSet = buildRuleSet([source]);
          const policy = compilePolicy(ruleSet, { ports });
          expect(policy.report).toHaveLength(source.rules.length);
          const patterns = source.rules.map((rule) => rule.host);
          const hosts = [...probeHosts(patterns, DOMAINS), ...rightOpenProbes(patterns)];
          const sample = hosts.filter((_, i) => (i * 2_654_435_761 + pick) % 4 === 0);
          const urls = sample.flatMap((host) => [...new Set([...TEST_PORTS, ...(ports ?? [])])].map((port) => `https://${host}:${port}/`));
          for (const line of policy.report) if (line.example) urls.push(`https://${line.example}/`);
          checkAgainstModel(ruleSet, policy, urls, engine);
        }),
        { numRuns: propertyRuns(2) },
      );
      console.log(describeCounts("policy property, the engine benchmark's rules", engine));
      expect(engine.autoSelected).toBeGreaterThan(engine.pairs / 50);
      expect(engine.denied).toBeGreaterThan(engine.pairs / 20);
    },
    propertyTimeout(300_000),
  );
});
