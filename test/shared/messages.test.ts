import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { z } from '../../src/lib/zod';
import { parseRequest, RequestSchema, type RequestType } from '../../src/shared/messages';
import { propertyRuns } from '../helpers/property-runs';

const TYPES = RequestSchema.def.options.map((option) => option.shape.type.def.values[0]) as RequestType[];

/** The whole result, key order included (what a reply or a log would show). */
const asText = (result: { success: boolean; data?: unknown; error?: { issues: unknown[] } }) =>
  JSON.stringify(result.success ? { data: result.data } : { issues: result.error?.issues });

const MESSAGES: unknown[] = [
  undefined,
  null,
  0,
  'getStatus',
  [],
  Object.assign([], { type: 'getStatus' }),
  {},
  { type: 'nope' },
  { type: 1 },
  { type: null },
  // Not request types, though every object has them.
  { type: 'toString' },
  { type: 'constructor' },
  { type: '__proto__' },
  { type: 'hasOwnProperty' },
  Object.create({ type: 'getStatus' }),
  { type: 'getTabState', tabId: 'one' },
  { type: 'getTabState', tabId: 1.5 },
  { type: 'getTabState' },
  { type: 'getPopupState', tabId: 3, extra: 1 },
  { type: 'evaluateUrl', url: 'x'.repeat(9000) },
  { type: 'evaluateUrl', url: 'https://a.example/' },
  { type: 'setLocalRules', rules: {} },
  { type: 'setLocalRules', rules: new Array(100_001).fill(0) },
  { type: 'setLocalSettings', settings: [] },
  { type: 'consoleSaveProfile', profileId: null, name: '', description: 'd'.repeat(2001), rules: 'x' },
  { type: 'consoleSaveProfile', profileId: 'p', name: 'n', description: '', rules: [] },
  ...TYPES.map((type) => ({ type })),
  ...TYPES.map((type) => ({ type, tabId: -1, url: 5, rules: [1], settings: { a: 1 }, profileId: '', name: 'n', description: 'd' })),
];

/** Schemas zod constructs while `work` runs, in a fresh copy of the modules (nothing built yet). */
async function constructedBy(work: (messages: typeof import('../../src/shared/messages')) => void): Promise<number> {
  vi.resetModules();
  const messages = await import('../../src/shared/messages');
  // zod's construction hook (the one zod/compile uses): called once per schema or check built.
  const config = z.config() as { postProcessor?: (schema: unknown) => void };
  let count = 0;
  config.postProcessor = () => void (count += 1);
  try {
    work(messages);
  } finally {
    delete config.postProcessor;
  }
  return count;
}

describe('request validation', () => {
  it('the union holds every request type once', () => {
    expect(TYPES).toHaveLength(18);
    expect(new Set(TYPES).size).toBe(TYPES.length);
    expect(TYPES).toContain('evaluateUrl');
    expect(TYPES).toContain('getRuleLint');
  });

  it('parseRequest answers exactly as RequestSchema: data, issues, paths and messages', () => {
    for (const message of MESSAGES) {
      expect(asText(parseRequest(message)), JSON.stringify(message)?.slice(0, 120)).toBe(asText(RequestSchema.safeParse(message)));
    }
  });

  it('… for any message (property)', () => {
    const field = fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }));
    const message = fc.oneof(
      fc.anything(),
      fc.record(
        {
          type: fc.oneof(fc.constantFrom(...TYPES), fc.string(), fc.anything()),
          tabId: field,
          url: field,
          rules: field,
          settings: field,
          profileId: field,
          name: field,
          description: field,
        },
        { requiredKeys: ['type'] },
      ),
    );
    fc.assert(
      fc.property(message, (value) => {
        expect(asText(parseRequest(value))).toBe(asText(RequestSchema.safeParse(value)));
      }),
      { numRuns: propertyRuns(1_000) },
    );
  });

  it('a request builds the schema of its own type only, not the union (a wake-up answers one request)', async () => {
    const one = await constructedBy(({ parseRequest }) => expect(parseRequest({ type: 'evaluateUrl', url: 'https://a.example/' }).success).toBe(true));
    const again = await constructedBy(({ parseRequest }) => {
      parseRequest({ type: 'evaluateUrl', url: 'https://a.example/' });
      parseRequest({ type: 'evaluateUrl', url: 'https://b.example/' });
    });
    const unknown = await constructedBy(({ parseRequest }) => expect(parseRequest({ type: 'nope' }).success).toBe(false));
    const union = await constructedBy(({ RequestSchema }) =>
      expect(RequestSchema.safeParse({ type: 'evaluateUrl', url: 'https://a.example/' }).success).toBe(true),
    );
    expect(one).toBeGreaterThan(0);
    expect(again).toBe(one);
    expect(union).toBeGreaterThan(one * 8);
    expect(unknown * 8).toBeLessThan(union);
  });
});
