import { describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource } from '../../../src/engine/index';
import { compilePolicy, type PolicyOptions } from '../../../src/engine/policy/index';
import { generateExportRules } from '../../../scripts/bench/export-data';
import { checkAgainstModel, newCounts, probeHosts } from './model-check';

const A = 'useEnrollmentCertificate';
const D = 'noCertificate';
const PORTS = ['443', '8443', '80', '9443'];

function compile(raw: unknown[], options: PolicyOptions = {}) {
  const ruleSet = buildRuleSet([compileSource('file', raw)]);
  return { ruleSet, policy: compilePolicy(ruleSet, { filter: { issuer: { CN: 'Test Enrollment CA' } }, ...options }) };
}

interface RawRule {
  host: string;
  port?: string;
  action: string;
}

/** Checks a compiled policy against the Chrome model at every host on every port. */
function checkOn(
  ruleSet: ReturnType<typeof compile>['ruleSet'],
  policy: ReturnType<typeof compile>['policy'],
  hosts: readonly string[],
  ports: readonly string[],
) {
  checkAgainstModel(
    ruleSet,
    policy,
    hosts.flatMap((host) => ports.map((port) => `https://${host}:${port}/`)),
    newCounts(),
  );
}

/** Compiles and checks against the Chrome model on the rules' own hosts (and some more), every port listed. */
function checked(raw: RawRule[], extraHosts: string[] = [], options: PolicyOptions = {}) {
  const { ruleSet, policy } = compile(raw, options);
  const hosts = [
    ...probeHosts(
      raw.map((rule) => rule.host),
      ['acme.com', 'x.acme.com'],
    ),
    ...extraHosts,
  ];
  checkOn(ruleSet, policy, hosts, PORTS);
  return policy;
}

const patterns = (policy: ReturnType<typeof compilePolicy>) => Object.fromEntries(policy.items.map((item) => [item.pattern, item.kind]));

describe('compilePolicy edge cases', () => {
  it('no rules: no entries, no report lines, and the walk has nothing to do', () => {
    const policy = checked([]);
    expect(policy.entries).toEqual([]);
    expect(policy.report).toEqual([]);
  });

  it('only deny rules: only never-match entries, each rule asks, nothing is auto-selected', () => {
    const policy = checked([
      { host: '*.acme.com', action: D },
      { host: 'x.acme.com', port: '*', action: D },
      { host: '10.0.0.1', action: D },
    ]);
    expect(policy.items.every((item) => item.kind === 'never')).toBe(true);
    expect(policy.report.map((line) => line.outcome)).toEqual(['asks', 'asks', 'asks']);
  });

  it('IPv6 hosts are exact entries in brackets; a deny on one address leaves its neighbours alone', () => {
    const policy = checked(
      [
        { host: 'fe80::1', port: '*', action: A },
        { host: 'fe80::2', action: D },
        { host: '::1', port: '8443', action: A },
        { host: 'fe80::*', action: A },
      ],
      ['[fe80::3]', '[fe80::1:2]', '[::2]'],
    );
    expect(patterns(policy)).toMatchObject({ 'https://[fe80::1]': 'allow', 'https://[fe80::2]:443': 'never', 'https://[::1]:8443': 'allow' });
    // `fe80::*` is written as the one address its star left out gives (fe80::), so it is narrower.
    expect(policy.report.map((line) => line.outcome)).toEqual(['exact', 'asks', 'exact', 'narrower']);
    expect(policy.report[3]?.example).toMatch(/^\[fe80::.+\]:443$/);
  });

  it('ports: one port, any port, a port glob with and without the listed ports, a deny on one port under an allow on any', () => {
    const raw: RawRule[] = [
      { host: 'a.acme.com', port: '8443', action: A },
      { host: 'b.acme.com', port: '*', action: A },
      { host: 'b.acme.com', port: '9443', action: D },
      { host: 'c.acme.com', port: '*443', action: A },
    ];
    const unlisted = checked(raw);
    expect(unlisted.report.map((line) => line.outcome)).toEqual(['exact', 'exact', 'asks', 'not-expressible']);
    const listed = checked(raw, [], { ports: ['443', '9443'] });
    expect(patterns(listed)).toMatchObject({ 'https://c.acme.com:443': 'allow', 'https://c.acme.com:9443': 'allow', 'https://b.acme.com:9443': 'never' });
    expect(listed.report[3]).toMatchObject({ outcome: 'narrower' });
  });

  it('thousands of distinct ports and port globs open at the left on the same hosts: checked exactly, every rule reported', () => {
    const hosts = ['vpn.acme.com', 'mail.acme.com', '*.acme.com', 'app.acme.org'];
    const raw: RawRule[] = Array.from({ length: 3000 }, (_, i) => ({
      host: hosts[i % hosts.length]!,
      port: i % 4 === 3 ? `*${i % 1000}` : String(1 + ((i * 7919) % 65535)),
      action: i % 3 === 0 ? D : A,
    }));
    const { ruleSet, policy } = compile(raw);
    expect(policy.report).toHaveLength(3000);
    expect(policy.checked.hostKinds).toBeGreaterThan(0);
    expect(policy.notes.some((note) => note.includes('too large'))).toBe(false);
    const ports = ['443', '8443', ...raw.slice(0, 60).map((rule) => rule.port!.replace('*', '1'))];
    checkOn(ruleSet, policy, ['vpn.acme.com', 'x.acme.com', 'acme.com', 'app.acme.org'], ports);
  });

  it('a port per host: each host kind is checked on the port classes it tells apart, so the pairs grow with the rules, not their square', () => {
    const raw: RawRule[] = Array.from({ length: 1500 }, (_, i) => ({
      host: i % 5 === 4 ? `*.d${i % 97}.acme.com` : `app${i}.d${i % 97}.acme.com`,
      port: String(2000 + i),
      action: i % 4 === 3 ? D : A,
    }));
    const { ruleSet, policy } = compile(raw);
    expect(policy.report).toHaveLength(1500);
    // One class per port that matters on a host (its rules' and its entries'), plus 443 and the rest: a few per host kind.
    expect(policy.checked.pairs).toBeLessThan(8 * policy.checked.hostKinds);
    expect(policy.checked.hostKinds * policy.checked.portKinds).toBeGreaterThan(1_000_000);
    const hosts = ['app0.d0.acme.com', 'app4.d4.acme.com', 'app3.d3.acme.com', 'x.d4.acme.com', 'd4.acme.com', 'app1.d1.acme.com'];
    const ports = ['443', '2000', '2001', '2003', '2004', '2005', '3000', '65535'];
    checkOn(ruleSet, policy, hosts, ports);
  });

  it('deny hosts under many `*` allow rules, each on its own port: no host is restored on a port where Chrome already auto-selects or the engine says no', () => {
    const raw: RawRule[] = [
      ...Array.from({ length: 120 }, (_, i): RawRule => ({ host: '*', port: String(20000 + i), action: A })),
      ...Array.from({ length: 150 }, (_, i): RawRule => ({ host: `app${i}.d${i % 7}.acme.com`, action: D })),
      ...Array.from({ length: 40 }, (_, i): RawRule => ({ host: `*.d${i % 7}.acme.com`, port: String(20000 + i), action: D })),
      { host: 'app3.d3.acme.com', port: '20005', action: A },
      { host: 'd2.acme.com', action: D },
    ];
    const { ruleSet, policy } = compile(raw);
    // Trying every deny host on every allow port would be 150 × 120 restored entries.
    expect(policy.checked.restored).toBeLessThan(150);
    expect(policy.report).toHaveLength(raw.length);
    const hosts = ['app3.d3.acme.com', 'app0.d0.acme.com', 'x.d1.acme.com', 'd2.acme.com', 'app9.d2.acme.com', 'other.example'];
    const ports = ['443', '20000', '20005', '20039', '20040', '20119', '20120'];
    checkOn(ruleSet, policy, hosts, ports);
  });

  it('port classes: a deny on one port of one host under an allow on another port of its domain, each checked on its own port', () => {
    const policy = checked(
      [
        { host: '*.acme.com', port: '8443', action: A },
        { host: 'x.acme.com', port: '8443', action: D },
        { host: 'y.acme.com', port: '9443', action: A },
        { host: 'y.acme.com', port: '8443', action: A },
        { host: 'z.acme.org', port: '*', action: A },
        { host: 'z.acme.org', port: '80', action: D },
      ],
      ['x.acme.com', 'y.acme.com', 'w.acme.com', 'z.acme.org'],
    );
    const patterns = policy.items.map((item) => `${item.kind} ${item.pattern}`).sort();
    expect(patterns).toEqual(
      [
        'allow https://[*.]acme.com:8443',
        'never https://acme.com:8443',
        'never https://x.acme.com:8443',
        'allow https://y.acme.com:9443',
        'allow https://y.acme.com:8443',
        'allow https://z.acme.org',
        'never https://z.acme.org:80',
      ].sort(),
    );
    expect(policy.report.map((line) => line.outcome)).toEqual(['exact', 'asks', 'exact', 'exact', 'exact', 'asks']);
  });

  it('the wildcard-only host `*`: allow everywhere is one entry; deny everywhere wins over every allow', () => {
    const allow = checked([{ host: '*', port: '*', action: A }]);
    expect(patterns(allow)).toEqual({ 'https://*': 'allow' });
    expect(allow.report[0]).toMatchObject({ outcome: 'exact' });
    const deny = checked([
      { host: 'x.acme.com', action: A },
      { host: '*', port: '*', action: D },
    ]);
    expect(deny.items.filter((item) => item.kind === 'allow')).toEqual([]);
    expect(deny.report[0]?.note).toContain('deny rules or earlier rules decide every host');
  });

  it('duplicate rules: one entry naming both, and both rules reported with it', () => {
    const policy = checked([
      { host: '*.acme.com', action: A },
      { host: '*.acme.com', action: A },
      { host: 'x.acme.com', action: D },
      { host: 'x.acme.com', action: D },
    ]);
    expect(policy.items.find((item) => item.pattern === 'https://[*.]acme.com:443')?.rules.map((rule) => rule.index)).toEqual([0, 1]);
    expect(policy.items.find((item) => item.pattern === 'https://x.acme.com:443')?.rules.map((rule) => rule.index)).toEqual([2, 3]);
    expect(policy.report.map((line) => line.outcome)).toEqual(['exact', 'exact', 'asks', 'asks']);
    expect(policy.report[1]?.patterns).toEqual(policy.report[0]?.patterns);
    expect(policy.report[3]?.patterns).toEqual(['https://x.acme.com:443']);
  });

  it('a glob whose stars left out would leave an empty label is not written as a pattern with one', () => {
    const raw = [{ host: '*.pay.*.acme.com', action: A }];
    const policy = checked(raw, ['pay..acme.com', 'x.pay..acme.com', 'x.pay.y.acme.com']);
    expect(policy.entries.join()).not.toContain('..');
    expect(policy.report[0]).toMatchObject({ outcome: 'not-expressible' });
  });

  it('reports progress from 0 to 100, never going back', () => {
    const seen: [number, number][] = [];
    compile(generateExportRules('overlap', 300), { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen[0]).toEqual([0, 100]);
    expect(seen.at(-1)).toEqual([100, 100]);
    expect(seen.every(([done, total], i) => total === 100 && (i === 0 || done > seen[i - 1]![0]))).toBe(true);
    expect(seen.length).toBeGreaterThan(4);
  });

  it('a rule set too large to check within the bound gets a narrower policy a cheap check proves, never a refusal or a wrong policy', () => {
    for (const mix of ['hosts', 'engine'] as const) {
      const raw = generateExportRules(mix, 400);
      const ruleSet = buildRuleSet([compileSource('file', raw)]);
      const policy = compilePolicy(ruleSet, { maxStates: 500, ports: ['443', '8443'] });
      expect(policy.report).toHaveLength(400);
      expect(policy.checked.hostKinds).toBe(0);
      expect(policy.notes.some((note) => note.startsWith('The rule set is too large to check exactly (more than 500 steps)'))).toBe(true);
      // Only exact hosts are written, and only allow entries.
      expect(policy.items.length).toBeGreaterThan(20);
      for (const item of policy.items) expect(item.kind === 'allow' && item.chrome.host.kind === 'exact', item.pattern).toBe(true);
      const exact = compilePolicy(ruleSet, { ports: ['443', '8443'] });
      expect(exact.checked.hostKinds).toBeGreaterThan(0);
      const hosts = probeHosts(
        raw.map((rule) => rule.host),
        ['acme.com'],
      );
      checkOn(ruleSet, policy, hosts, PORTS);
    }
  });

  it('too large to check: an exact host is written only where the engine allows it at every port the entry covers', () => {
    const raw = [
      { host: 'a.acme.com', action: A },
      { host: '*.acme.com', action: D },
      { host: 'b.acme.org', port: '*', action: A },
      { host: 'b.acme.org', port: '8443', action: D },
      { host: 'c.acme.com', action: A },
      { host: '*.example.com', action: A },
      { host: 'd.example.com', port: '*', action: A },
      { host: 'e.acme.net', port: '*443', action: A },
    ];
    const { ruleSet, policy } = compile(raw, { maxStates: 1 });
    expect(policy.entries.map((entry) => JSON.parse(entry).pattern)).toEqual(['https://d.example.com']);
    const outcomes = policy.report.map((line) => [line.outcome, line.example]);
    expect(outcomes).toEqual([
      ['exact', null], // the deny rule decides every host it covers
      ['asks', null],
      ['not-expressible', 'b.acme.org:443'], // denied at 8443, so not written for any port
      ['asks', null],
      ['exact', null], // denied by *.acme.com too
      ['not-expressible', null], // a glob: not written
      ['exact', null],
      ['not-expressible', 'e.acme.net:443'], // "*443" without --ports
    ]);
    expect(policy.report[2]!.note).toMatch(/^nothing written: the rule set is too large to check exactly \(more than 1 steps\)/);
    expect(policy.report[5]!.note).toMatch(/^nothing written: the rule set is too large to check exactly/);
    expect(policy.report[6]!.note).toBe('written: https://d.example.com');
    checkAgainstModel(
      ruleSet,
      policy,
      ['a', 'b', 'c', 'd', 'e', 'x'].flatMap((sub) =>
        ['acme.com', 'acme.org', 'acme.net', 'example.com'].flatMap((d) => PORTS.map((port) => `https://${sub}.${d}:${port}/`)),
      ),
      newCounts(),
    );
  });
});
