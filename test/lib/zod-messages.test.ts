import { describe, expect, it } from 'vitest';
import en from 'zod/v4/locales/en.js';
import { englishIssue, z } from '../../src/lib/zod';

const zodEnglish = en().localeError as (issue: z.core.$ZodRawIssue) => string;

/** Every issue kind zod raises, in the variants the English locale words differently. */
const ISSUES: z.core.$ZodRawIssue[] = [
  ...[
    undefined,
    null,
    0,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    'x',
    true,
    [],
    {},
    new Date(0),
    10n,
    Symbol('s'),
    () => 1,
    new Map(),
    new Set(),
    Promise.resolve(),
    new Uint8Array(1),
  ].flatMap((input) =>
    ['string', 'number', 'int', 'boolean', 'array', 'object', 'record', 'nan', 'literal', 'unknown'].map(
      (expected) => ({ code: 'invalid_type', expected, input }) as z.core.$ZodRawIssue,
    ),
  ),
  { code: 'invalid_value', values: ['a'], input: 'b' },
  { code: 'invalid_value', values: [1], input: 2 },
  { code: 'invalid_value', values: [null], input: 2 },
  { code: 'invalid_value', values: [true, 'x', 2, null, undefined, 3n], input: 2 },
  { code: 'invalid_value', values: ['off', 'warn', 'block'], input: 'sometimes' },
  ...(['string', 'array', 'set', 'map', 'file', 'number', 'bigint', 'date', undefined] as const).flatMap((origin) =>
    [{ exact: true, inclusive: true }, { exact: false, inclusive: true }, { exact: false, inclusive: false }, {}].flatMap((flags) => [
      { code: 'too_big', origin, maximum: 10, input: 0, ...flags } as z.core.$ZodRawIssue,
      { code: 'too_small', origin, minimum: 1, input: 0, ...flags } as z.core.$ZodRawIssue,
      { code: 'too_big', origin, maximum: 10n, input: 0, ...flags } as z.core.$ZodRawIssue,
    ]),
  ),
  { code: 'invalid_format', format: 'regex', pattern: '/^a$/', input: 'b' },
  { code: 'invalid_format', format: 'starts_with', prefix: 'x', input: 'b' } as z.core.$ZodRawIssue,
  { code: 'invalid_format', format: 'ends_with', suffix: 'x', input: 'b' } as z.core.$ZodRawIssue,
  { code: 'invalid_format', format: 'includes', includes: 'x', input: 'b' } as z.core.$ZodRawIssue,
  { code: 'invalid_format', format: 'template_literal', input: 'b' },
  { code: 'not_multiple_of', divisor: 3, input: 4 },
  { code: 'unrecognized_keys', keys: ['a'], input: {} },
  { code: 'unrecognized_keys', keys: ['a', 'b'], input: {} },
  { code: 'invalid_key', origin: 'record', issues: [], input: {} },
  { code: 'invalid_key', origin: 'map', issues: [], input: {} },
  { code: 'invalid_union', errors: [], input: 1 },
  { code: 'invalid_union', errors: [], input: 1, inclusive: false, matches: [] },
  { code: 'invalid_union', errors: [], input: 1, options: ['a', 'b'] } as z.core.$ZodRawIssue,
  { code: 'invalid_element', origin: 'set', key: 1, issues: [], input: 1 },
  { code: 'custom', input: 1 },
];

describe("zod's English messages, as the extension words them", () => {
  it('says exactly what the English locale says for every kind of issue', () => {
    for (const issue of ISSUES)
      expect(
        englishIssue(issue),
        JSON.stringify(issue, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)),
      ).toBe(zodEnglish(issue));
    expect(ISSUES.length).toBeGreaterThan(200);
  });

  it('is what zod uses: real parses read as the English locale words them', () => {
    const Schema = z.strictObject({
      name: z.string().check(z.minLength(1), z.maxLength(3)),
      count: z.number().check(z.int(), z.gte(0), z.lte(9)),
      mode: z.enum(['off', 'warn', 'block']),
      list: z.array(z.boolean()).check(z.maxLength(1)),
      id: z.string().check(z.regex(/^[a-z]+$/)),
      either: z.union([z.string(), z.number()]),
      map: z.record(z.string(), z.number()),
    });
    const inputs: unknown[] = [
      {},
      { name: '', count: 1.5, mode: 'x', list: [1, true, false], id: 'A', either: null, map: { a: 'x' }, extra: 1 },
      { name: 'abcd', count: -1, mode: 2, list: 'x', id: 3, either: [], map: [] },
      { name: 1, count: 10, mode: null, list: [true, true], id: '', either: true, map: null },
      null,
      'text',
    ];
    const messages = () =>
      inputs.flatMap((input) => Schema.safeParse(input).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? ['parsed']);
    const ours = messages();
    try {
      z.config(en());
      expect(ours).toEqual(messages());
    } finally {
      z.config({ localeError: englishIssue });
    }
    const issues = ours.length;
    expect(issues).toBeGreaterThan(15);
  });
});
