import { describe, expect, it } from 'vitest';
import type { HostForm } from '../../../src/engine/policy/chrome-pattern';
import type { NormalizedRule } from '../../../src/engine/model';
import { deniedPorts, portsToRestore, restoreNeeded } from '../../../src/engine/policy/restore-ports';

const entry = (host: HostForm, port: string | null, kind: 'allow' | 'never') => ({ key: `${JSON.stringify(host)} ${port}`, pattern: { host, port }, kind });
const exact = (host: string): HostForm => ({ kind: 'exact', host });
const domain = (name: string): HostForm => ({ kind: 'domain', domain: name });
const any: HostForm = { kind: 'any' };

describe('restoreNeeded: where an exact allow entry for a host could change what Chrome picks', () => {
  it('where a never-match entry of the host, a domain above it or `*` matches the port', () => {
    const needed = restoreNeeded([entry(exact('vpn.acme.com'), '443', 'never'), entry(domain('acme.com'), '8443', 'never'), entry(any, '9443', 'never')]);
    const at = needed('vpn.acme.com');
    expect([at('443'), at('8443'), at('9443')]).toEqual([true, true, true]);
    // Any port: wherever one of them matches.
    expect(at(null)).toBe(true);
    // Not under acme.com: no allow entry matches it either, so every port is in question.
    const other = needed('vpn.acme.org');
    expect([other('443'), other('8443'), other('9443'), other(null)]).toEqual([true, true, true, true]);
  });

  it('not where no never-match entry matches and an allow entry does: Chrome picks that one already', () => {
    const needed = restoreNeeded([entry(exact('vpn.acme.com'), '443', 'never'), entry(any, '20001', 'allow'), entry(domain('acme.com'), null, 'allow')]);
    const at = needed('vpn.acme.com');
    expect(at('20001')).toBe(false);
    expect(at('8443')).toBe(false);
    expect(at('443')).toBe(true);
    // A domain entry never matches a host outside it: nothing picks there.
    expect(needed('vpn.acme.org')('8443')).toBe(true);
    expect(needed('vpn.acme.org')('20001')).toBe(false);
  });

  it('where no entry matches at all', () => {
    expect(restoreNeeded([])('a.example')('443')).toBe(true);
    expect(restoreNeeded([])('10.0.0.1')(null)).toBe(true);
  });

  it('a domain entry matches the domain itself and names under it, not names that merely end alike', () => {
    const needed = restoreNeeded([entry(domain('acme.com'), null, 'allow')]);
    expect(needed('acme.com')('443')).toBe(false);
    expect(needed('x.acme.com')('443')).toBe(false);
    expect(needed('evilacme.com')('443')).toBe(true);
  });
});

describe('deniedPorts: whether the deny rules at a host take a port', () => {
  it('exact ports, globs and `*`', () => {
    const denied = deniedPorts(['443', '*80', '9*1']);
    expect(['443', '80', '8080', '901', '9441', '8443', '4430'].map(denied)).toEqual([true, true, true, true, true, false, false]);
    expect(deniedPorts(['*'])('1')).toBe(true);
    expect(deniedPorts([])('443')).toBe(false);
  });
});

describe('portsToRestore: the allow ports a host under a never-match entry may get back', () => {
  const rule = (index: number, port: string, action: NormalizedRule['action']): NormalizedRule => ({ source: 'file', index, host: `h${index}`, port, action });
  /** The candidates as rule and port, from their flat [rule, index of the port in portForms[rule]] pairs. */
  const restore = (rules: NormalizedRule[], portForms: (string | null)[][], matching: number[][]) => {
    const flat = portsToRestore(rules, portForms, matching);
    return Array.from({ length: flat.length / 2 }, (_, c) => ({ r: flat[2 * c]!, port: portForms[flat[2 * c]!]![flat[2 * c + 1]!] }));
  };

  it('every allow rule port no deny rule takes, in rule order across the lists, each rule in its own port order', () => {
    const rules = [
      rule(0, '8443', 'useEnrollmentCertificate'),
      rule(1, '*80', 'noCertificate'),
      rule(2, '443', 'useEnrollmentCertificate'),
      rule(3, '9443', 'useEnrollmentCertificate'),
      rule(4, '*', 'useEnrollmentCertificate'),
      rule(5, '8080', 'useEnrollmentCertificate'),
    ];
    const portForms = [['8443'], ['*80'], ['443'], ['9443', '8080', '9444'], [null, '443'], ['8080']];
    // The lists of two globs: rule order within each, interleaved between them.
    const left = restore(rules, portForms, [
      [0, 3, 5],
      [1, 2, 4],
    ]);
    expect(left).toEqual([
      { r: 0, port: '8443' },
      { r: 2, port: '443' },
      { r: 3, port: '9443' },
      { r: 3, port: '9444' },
      { r: 4, port: null },
      { r: 4, port: '443' },
    ]);
  });

  it('only any-port entries under a deny rule on every port, and nothing from no rules', () => {
    const rules = [rule(0, '*', 'noCertificate'), rule(1, '*', 'useEnrollmentCertificate'), rule(2, '443', 'useEnrollmentCertificate')];
    expect(restore(rules, [['*'], [null, '443'], ['443']], [[0, 1, 2]])).toEqual([{ r: 1, port: null }]);
    expect(restore(rules, [['*'], [null], ['443']], [])).toEqual([]);
  });
});
