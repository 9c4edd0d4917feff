import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { lintRules } from '../../src/engine/index';
import { ruleFromHash, ruleHash, optionsRuleUrl } from '../../src/ui/common/rule-link';
import { checkDraft, checkRows, rowsFromRules, type DraftCache } from '../../src/ui/options/rule-draft';
import { filterItem, filterTexts, matchingPositions, parseRuleQuery, setFindings, syncFindings } from '../../src/ui/options/rule-filter';
import { locationFromHash } from '../../src/ui/options/sections';
import { ruleArb } from '../helpers/arbitraries';
import { propertyRuns } from '../helpers/property-runs';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);

const rule = (host: unknown, port: unknown, action: unknown, findings: { code: string; severity: 'error' | 'warning'; message: string }[] = []) =>
  filterItem({
    host,
    port,
    action,
    source: 'profile',
    sourceLabel: 'Corporate',
    findings: findings.map((finding) => ({ index: 0, ...finding })) as never,
  });
const finds = (item: ReturnType<typeof rule>, query: string) => matchingPositions([item], parseRuleQuery(query)).length === 1;

describe('the rule filter', () => {
  it('parses words, field prefixes, and leaves other colons alone', () => {
    expect(parseRuleQuery('  Acme  PORT:8443 lint: host: [::1] a:b ')).toEqual([
      { field: null, value: 'acme' },
      { field: 'port', value: '8443' },
      { field: 'lint', value: '' },
      { field: null, value: '[::1]' },
      { field: null, value: 'a:b' },
    ]);
    expect(parseRuleQuery('')).toEqual([]);
  });

  it('host: text in the pattern, or a host name the pattern matches', () => {
    const wildcard = rule('*.Acme.com', '', 'useEnrollmentCertificate');
    expect(finds(wildcard, 'host:acme')).toBe(true);
    expect(finds(wildcard, 'host:mail.acme.com')).toBe(true);
    expect(finds(wildcard, 'host:acme.com')).toBe(true);
    expect(finds(wildcard, 'host:mail.acme.org')).toBe(false);
    expect(finds(wildcard, 'host:evilacme.com')).toBe(false);
  });

  it('port: a number finds the patterns that apply to it, not other numbers that contain it; an empty port is 443', () => {
    expect(finds(rule('a', '', 'noCertificate'), 'port:443')).toBe(true);
    expect(finds(rule('a', '10443', 'noCertificate'), 'port:443')).toBe(false);
    expect(finds(rule('a', '*443', 'noCertificate'), 'port:10443')).toBe(true);
    expect(finds(rule('a', '*', 'noCertificate'), 'port:8443')).toBe(true);
    expect(finds(rule('a', '8443', 'noCertificate'), 'port:*')).toBe(false);
    expect(finds(rule('a', '*', 'noCertificate'), 'port:*')).toBe(true);
    // A bare word looks for text.
    expect(finds(rule('a', '10443', 'noCertificate'), '443')).toBe(true);
  });

  it('action: by the name in the JSON, the words on the page, and everyday words', () => {
    const allow = rule('a', '', 'useEnrollmentCertificate');
    const deny = rule('a', '', 'noCertificate');
    for (const word of ['allow', 'permit', 'useenrollment'])
      expect([finds(allow, `action:${word}`), finds(deny, `action:${word}`)], word).toEqual([true, false]);
    for (const word of ['deny', 'never', 'nocertificate', 'block'])
      expect([finds(allow, `action:${word}`), finds(deny, `action:${word}`)], word).toEqual([false, true]);
    expect(finds(rule('a', '', 'sometimes'), 'action:unknown')).toBe(true);
  });

  it('source: by name and as the page names it', () => {
    const item = rule('a', '', 'noCertificate');
    expect(finds(item, 'source:profile')).toBe(true);
    expect(finds(item, 'source:corporate')).toBe(true);
    expect(finds(item, 'source:console')).toBe(true);
    expect(finds(item, 'source:local')).toBe(false);
  });

  it('lint: alone finds any finding; with a word, the code, severity or message', () => {
    const clean = rule('a', '', 'noCertificate');
    const shadowed = rule('b', '', 'noCertificate', [{ code: 'unreachable', severity: 'warning', message: 'rule 1 duplicates rule 0' }]);
    const broken = rule('https://x', '', 'noCertificate', [{ code: 'invalid-host', severity: 'error', message: 'rule 2: not a host' }]);
    expect([clean, shadowed, broken].map((item) => finds(item, 'lint:'))).toEqual([false, true, true]);
    expect([clean, shadowed, broken].map((item) => finds(item, 'lint:unreachable'))).toEqual([false, true, false]);
    expect([clean, shadowed, broken].map((item) => finds(item, 'lint:error'))).toEqual([false, false, true]);
    expect([clean, shadowed, broken].map((item) => finds(item, 'lint:duplicates'))).toEqual([false, true, false]);
  });

  it('every word must match; a bare word looks in every field', () => {
    const item = rule('vpn.acme.com', '8443', 'noCertificate');
    expect(finds(item, 'vpn never')).toBe(true);
    expect(finds(item, 'vpn allow')).toBe(false);
    expect(finds(item, 'corporate')).toBe(true);
    expect(finds(item, 'VPN 8443')).toBe(true);
  });

  it('takes any delivered value without failing (numbers, objects, nothing)', () => {
    expect(finds(rule(42, 443, null), '42 port:443')).toBe(true);
    expect(finds(rule({ a: 1 }, undefined, undefined), 'host:"a"')).toBe(true);
  });
});

describe('findings that change apart from the rules', () => {
  const warning = (message: string) => ({ index: 0, severity: 'warning' as const, code: 'unreachable' as const, message });

  it('setFindings makes the lint words again, and an item found by them no longer is once they are gone', () => {
    const texts = filterTexts();
    const item = rule('a.example', '443', 'noCertificate');
    expect(finds(item, 'lint:')).toBe(false);
    setFindings(item, [warning('rule 0 is shadowed')], texts);
    expect([finds(item, 'lint:'), finds(item, 'lint:shadowed'), finds(item, 'shadowed'), finds(item, 'lint:warning')]).toEqual([true, true, true, true]);
    setFindings(item, [], texts);
    expect([finds(item, 'lint:'), finds(item, 'shadowed')]).toEqual([false, false]);
    // The rule's own words stay what they were.
    expect(finds(item, 'host:a.example action:deny')).toBe(true);
  });

  it('syncFindings gives every item what filterItem would have given it with the new findings', () => {
    const texts = filterTexts();
    const hosts = ['a.example', 'b.example', 'c.example'];
    const before = [[], [warning('old note')], []];
    const after = [[warning('new note')], [], []];
    const items = hosts.map((host, at) =>
      filterItem({ host, port: '', action: 'noCertificate', source: 'local', sourceLabel: null, findings: before[at] ?? [] }, texts),
    );
    syncFindings(items, (at) => after[at] ?? [], texts);
    const fresh = hosts.map((host, at) =>
      filterItem({ host, port: '', action: 'noCertificate', source: 'local', sourceLabel: null, findings: after[at] ?? [] }),
    );
    const words = (list: typeof items) =>
      list.map(({ host, port, action, source, lint, findingCount }) => ({ host, port, action, source, lint, findingCount }));
    expect(words(items)).toEqual(words(fresh));
    expect(matchingPositions(items, parseRuleQuery('note'))).toEqual([0]);
  });
});

describe('links to a rule', () => {
  it('writes and reads #rule=source:index', () => {
    expect(ruleHash({ source: 'profile', index: 16 })).toBe('#rule=profile:16');
    expect(optionsRuleUrl({ source: 'local', index: 0 })).toBe('../options/index.html#rule=local:0');
    expect(ruleFromHash('#rule=profile:16')).toEqual({ source: 'profile', index: 16 });
    expect(ruleFromHash('rule=managed:0')).toEqual({ source: 'managed', index: 0 });
    expect(locationFromHash('#rule=local:4999')).toEqual({ section: 'rules', rule: { source: 'local', index: 4999 } });
    expect(locationFromHash('#tester')).toEqual({ section: 'tester', rule: null });
  });

  it('reads nothing from a hash it never writes', () => {
    for (const hash of [
      '#rule=profile:-1',
      '#rule=profile:01',
      '#rule=profile:1.5',
      '#rule=other:3',
      '#rule=profile:',
      '#rule=:3',
      '#rule=profile:12345678',
      '#rule=profile:3x',
      '#rules',
    ])
      expect(ruleFromHash(hash), hash).toBeNull();
    expect(locationFromHash('#rule=bogus:1')).toEqual({ section: 'rules', rule: null });
  });
});

describe('the editor check', () => {
  it('gives per row what lintRules gives for the rules it saves, also after edits that reuse the row cache', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 25 }), fc.array(fc.tuple(fc.nat(), ruleArb), { maxLength: 6 }), (initial, edits) => {
        const cache: DraftCache = new WeakMap();
        let rows = rowsFromRules(initial);
        const expectSame = () => {
          const check = checkDraft(rows, false, cache);
          const want: unknown[][] = rows.map(() => []);
          const saved = rows.map((row) => ({ ...row.extra, host: row.host.trim(), port: row.port.trim(), action: row.action }));
          for (const finding of lintRules(saved)) want[finding.index]?.push(finding);
          expect(check.findings).toEqual(want);
          expect(check.invalid).toBe(want.some((list) => list.some((finding) => (finding as { severity: string }).severity === 'error')));
        };
        expectSame();
        for (const [at, next] of edits) {
          if (rows.length === 0) break;
          const position = at % rows.length;
          // An edit replaces one row; a move swaps two (both change position).
          rows =
            at % 3 === 0
              ? rows.map((row, i) => (i === position ? { ...row, host: next.host, port: next.port, action: next.action } : row))
              : [...rows].reverse();
          expectSame();
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});

describe('the editor check of the first rows only', () => {
  it('checks the first rows, leaves the rest pending (no errors claimed for them), and a full check with the same cache agrees with one from scratch', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 40 }), fc.nat({ max: 45 }), (raw, first) => {
        const rows = rowsFromRules(raw);
        const cache: DraftCache = new WeakMap();
        const partial = checkRows(rows, false, cache, first);
        const full = checkRows(rows, false);
        expect(partial.pending).toBe(first < rows.length);
        expect(full.pending).toBe(false);
        rows.forEach((_, position) => expect(partial.errors[position]).toEqual(position < first ? full.errors[position] : []));
        // Invalid is claimed only from rows checked; the full check finds the rest.
        expect(partial.invalid).toBe(full.errors.slice(0, first).some((list) => list.length > 0));
        expect(checkRows(rows, false, cache)).toEqual(full);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});
