import { describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource, lintRules } from '../../../src/engine/index';
import { compilePolicy, firefoxReport, type PolicyOptions } from '../../../src/engine/policy/index';

const A = 'useEnrollmentCertificate';
const D = 'noCertificate';

const ruleSetOf = (raw: unknown[]) => buildRuleSet([compileSource('file', raw)]);
const report = (raw: unknown[], options: PolicyOptions = {}) => compilePolicy(ruleSetOf(raw), options).report;
const line = (raw: unknown[], index: number, options: PolicyOptions = {}) => report(raw, options)[index]!;

/** The port of a host:port example (IPv6 hosts in brackets). */
const portOf = (example: string | null) => example?.slice(example.lastIndexOf(':') + 1);

describe('export report notes: what was written, and only that', () => {
  it('a port glob without --ports: nothing written, and no host is said to be written', () => {
    const mail = line([{ host: 'mail*.acme.org', port: '*443', action: A }], 0);
    expect(mail.outcome).toBe('not-expressible');
    expect(mail.patterns).toEqual([]);
    expect(mail.note).toMatch(/^nothing written: /);
    expect(mail.note).not.toContain('written as');
    expect(mail.note).not.toContain('the one host');
    expect(mail.note).toContain('--ports');
    expect(mail.example).toBe('mail.acme.org:443');
  });

  it('the same rule with --ports: the entries written, then how their host is narrower', () => {
    const mail = line([{ host: 'mail*.acme.org', port: '*443', action: A }], 0, { ports: ['443', '8443'] });
    expect(mail.outcome).toBe('narrower');
    expect(mail.note).toMatch(/^written: https:\/\/mail\.acme\.org:443, https:\/\/mail\.acme\.org:8443; /);
    expect(mail.note).toContain('the host is written as the one host mail.acme.org');
  });

  it('every note starts with what was written for its rule and names every entry of the rule, or says nothing was written', () => {
    const sets: unknown[][] = [
      [
        { host: 'mail*.acme.org', port: '*443', action: A },
        { host: '*intranet.test', port: '*', action: A },
        { host: '*', port: '80', action: A },
        { host: '*.acme.com', port: '8443', action: A },
        { host: 'public.acme.com', action: D },
        { host: '*.b.test', port: '*', action: A },
        { host: 'deny.b.test', port: '8080', action: D },
      ],
      [
        { host: '*.acme.com', action: A },
        { host: 'mail*.acme.com', action: D },
        { host: 'acme.com', action: A },
      ],
      [
        { host: '*', port: '*', action: A },
        { host: '*acme.com', action: D },
        { host: 'x.acme.com', action: A },
      ],
      [
        { host: 'x.acme.com', action: A },
        { host: '*', port: '*', action: D },
        { host: '01.2.3.4', action: A },
        { host: '10.*', action: A },
      ],
    ];
    for (const raw of sets) {
      for (const options of [{}, { ports: ['443', '8443'] }]) {
        for (const { note, patterns } of report(raw, options)) {
          if (patterns.length === 0) expect(note).toMatch(/^nothing written(?:: |$)/);
          else {
            expect(note).toMatch(/^written: /);
            for (const pattern of patterns) expect(note).toContain(pattern);
          }
        }
      }
    }
  });

  it('a rule the deny rules decide everywhere, or whose one entry Chrome cannot carve a deny out of: nothing written, and why', () => {
    const decided = line(
      [
        { host: 'x.acme.com', action: A },
        { host: '*', port: '*', action: D },
      ],
      0,
    );
    expect(decided.note).toMatch(
      /^nothing written: deny rules or earlier rules decide every host it covers; lint warns: rule 0 can never send the certificate/,
    );
    const dropped = line(
      [
        { host: '*.acme.com', action: A },
        { host: 'mail*.acme.com', action: D },
      ],
      0,
    );
    expect(dropped.outcome).toBe('not-expressible');
    expect(dropped.note).toMatch(/^nothing written: https:\/\/\[\*\.\]acme\.com:443 left out: /);
    // The deny rule is named as "rule N", which the CLI and the pages put in words.
    expect(dropped.note).toContain('(deny file rule 1, "mail*.acme.com")');
  });

  it('a deny rule names its entries, and the cut-outs it made in allow entries', () => {
    const lines = report([
      { host: '*', port: '*', action: A },
      { host: '*acme.com', action: D },
    ]);
    expect(lines[1]?.note).toMatch(/^written: https:\/\/\[\*\.\]acme\.com:443, https:\/\/\[\*\.\]com:443 with a filter that matches no certificate/);
    expect(lines[1]?.note).toContain('cut out of the entries of file rule 0');
    expect(lines[0]?.note).toContain('cut out for deny file rule 1');
  });

  it('apex and wildcard: the apex entry of *.d is named as written, and not when another rule allows the apex', () => {
    const alone = line([{ host: '*.acme.com', port: '8443', action: A }], 0);
    expect(alone.outcome).toBe('exact');
    expect(alone.note).toBe(
      'written: https://[*.]acme.com:8443; https://acme.com:8443 with a filter that matches no certificate, so Chrome asks there: the rule does not cover that host itself',
    );
    const both = report([
      { host: '*.acme.com', action: A },
      { host: 'acme.com', action: A },
    ]);
    expect(both.map((entry) => entry.note)).toEqual(['written: https://[*.]acme.com:443', 'written: https://acme.com:443']);
  });
});

describe('export report examples: a port a person would try', () => {
  it('a rule on any port: the example is on 443, not the first port kind found', () => {
    const intranet = line([{ host: '*intranet.test', port: '*', action: A }], 0);
    expect(intranet.outcome).toBe('narrower');
    expect(portOf(intranet.example)).toBe('443');
    expect(intranet.note).toContain(`Chrome will not auto-select on ${intranet.example}, which the rule covers`);
  });

  it("a rule on one port: the example is on the rule's port", () => {
    const intranet = line([{ host: '*intranet.test', port: '8443', action: A }], 0);
    expect(intranet.example).toMatch(/^[a-z0-9-]+intranet\.test:8443$/);
    const mail = line([{ host: 'mail*.acme.net', port: '9443', action: A }], 0);
    expect(portOf(mail.example)).toBe('9443');
  });

  it('443 decided by a deny rule: a listed port the rule names, else one its glob matches', () => {
    const raw = [
      { host: '*', port: '443', action: D },
      { host: '*intranet.test', port: '*443', action: A },
    ];
    const listed = line(raw, 1, { ports: ['443', '8443'] });
    expect(listed.outcome).toBe('narrower');
    expect(portOf(listed.example)).toBe('8443');
    // Only 443 listed (and denied): no entry, and the example is a port the glob matches.
    const none = line(raw, 1, { ports: ['443'] });
    expect(none.note).toMatch(/^nothing written/);
    expect(portOf(none.example)).toMatch(/^\d*443$/);
    expect(portOf(none.example)).not.toBe('443');
  });

  it('an allow rule with a port glob and no --ports: the example is on 443 when the glob covers it', () => {
    expect(portOf(line([{ host: 'app.acme.com', port: '4*', action: A }], 0).example)).toBe('443');
    expect(portOf(line([{ host: 'app.acme.com', port: '8*', action: A }], 0).example)).toMatch(/^8\d*$/);
  });
});

describe('export report: the rules lint warns about say so', () => {
  const warningsOf = (raw: unknown[]) => lintRules(raw).filter((finding) => finding.severity === 'warning');

  it('*:80 is exact but repeats lint: allow everywhere, and plain HTTP', () => {
    const raw = [{ host: '*', port: '80', action: A }];
    const everywhere = line(raw, 0);
    expect(everywhere.outcome).toBe('exact');
    const warnings = warningsOf(raw);
    expect(warnings.map((finding) => finding.code).sort()).toEqual(['allow-everywhere', 'plaintext-port']);
    for (const warning of warnings) expect(everywhere.note).toContain(`lint warns: ${warning.message}`);
  });

  it('every lint warning, on its rule only, in the Chrome and the Firefox report, for each source', () => {
    const raw = [
      { host: '*.com', port: '*', action: A },
      { host: '*acme.org', action: A },
      { host: 'www.acme.org', action: A },
      { host: 'www.acme.org', action: A },
      { host: 'a.example', action: A },
    ];
    const warnings = warningsOf(raw);
    expect(new Set(warnings.map((finding) => finding.index))).toEqual(new Set([0, 1, 2, 3]));
    const ruleSet = ruleSetOf(raw);
    for (const lines of [compilePolicy(ruleSet).report, firefoxReport(ruleSet)]) {
      lines.forEach((entry, index) => {
        const mine = warnings.filter((finding) => finding.index === index);
        for (const warning of mine) expect(entry.note).toContain(`lint warns: ${warning.message}`);
        if (mine.length === 0) expect(entry.note).not.toContain('lint warns');
      });
    }
    // A second source is linted on its own: its rule 0 is not "covered" by the first source's rules.
    const two = buildRuleSet([compileSource('managed', [{ host: '*.acme.org', action: A }]), compileSource('local', [{ host: 'x.acme.org', action: A }])]);
    expect(compilePolicy(two).report.map((entry) => entry.note.includes('lint warns'))).toEqual([false, false]);
  });
});
