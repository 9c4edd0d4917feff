import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPattern, type ChromePattern, type HostForm } from '../../../src/engine/policy/chrome-pattern';
import { globOf } from '../../../src/engine/policy/host-forms';
import { chromeAt } from '../../../src/engine/policy/open-probes';
import { ChromeChoice, type SpaceEntry } from '../../../src/engine/policy/policy-choice';
import { PolicySpace } from '../../../src/engine/policy/policy-space';
import { normalizeRule } from '../../../src/engine/rule';
import type { NormalizedRule } from '../../../src/engine/model';
import { propertyRuns } from '../../helpers/property-runs';

const HOSTS: HostForm[] = [
  { kind: 'any' },
  { kind: 'domain', domain: 'acme.com' },
  { kind: 'domain', domain: 'mail.acme.com' },
  { kind: 'exact', host: 'mail.acme.com' },
  { kind: 'exact', host: 'vpn.acme.com' },
  { kind: 'domain', domain: 'acme.org' },
];
// Enough ports on `*` that its entries are also kept as an array (policy-choice.ts DENSE_FROM).
const PORTS = [null, '443', '8443', ...Array.from({ length: 20 }, (_, i) => String(20_000 + i))];

const rule = (host: string, port: string, index: number): NormalizedRule => {
  const checked = normalizeRule({ host, port, action: 'useEnrollmentCertificate' }, index, 'file');
  if (!checked.ok) throw new Error(`bad test rule ${host}:${port}`);
  return checked.rule;
};

/** A space that tells apart every pattern of HOSTS × PORTS, as the compiler builds one for its entries. */
function space(): PolicySpace {
  const rules = [rule('*.acme.com', '443', 0), rule('vpn.acme.com', '8443', 1), rule('*', '*', 2), rule('www.example.net', '443', 3)];
  const attached = HOSTS.flatMap((host) => globOf(host).flatMap((glob) => PORTS.filter((port) => port !== null).map((port) => [glob, port] as const)));
  const hostGlobs = HOSTS.flatMap((host) => [...globOf(host), ...(host.kind === 'domain' ? [host.domain] : [])]);
  return new PolicySpace(rules, hostGlobs, [], {}, undefined, attached);
}

describe('ChromeChoice: the entry Chrome picks at every pair, kept up to date while entries come and go', () => {
  it('agrees with picking from scratch (chromeAt on the witnesses) after each of hundreds of changes', () => {
    const checked = space();
    const patterns: ChromePattern[] = HOSTS.flatMap((host) => PORTS.map((port) => ({ host, port })));
    for (const pattern of patterns) expect(checked.covers(pattern)).toBe(true);
    const change = fc.record({ pattern: fc.integer({ min: 0, max: patterns.length - 1 }), kind: fc.constantFrom('allow', 'never', 'gone') });
    fc.assert(
      fc.property(fc.array(change, { minLength: 300, maxLength: 400 }), (changes) => {
        const choice = new ChromeChoice<SpaceEntry>(checked, []);
        const entries = new Map<string, SpaceEntry>();
        for (const { pattern: at, kind } of changes) {
          const pattern = patterns[at]!;
          const key = formatPattern(pattern);
          const before = entries.get(key);
          if (before) {
            choice.remove(before);
            entries.delete(key);
          }
          if (kind !== 'gone') {
            const entry: SpaceEntry = { key, pattern, kind };
            entries.set(key, entry);
            choice.add(entry);
          }
          // Every change is looked at: one refresh each, past the 255 a stamp counts before it wraps.
          for (let pair = 0; pair < checked.size; pair += 1) {
            const { host, port } = checked.outcome(pair);
            expect(choice.at(pair) ?? null, `${host}:${port}`).toBe(chromeAt(entries, host, port));
          }
        }
      }),
      // A failure is reported as found: shrinking lists of hundreds of changes, each checked on every pair, takes minutes.
      { numRuns: propertyRuns(6), endOnFailure: true },
    );
  });

  it('past 32,767 entries numbered, where an entry number needs more than 16 bits a pair, every pair still has its entry', () => {
    const checked = space();
    const choice = new ChromeChoice<SpaceEntry>(checked, []);
    const entries = new Map<string, SpaceEntry>();
    const patterns: ChromePattern[] = HOSTS.flatMap((host) => PORTS.map((port) => ({ host, port })));
    // Each entry object gets a number of its own, kept when it is removed: 33,000 numbers over the same patterns.
    for (let n = 0; n < 33_000; n += 1) {
      const pattern = patterns[n % patterns.length]!;
      const key = formatPattern(pattern);
      const before = entries.get(key);
      if (before) choice.remove(before);
      const entry: SpaceEntry = { key, pattern, kind: n % 3 === 0 ? 'never' : 'allow' };
      entries.set(key, entry);
      choice.add(entry);
      // Refreshed now and then, so that pairs hold numbers both below and above 32,767 as the numbers grow.
      if (n % 4_000 === 0 || n === 32_767 || n === 32_768) choice.at(0);
    }
    expect(choice.numbers).toBe(33_000);
    const numbers = choice.numbersByPair();
    expect(Math.max(...numbers)).toBeGreaterThan(32_767);
    for (let pair = 0; pair < checked.size; pair += 1) {
      const { host, port } = checked.outcome(pair);
      expect(choice.at(pair) ?? null, `${host}:${port}`).toBe(chromeAt(entries, host, port));
    }
  });

  it('after the stamps wrap: hundreds of refreshes on one pair, then a change that touches every pair of its kind', () => {
    const checked = space();
    const domain: HostForm = { kind: 'domain', domain: 'acme.com' };
    // The change to the domain comes at or near the refresh where the stamps' count wraps (the 256th).
    for (let rounds = 250; rounds <= 258; rounds += 1) {
      const choice = new ChromeChoice<SpaceEntry>(checked, []);
      const entries = new Map<string, SpaceEntry>();
      const put = (pattern: ChromePattern, kind: 'allow' | 'never') => {
        const key = formatPattern(pattern);
        const before = entries.get(key);
        if (before) choice.remove(before);
        const entry: SpaceEntry = { key, pattern, kind };
        entries.set(key, entry);
        choice.add(entry);
        // One refresh per change.
        choice.at(0);
      };
      const agrees = () => {
        for (let pair = 0; pair < checked.size; pair += 1) {
          const { host, port } = checked.outcome(pair);
          expect(choice.at(pair) ?? null, `${rounds} rounds, ${host}:${port}`).toBe(chromeAt(entries, host, port));
        }
      };
      // The first refresh fills every pair; then one port of one host changes each round, and every other pair keeps its stamp.
      put({ host: domain, port: null }, 'allow');
      for (let round = 0; round < rounds; round += 1) put({ host: { kind: 'exact', host: 'vpn.acme.com' }, port: '20001' }, round % 2 ? 'allow' : 'never');
      put({ host: domain, port: null }, 'never');
      agrees();
    }
  });
});
