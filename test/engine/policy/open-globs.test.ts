import { describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource, decide } from '../../../src/engine/index';
import { compilePolicy } from '../../../src/engine/policy/index';
import { hostsOfOpenGlob, isRightOpen, OpenGlobs } from '../../../src/engine/policy/open-globs';
import { checkAgainstModel, newCounts } from './model-check';

const A = 'useEnrollmentCertificate';
const D = 'noCertificate';
const PORTS = ['443', '8443', '9443'];

function compiled(raw: { host: string; port?: string; action: string }[], hosts: string[]) {
  const ruleSet = buildRuleSet([compileSource('file', raw)]);
  const policy = compilePolicy(ruleSet);
  const counts = newCounts();
  checkAgainstModel(
    ruleSet,
    policy,
    hosts.flatMap((host) => PORTS.map((port) => `https://${host}:${port}/`)),
    counts,
  );
  return { ruleSet, policy, counts, patterns: policy.items.map((item) => `${item.kind} ${item.pattern}`) };
}

describe('globs open at the right (not walked, checked on concrete hosts)', () => {
  it('tells them apart: a trailing star, not `*` alone, not IPv6', () => {
    expect(['mail1.*', '10.1.*', '*.x.*', 'a*', '*a*'].every(isRightOpen)).toBe(true);
    expect(['*', '*.acme.com', 'mail*.acme.com', '*acme.com', 'fe80::*', 'acme.com'].some(isRightOpen)).toBe(false);
    const open = new OpenGlobs(['mail.*', 'acme.com', '*.x.*', 'mail.*', 'a*']);
    expect(open.globs).toEqual(['mail.*', '*.x.*', 'a*']);
    expect(open.rulesOf).toEqual([[0, 3], [2], [4]]);
    expect(open.matching('mail.x.com').map((g) => open.globs[g])).toEqual(['mail.*', '*.x.*']);
    expect(open.matching('b.com')).toEqual([]);
    expect(hostsOfOpenGlob('mail.*', 'q.acme.com')).toEqual(['mail.q.acme.com']);
    expect(hostsOfOpenGlob('*.x.*', 'q.acme.com')).toEqual(['a.x.q.acme.com']);
    expect(hostsOfOpenGlob('10.1.*', 'q.acme.com')).toEqual(['10.1.q.acme.com']);
    expect(hostsOfOpenGlob('mail*', 'q.acme.com')).toEqual(['mail.q.acme.com', 'maila.q.acme.com']);
  });

  it('a right-open deny rule cuts every [*.]d allow entry at its port, and leaves out one on that port', () => {
    const { policy, counts, patterns } = compiled(
      [
        { host: '*.acme.com', action: A },
        { host: '*.acme.org', port: '*', action: A },
        { host: 'www.acme.com', action: A },
        { host: 'mail.*', action: D },
      ],
      ['www.acme.com', 'x.acme.com', 'mail.acme.com', 'mail.q.acme.com', 'mail.q.acme.org', 'q.acme.org', 'mail.x'],
    );
    expect(patterns).toContain('never https://[*.]acme.org:443');
    expect(patterns).toContain('allow https://[*.]acme.org');
    expect(patterns).not.toContain('allow https://[*.]acme.com:443');
    expect(patterns).toContain('allow https://www.acme.com:443');
    expect(policy.report.map((line) => line.outcome)).toEqual(['not-expressible', 'narrower', 'exact', 'asks']);
    expect(policy.report[0]!.note).toContain('Chrome cannot leave mail.');
    expect(counts.autoSelected).toBeGreaterThan(0);
  });

  it('a right-open allow rule is named with a host it decides where Chrome does not auto-select', () => {
    const { ruleSet, policy } = compiled(
      [
        { host: '*.acme.com', action: A },
        { host: 'vpn1.*', action: A },
      ],
      ['vpn1.acme.com', 'vpn1.x.org', 'x.acme.com'],
    );
    const line = policy.report[1]!;
    expect(line.outcome).toBe('not-expressible');
    expect(line.example).toMatch(/^vpn1\./);
    expect(decide(ruleSet, `https://${line.example}/`)).toMatchObject({ decision: A, rule: { index: 1 } });
  });

  it('one covered by a deny rule or an earlier allow decides nowhere, and says so', () => {
    const { policy } = compiled(
      [
        { host: 'mail*', port: '*', action: D },
        { host: 'mail1.*', action: A },
      ],
      ['mail1.acme.com'],
    );
    expect(policy.report[1]).toMatchObject({ outcome: 'exact', patterns: [] });
    expect(policy.report[1]!.note).toMatch(/^nothing written: deny rules or earlier rules decide every host it covers/);
  });

  it('one no probe shows deciding, and that nothing covers, is never called exact', () => {
    // "*zq*" takes every probe host (their labels are made of letters no glob holds, but "zq" is in this one).
    const { policy } = compiled(
      [
        { host: '*zq*', action: A },
        { host: 'mail.*', action: A },
      ],
      ['mail.acme.com', 'mail.zq0x.zq1x'],
    );
    expect(policy.report[1]!.outcome).toBe('not-expressible');
    expect(policy.report[1]!.note).toMatch(/^nothing written: not claimed exact: "mail\.\*" is open at the right/);
  });

  it('a kind whose shortest host a right-open glob matches is checked on another host of it', () => {
    // "a.acme.com" is the shortest host of its kind under acme.com, and "a*" refuses it on 443; most hosts of the kind it does not refuse.
    const { ruleSet, policy } = compiled(
      [
        { host: '*.acme.com', port: '*', action: A },
        { host: 'a*', port: '443', action: D },
      ],
      ['a.acme.com', 'b.acme.com', 'a.b.acme.com', 'acme.com'],
    );
    const line = policy.report[0]!;
    expect(line).toMatchObject({ outcome: 'narrower', patterns: ['https://[*.]acme.com', 'https://acme.com'] });
    expect(line.example).toMatch(/\.acme\.com:443$/);
    expect(decide(ruleSet, `https://${line.example}/`)).toMatchObject({ decision: A, rule: { index: 0 } });
  });

  it('a kind whose every host to try a right-open glob matches is not called exact on that witness alone', () => {
    // The IPv4 addresses ending in .3 are one kind; its shortest, 0.0.0.3, is refused by "0*", but 1.0.0.3 is the allow rule's, and Chrome has no entry for it.
    const { policy } = compiled(
      [
        { host: '*.3', port: '443', action: A },
        { host: '0*', port: '443', action: D },
      ],
      ['0.0.0.3', '1.0.0.3', '10.2.3.3'],
    );
    expect(policy.report[0]!.outcome).toBe('not-expressible');
    expect(policy.report[0]!.note).toContain('not claimed exact: some hosts it covers are also matched by rules open at the right');
  });
});
