import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedRule } from '../../src/engine/model';
import { INDEX_FORMAT, RuleIndex, type SavedRuleIndex } from '../../src/engine/rule-index';
import { rulesWithTargetsArb } from '../helpers/index-arbitraries';
import { createNaiveMatcher } from '../helpers/naive-matcher.mjs';
import { propertyRuns } from '../helpers/property-runs';

const ACTIONS = ['noCertificate', 'useEnrollmentCertificate'] as const;

/** The index saved and loaded again through JSON, each rule made from its source rule and saved pattern. */
function reloaded(rules: readonly NormalizedRule[], saved: unknown = JSON.parse(JSON.stringify(RuleIndex.build(rules).save()))): RuleIndex | null {
  return RuleIndex.load(saved, (order, pattern) => ({ ...(rules[order] as NormalizedRule), ...pattern }));
}

/** Every kind of lookup on every target: what a caller can ask of an index. */
function askEverything(index: RuleIndex, targets: readonly { host: string; port: string }[]): void {
  for (const { host, port } of targets) {
    for (const action of ACTIONS) index.firstMatch(host, port, action);
    index.deciding(host, port);
    index.allMatches(host, port);
  }
}

const SAMPLE: NormalizedRule[] = ['a.example', '*.b.example', '*c.example', 'd.*', '*-e-*', 'f*g.example', '*.vpn.*'].map((host, index) => ({
  source: 'profile',
  index,
  host,
  port: ['443', '8*', '*', '44*3'][index % 4] as string,
  action: index % 3 === 0 ? 'noCertificate' : 'useEnrollmentCertificate',
}));
const SAMPLE_TARGETS = ['a.example', 'x.b.example', 'abc.example', 'd.org', 'x-e-y', 'fxg.example', 'a.vpn.b', 'other'].flatMap((host) =>
  ['443', '8443', '4413', '80'].map((port) => ({ host, port })),
);

describe('RuleIndex: the class the rule set matches with', () => {
  it('answers each lookup as the naive matcher, whatever lookups on it and on other indexes came before', () => {
    // Two rule sets, each built and loaded: four indexes asked in a random interleaving.
    const callArb = fc.record({ index: fc.nat({ max: 3 }), target: fc.nat(), kind: fc.constantFrom('first-deny', 'first-allow', 'deciding', 'all') });
    let calls = 0;
    fc.assert(
      fc.property(
        rulesWithTargetsArb,
        rulesWithTargetsArb,
        fc.array(callArb, { minLength: 1, maxLength: 30 }),
        ([rulesA, targetsA], [rulesB, targetsB], script) => {
          const sets = [
            { rules: rulesA, targets: [...targetsA, ...targetsB] },
            { rules: rulesB, targets: [...targetsB, ...targetsA] },
          ];
          const indexes = sets.flatMap((set) => [RuleIndex.build(set.rules), reloaded(set.rules) as RuleIndex]);
          const naives = sets.map((set) => createNaiveMatcher(set.rules));
          for (const call of script) {
            calls += 1;
            const set = sets[call.index >> 1] as (typeof sets)[number];
            const naive = naives[call.index >> 1] as (typeof naives)[number];
            const index = indexes[call.index] as RuleIndex;
            const { host, port } = set.targets[call.target % set.targets.length] as { host: string; port: string };
            const order = (rule: NormalizedRule | null) => (rule === null ? null : set.rules.findIndex((candidate) => candidate.index === rule.index));
            if (call.kind === 'all') expect(index.allMatches(host, port).map(order)).toEqual(naive.all(host, port));
            else if (call.kind === 'deciding')
              expect(order(index.deciding(host, port))).toBe(naive.first(host, port, 'noCertificate') ?? naive.first(host, port, 'useEnrollmentCertificate'));
            else {
              const action = call.kind === 'first-deny' ? 'noCertificate' : 'useEnrollmentCertificate';
              expect(order(index.firstMatch(host, port, action))).toBe(naive.first(host, port, action));
            }
          }
        },
      ),
      { numRuns: propertyRuns(300) },
    );
    expect(calls).toBeGreaterThan(propertyRuns(1_000));
  });

  it('gives each rule by its order number, built or loaded, and no rule outside the index', () => {
    const loaded = reloaded(SAMPLE) as RuleIndex;
    for (const index of [RuleIndex.build(SAMPLE), loaded]) {
      expect(index.count).toBe(SAMPLE.length);
      SAMPLE.forEach((rule, order) => expect(index.rule(order)).toEqual(rule));
      for (const order of [-1, SAMPLE.length, 1.5, Number.NaN]) expect(() => index.rule(order), String(order)).toThrow(RangeError);
    }
    // A loaded index makes each rule once: the rule a lookup returns is the one rule() gives.
    expect(loaded.deciding('x.b.example', '8443')).toBe(loaded.rule(1));
    expect(RuleIndex.build([]).count).toBe(0);
    expect(reloaded([])?.deciding('a.example', '443')).toBeNull();
  });

  it('saves to the same data after a round trip, and what it saves is plain JSON of this format', () => {
    const saved = RuleIndex.build(SAMPLE).save();
    expect(saved.v).toBe(INDEX_FORMAT);
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
    expect(reloaded(SAMPLE, JSON.parse(JSON.stringify(saved)))?.save()).toEqual(saved);
  });

  it('refuses an index saved in any other format version, so that the caller builds it again', () => {
    const saved = JSON.parse(JSON.stringify(RuleIndex.build(SAMPLE).save())) as Record<string, unknown>;
    expect(reloaded(SAMPLE, saved)).not.toBeNull();
    for (const v of [INDEX_FORMAT - 1, INDEX_FORMAT + 1, 0, String(INDEX_FORMAT), null, undefined]) {
      expect(reloaded(SAMPLE, { ...saved, v }), String(v)).toBeNull();
    }
  });

  it('refuses a saved port pattern that is not text rather than failing at a lookup', () => {
    const saved = JSON.parse(JSON.stringify(RuleIndex.build(SAMPLE).save())) as SavedRuleIndex;
    expect(Object.keys(saved.ports).length).toBeGreaterThan(0);
    for (const bad of [8443, null, ['8*'], {}]) {
      const ports = Object.fromEntries(Object.keys(saved.ports).map((order) => [order, bad]));
      expect(reloaded(SAMPLE, { ...saved, ports }), JSON.stringify(bad)).toBeNull();
    }
  });

  it('ends every lookup, inside the index, when the saved chains point back, to themselves or outside', () => {
    const saved = JSON.parse(JSON.stringify(RuleIndex.build(SAMPLE).save())) as SavedRuleIndex;
    const chains: number[][] = [
      SAMPLE.map(() => 0),
      SAMPLE.map((_, order) => order),
      SAMPLE.map((_, order) => order - 1),
      SAMPLE.map(() => SAMPLE.length + 5),
      SAMPLE.map(() => -7),
    ];
    for (const next of chains) {
      const index = reloaded(SAMPLE, { ...saved, next, exact: { keys: saved.exact.keys, firsts: saved.exact.firsts.map(() => SAMPLE.length - 1) } });
      expect(index).not.toBeNull();
      expect(() => askEverything(index as RuleIndex, SAMPLE_TARGETS), JSON.stringify(next)).not.toThrow();
    }
  });

  it('given saved data with any one part damaged, refuses it or answers every lookup without failing', () => {
    const valueArb = fc.oneof(
      fc.integer({ min: -3, max: 40 }),
      fc.constantFrom(null, true, '', 'x', '*', 1.5, -1e9, 2 ** 31),
      fc.constant([]),
      fc.constant({}),
      fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 4 }),
      fc.string({ maxLength: 6 }),
    );
    let refused = 0;
    let answered = 0;
    fc.assert(
      fc.property(rulesWithTargetsArb, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), valueArb, ([rules, targets], path, value) => {
        const damaged = JSON.parse(JSON.stringify(RuleIndex.build(rules).save())) as Record<string, unknown>;
        let holder: Record<string, unknown> = damaged;
        let key = Object.keys(holder)[(path[0] as number) % Object.keys(holder).length] as string;
        for (const step of path.slice(1)) {
          const inner = holder[key];
          if (!inner || typeof inner !== 'object' || Object.keys(inner).length === 0) break;
          holder = inner as Record<string, unknown>;
          key = Object.keys(holder)[step % Object.keys(holder).length] as string;
        }
        holder[key] = value;
        const index = reloaded(rules, damaged);
        if (index === null) refused += 1;
        else {
          answered += 1;
          askEverything(index, targets);
        }
      }),
      { numRuns: propertyRuns(1_500) },
    );
    // Both branches were taken: the property tested loading and lookups, not only refusals.
    expect(refused).toBeGreaterThan(0);
    expect(answered).toBeGreaterThan(0);
  });
});
