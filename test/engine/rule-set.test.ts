import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { compileSource } from '../../src/engine/compile';
import { decide, explain } from '../../src/engine/decide';
import type { SourceName } from '../../src/engine/model';
import { INDEX_FORMAT } from '../../src/engine/rule-index';
import { buildRuleSet, loadRuleSet, saveRuleSet, type RuleSet } from '../../src/engine/rule-set';
import { propertyRuns } from '../helpers/property-runs';

// Raw rules as delivered, including ones normalising rewrites and invalid ones that are dropped (index gaps).
const rawRuleArb = fc.record({
  host: fc.constantFrom(
    'acme.com',
    '*.acme.com',
    '*acme.com',
    'WWW.Acme.COM.',
    'münchen.de',
    '::1',
    '[2001:db8::1]',
    'fe80::*',
    '10.0.*.1',
    '*',
    'a_b-c.*.x',
    'https://bad.example',
    'a..b',
  ),
  port: fc.constantFrom<unknown>(undefined, '', '443', 8443, '*', '*443', '4*3', '99999'),
  action: fc.constantFrom('useEnrollmentCertificate', 'useEnrollmentCertificate', 'noCertificate', 'bogus'),
});
const sourcesArb = fc.array(
  fc.record({
    name: fc.constantFrom<SourceName>('managed', 'profile', 'local'),
    label: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
    rules: fc.array(rawRuleArb, { maxLength: 25 }),
  }),
  { minLength: 1, maxLength: 3 },
);
const URLS = [
  'https://acme.com/',
  'https://www.acme.com/',
  'https://evilacme.com:8443/',
  'https://[::1]/',
  'https://[fe80::1]:443/',
  'https://10.0.7.1/',
  'https://xn--mnchen-3ya.de/',
  'https://a_b-c.q.x:4443/',
  'https://other.example/',
];

describe('a rule set saved whole (the compiled-rules cache)', () => {
  it('loads back to the same sources and the same decisions and explanations, rules made only when asked for', () => {
    let compared = 0;
    fc.assert(
      fc.property(sourcesArb, (raw) => {
        const built = buildRuleSet(raw.map((source) => compileSource(source.name, source.rules, { label: source.label })));
        if (!built) return;
        const text = saveRuleSet(built);
        expect(typeof text).toBe('string');
        const loaded = loadRuleSet(text as string);
        expect(loaded).not.toBeNull();
        for (const url of URLS) {
          compared += 1;
          expect(decide(loaded, url)).toEqual(decide(built, url));
          expect(explain(loaded, url)).toEqual(explain(built, url));
        }
        expect(loaded?.sources).toEqual(built.sources);
        // Saved again, the same text.
        expect(saveRuleSet(loaded as NonNullable<typeof loaded>)).toBe(text);
      }),
      { numRuns: propertyRuns(300) },
    );
    expect(compared).toBeGreaterThan(1_000);
  });

  it('keeps rule indices with gaps (rules dropped at compile time) and labels', () => {
    const built = buildRuleSet([
      compileSource(
        'local',
        [
          { host: 'bad host', action: 'useEnrollmentCertificate' },
          { host: 'b.example', action: 'noCertificate' },
        ],
        { label: 'local rules' },
      ),
      compileSource('managed', [{ host: 'a.example', action: 'useEnrollmentCertificate' }]),
    ]);
    const loaded = loadRuleSet(saveRuleSet(built as NonNullable<typeof built>) as string);
    expect(loaded?.sources.map((source) => source.name)).toEqual(['managed', 'local']);
    expect(decide(loaded, 'https://b.example/').rule).toEqual({ source: 'local', index: 1, host: 'b.example', port: '443', action: 'noCertificate' });
    expect(loaded?.sources[1]?.label).toBe('local rules');
  });

  it("describes a loaded set's sources without making a rule; its sources make each rule once, as plain data", () => {
    const built = buildRuleSet([
      compileSource('profile', [{ host: 'a.example', action: 'useEnrollmentCertificate' }], { label: 'Work' }),
      compileSource('local', [
        { host: 'bad host', action: 'useEnrollmentCertificate' },
        { host: '*.b.example', port: '*', action: 'noCertificate' },
        { host: 'c.*', action: 'useEnrollmentCertificate' },
      ]),
    ]) as RuleSet;
    const loaded = loadRuleSet(saveRuleSet(built)) as RuleSet;
    expect(decide(loaded, 'https://x.b.example/').reason).toBe('deny-rule');
    const made = vi.spyOn(loaded.index, 'rule');
    expect(loaded.summaries).toEqual(built.summaries);
    expect(loaded.summaries.map((source) => [source.name, source.label, source.count, source.total])).toEqual([
      ['profile', 'Work', 1, 1],
      ['local', undefined, 2, 3],
    ]);
    expect(made).not.toHaveBeenCalled();
    const sources = loaded.sources;
    expect(made).toHaveBeenCalledTimes(3);
    expect(loaded.sources).toBe(sources);
    expect(made).toHaveBeenCalledTimes(3);
    // What a page is sent (structured clone, as messages are): the rules are data, not a getter left behind.
    expect(structuredClone(sources)).toEqual(built.sources);
    expect(JSON.parse(JSON.stringify(sources))).toEqual(JSON.parse(JSON.stringify(built.sources)));
    // A decision returns the very rule object the sources hold.
    expect(loaded.index.deciding('x.b.example', '1')).toBe(sources[1]?.rules[0]);
  });

  it('refuses text that is not a saved rule set', () => {
    const built = buildRuleSet([compileSource('profile', [{ host: 'a.example', action: 'useEnrollmentCertificate' }])]);
    const text = saveRuleSet(built as NonNullable<typeof built>) as string;
    const edit = (change: (value: { v: number; sources: Record<string, unknown>[]; index: Record<string, unknown> }) => void) => {
      const value = JSON.parse(text) as { v: number; sources: Record<string, unknown>[]; index: Record<string, unknown> };
      change(value);
      return JSON.stringify(value);
    };
    const damaged = [
      '',
      text.slice(0, -3),
      'null',
      text.slice(0, text.length / 2),
      edit((value) => (value.v = 2)),
      edit((value) => (value.v = 0)),
      edit((value) => ((value as { v: unknown }).v = '1')),
      edit((value) => delete (value as { v?: unknown }).v),
      edit((value) => (value.index['v'] = INDEX_FORMAT + 1)),
      edit((value) => delete value.index['v']),
      edit((value) => ((value as { index: unknown }).index = null)),
      edit((value) => (value.sources = [])),
      edit((value) => ((value.sources[0] as Record<string, unknown>)['name'] = 'elsewhere')),
      edit((value) => ((value.sources[0] as Record<string, unknown>)['count'] = 2)),
      edit((value) => ((value.sources[0] as Record<string, unknown>)['indices'] = [0, 1])),
      edit((value) => (value.index['v'] = 1)),
      edit((value) => (value.index['hosts'] = [])),
    ];
    for (const bad of damaged) expect(loadRuleSet(bad), bad.slice(0, 60)).toBeNull();
  });
});
