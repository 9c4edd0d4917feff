import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Action, NormalizedRule } from '../../src/engine/model';
import { RuleIndex } from '../../src/engine/rule-index';
import { firstOf, suffixHash, toKeyTable } from '../../src/engine/rule-index-keys';
import { createNaiveMatcher } from '../helpers/naive-matcher.mjs';
import { rulesWithTargetsArb } from '../helpers/index-arbitraries';
import { propertyRuns } from '../helpers/property-runs';

describe('compiled rule index against a naive RegExp-per-rule reference', () => {
  it('agrees on firstMatch (both actions), deciding and allMatches for at least 10,000 rule-set/host pairs', () => {
    let pairs = 0;
    let withMatch = 0;
    fc.assert(
      fc.property(rulesWithTargetsArb, ([rules, targets]) => {
        const index = RuleIndex.build(rules);
        const naive = createNaiveMatcher(rules);
        for (const { host, port } of targets) {
          pairs += 1;
          for (const action of ['noCertificate', 'useEnrollmentCertificate'] as const) {
            const ours = index.firstMatch(host, port, action);
            expect(ours === null ? null : rules.indexOf(ours)).toBe(naive.first(host, port, action));
          }
          const deciding = index.deciding(host, port);
          expect(deciding === null ? null : rules.indexOf(deciding)).toBe(
            naive.first(host, port, 'noCertificate') ?? naive.first(host, port, 'useEnrollmentCertificate'),
          );
          const all = index.allMatches(host, port).map((rule) => rules.indexOf(rule));
          expect(all).toEqual(naive.all(host, port));
          if (all.length > 0) withMatch += 1;
        }
      }),
      { numRuns: propertyRuns(2_000) },
    );
    console.log(`rule index: ${pairs} rule-set/host pairs compared with the naive reference, 0 disagreements (${withMatch} with a match)`);
    expect(pairs).toBeGreaterThanOrEqual(propertyRuns(10_000));
    // Agreement proves little unless matches and misses are both common.
    expect(withMatch).toBeGreaterThan(pairs / 5);
    expect(pairs - withMatch).toBeGreaterThan(pairs / 10);
  });

  it('reports the first rule in order when rules of every bucket match', () => {
    const rules: NormalizedRule[] = [
      { source: 'managed', index: 0, host: '*a*', port: '*', action: 'useEnrollmentCertificate' },
      { source: 'managed', index: 1, host: 'www.acme.com', port: '443', action: 'useEnrollmentCertificate' },
      { source: 'managed', index: 2, host: '*.acme.com', port: '443', action: 'noCertificate' },
      { source: 'profile', index: 0, host: 'www.*', port: '*443', action: 'noCertificate' },
      { source: 'profile', index: 1, host: '*acme.com', port: '4*3', action: 'noCertificate' },
    ];
    const index = RuleIndex.build(rules);
    expect(index.firstMatch('www.acme.com', '443', 'noCertificate')).toBe(rules[2]);
    expect(index.firstMatch('www.acme.com', '443', 'useEnrollmentCertificate')).toBe(rules[0]);
    expect(index.firstMatch('www.acme.com', '8443', 'noCertificate')).toBe(rules[3]);
    expect(index.firstMatch('evilacme.com', '443', 'noCertificate')).toBe(rules[4]);
    expect(index.allMatches('www.acme.com', '443')).toEqual(rules);
    expect(index.firstMatch('acme.org', '443', 'noCertificate')).toBeNull();
    expect(index.deciding('www.acme.com', '443')).toBe(rules[2]);
    expect(index.deciding('www.acme.org', '80')).toBe(rules[0]);
    expect(index.deciding('acme.org', '80')).toBe(rules[0]);
    expect(index.deciding('bcme.org', '80')).toBeNull();
  });

  it('finds a rule among 20,000 by exact host, dotted suffix, plain suffix, prefix and middle piece', () => {
    const rules: NormalizedRule[] = [];
    const add = (host: string, action: Action = 'useEnrollmentCertificate', port = '443') =>
      rules.push({ source: 'profile', index: rules.length, host, port, action });
    for (let i = 0; i < 4_000; i++) {
      add(`host${i}.corp${i % 97}.example`);
      add(`*.dept${i}.example`);
      add(`*shop${i}.example`);
      add(`intranet${i}.*`);
      add(`*-node${i}-*`, 'noCertificate', '*');
    }
    const index = RuleIndex.build(rules);
    expect(index.firstMatch('host3999.corp22.example', '443', 'useEnrollmentCertificate')?.host).toBe('host3999.corp22.example');
    expect(index.firstMatch('a.b.dept17.example', '443', 'useEnrollmentCertificate')?.host).toBe('*.dept17.example');
    expect(index.firstMatch('myshop123.example', '443', 'useEnrollmentCertificate')?.host).toBe('*shop123.example');
    expect(index.firstMatch('intranet42.acme.org', '443', 'useEnrollmentCertificate')?.host).toBe('intranet42.*');
    expect(index.firstMatch('x-node7-y.acme.org', '1', 'noCertificate')?.host).toBe('*-node7-*');
    expect(index.firstMatch('dept17.example', '443', 'useEnrollmentCertificate')).toBeNull();
    expect(index.firstMatch('host1.corp1.example', '8443', 'useEnrollmentCertificate')).toBeNull();
  });

  it('saved and loaded again (the compiled-rules cache), answers exactly as the index it was saved from', () => {
    let pairs = 0;
    fc.assert(
      fc.property(rulesWithTargetsArb, ([rules, targets]) => {
        const built = RuleIndex.build(rules);
        const saved = built.save();
        expect(saved).not.toBeNull();
        // Through JSON, as storage keeps it; rules made on demand from the saved hosts, ports and actions.
        const data = JSON.parse(JSON.stringify(saved)) as unknown;
        const made: number[] = [];
        const loaded = RuleIndex.load(data, (order, pattern) => {
          made.push(order);
          const rule = rules[order] as NormalizedRule;
          return { source: rule.source, index: rule.index, ...pattern };
        });
        expect(loaded).not.toBeNull();
        for (const { host, port } of targets) {
          pairs += 1;
          for (const action of ['noCertificate', 'useEnrollmentCertificate'] as const)
            expect(loaded?.firstMatch(host, port, action)).toEqual(built.firstMatch(host, port, action));
          expect(loaded?.deciding(host, port)).toEqual(built.deciding(host, port));
          expect(loaded?.allMatches(host, port)).toEqual(built.allMatches(host, port));
        }
        // Each rule is made once at most, and only when a lookup returns it.
        expect(new Set(made).size).toBe(made.length);
        expect(made.every((order) => order >= 0 && order < rules.length)).toBe(true);
        // A loaded index saves to the same data.
        expect(JSON.stringify((loaded as RuleIndex).save())).toBe(JSON.stringify(saved));
      }),
      { numRuns: propertyRuns(500) },
    );
    expect(pairs).toBeGreaterThanOrEqual(propertyRuns(3_000));
  });

  it('finds every key of a key table, and no other', () => {
    const key = fc.integer({ min: 0, max: 0x3fffffff });
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 300 }), fc.array(key, { maxLength: 50 }), (keys, probes) => {
        const map = new Map(keys.map((k, at) => [k, at]));
        const table = toKeyTable(map);
        for (const probe of [...keys, ...probes]) expect(firstOf(table, probe)).toBe(map.get(probe) ?? -1);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('tells apart exact hosts whose keys collide, built and loaded', () => {
    // Exact hosts are keyed by a 30-bit hash of the host; these two share it.
    const [first, second] = ['hhee.example.com', 'h10yh.example.com'];
    expect(suffixHash(first, first.length)).toBe(suffixHash(second, second.length));
    const rules: NormalizedRule[] = [
      { source: 'profile', index: 0, host: second, port: '443', action: 'useEnrollmentCertificate' },
      { source: 'profile', index: 1, host: first, port: '443', action: 'noCertificate' },
      { source: 'profile', index: 2, host: second, port: '8443', action: 'noCertificate' },
    ];
    const built = RuleIndex.build(rules);
    const loaded = RuleIndex.load(JSON.parse(JSON.stringify(built.save())), (order, pattern) => ({ ...(rules[order] as NormalizedRule), ...pattern }));
    for (const index of [built, loaded]) {
      expect(index?.deciding(first, '443')).toEqual(rules[1]);
      expect(index?.deciding(second, '443')).toEqual(rules[0]);
      expect(index?.deciding(second, '8443')).toEqual(rules[2]);
      expect(index?.allMatches(second, '443')).toEqual([rules[0]]);
      expect(index?.firstMatch(first, '443', 'useEnrollmentCertificate')).toBeNull();
      expect(index?.deciding('h10yh.example.org', '443')).toBeNull();
    }
  });

  it('keeps hosts named like Object.prototype members as plain keys when saved', () => {
    const rules: NormalizedRule[] = ['constructor', '__proto__', 'tostring', '*.hasownproperty'].map((host, index) => ({
      source: 'local',
      index,
      host,
      port: '443',
      action: 'noCertificate',
    }));
    const data = JSON.parse(JSON.stringify(RuleIndex.build(rules).save())) as unknown;
    const loaded = RuleIndex.load(data, (order, pattern) => ({ ...(rules[order] as NormalizedRule), ...pattern }));
    expect(loaded?.deciding('constructor', '443')).toEqual(rules[0]);
    expect(loaded?.deciding('__proto__', '443')).toEqual(rules[1]);
    expect(loaded?.deciding('tostring', '443')).toEqual(rules[2]);
    expect(loaded?.deciding('a.hasownproperty', '443')).toEqual(rules[3]);
    expect(loaded?.deciding('valueof', '443')).toBeNull();
    expect(loaded?.deciding('hasownproperty', '443')).toBeNull();
  });

  it('refuses saved data of another shape rather than answering from it', () => {
    const rules: NormalizedRule[] = ['a.example', '*.b.example', '*c.example', 'd.*', '*-e-*', 'f*g.example'].map((host, index) => ({
      source: 'profile',
      index,
      host,
      port: index === 3 ? '8*' : '443',
      action: index % 2 === 0 ? 'useEnrollmentCertificate' : 'noCertificate',
    }));
    const text = JSON.stringify(RuleIndex.build(rules).save());
    const ruleAt = (order: number) => rules[order] as NormalizedRule;
    expect(RuleIndex.load(JSON.parse(text), ruleAt)?.deciding('x.b.example', '443')).toEqual(rules[1]);
    const edit = (change: (value: Record<string, unknown>) => void) => {
      const value = JSON.parse(text) as Record<string, unknown>;
      change(value);
      return value;
    };
    const damaged: unknown[] = [
      null,
      [],
      'text',
      edit((value) => (value['v'] = 1)),
      edit((value) => (value['count'] = 7)),
      edit((value) => (value['next'] = (value['next'] as number[]).slice(1))),
      edit((value) => (value['hosts'] = (value['hosts'] as string).split('\n').slice(1).join('\n'))),
      edit((value) => (value['hosts'] = (value['hosts'] as string).split('\n'))),
      edit((value) => delete value['ports']),
      edit((value) => (value['ports'] = ['443'])),
      edit((value) => (value['kinds'] = (value['kinds'] as string).slice(1))),
      edit((value) => (value['kinds'] = [...(value['kinds'] as string)])),
      edit((value) => (value['kinds'] = `${(value['kinds'] as string).slice(1)}é`)),
      edit((value) => (value['tails'] = null)),
      edit((value) => (value['exact'] = (value['exact'] as { keys: number[] }).keys)),
      edit((value) => (value['exact'] as { firsts: number[] }).firsts.pop()),
      edit((value) => (value['tailFilter'] as { bits: number[] }).bits.pop()),
      edit((value) => ((value['tailFilter'] as { shift: number }).shift = 40)),
      edit((value) => (value['gramMask'] = 'x')),
    ];
    for (const data of damaged) expect(RuleIndex.load(data, ruleAt), JSON.stringify(data)?.slice(0, 80)).toBeNull();
  });
});
