import { describe, expect, it, vi } from 'vitest';
import { lazySchema, z } from '../../src/lib/zod';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/** The same shape, eager and lazy (children lazy too), for side-by-side results. */
const principal = () => z.strictObject({ CN: z.optional(z.string().check(z.minLength(1))), O: z.optional(z.string()) });
const record = (child: z.ZodMiniType) =>
  z.object({
    id: z.number().check(z.int(), z.nonnegative()),
    kind: z.enum(['a', 'b']),
    issuer: z.optional(child),
    items: z.array(z.nullable(child)).check(z.maxLength(2)),
  });
const eager = record(principal());
const lazyChild = lazySchema(principal);
const lazy = lazySchema(() => record(lazyChild));

const SAMPLES: unknown[] = [
  undefined,
  null,
  'x',
  [],
  {},
  { id: 1, kind: 'a', items: [] },
  { id: 1, kind: 'a', items: [null, { CN: 'c' }] },
  { id: -1.5, kind: 'c', issuer: { CN: '', X: 1 }, items: [{ O: 3 }, null, {}] },
  { id: 2, kind: 'b', issuer: 'nope', items: 'nope' },
];

const result = (schema: z.ZodMiniType, value: unknown) => JSON.stringify(schema.safeParse(value));

describe('lazySchema', () => {
  it('builds the schema on first use only, and once', () => {
    const build = vi.fn(() => z.string());
    const schema = lazySchema(build);
    const parent = lazySchema(() => z.object({ name: schema }));
    expect(build).not.toHaveBeenCalled();
    expect(parent.safeParse({ name: 'n' }).success).toBe(true);
    expect(schema.safeParse(1).success).toBe(false);
    expect(schema.parse('s')).toBe('s');
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('parses, fails and words its issues (paths, messages) exactly as the same schema built eagerly', () => {
    for (const value of SAMPLES) {
      expect(result(lazy, value), JSON.stringify(value)).toBe(result(eager, value));
      expect(result(z.array(lazy), [value, value]), JSON.stringify(value)).toBe(result(z.array(eager), [value, value]));
    }
    expect(() => lazy.parse({})).toThrow(/expected number/);
  });

  it('keeps optional keys optional, inside and around it', () => {
    const inside = lazySchema(() => z.optional(z.string()));
    const object = z.object({ a: inside, b: z.optional(lazySchema(() => z.number())) });
    expect(object.parse({})).toEqual({});
    expect('a' in object.parse({})).toBe(false);
    expect(result(object, { a: 1 })).toBe(result(z.object({ a: z.optional(z.string()), b: z.optional(z.number()) }), { a: 1 }));
  });

  it('is the schema to its users: shape, options, def, extend, partial, JSON schema, `in`', () => {
    expect(Object.keys(lazy.shape)).toEqual(Object.keys(eager.shape));
    expect(lazy.def.type).toBe('object');
    expect('shape' in lazy).toBe(true);
    expect(lazySchema(() => z.enum(['x', 'y'])).options).toEqual(['x', 'y']);
    const extended = z.extend(lazy, { extra: z.string() });
    expect(result(extended, { id: 1, kind: 'a', items: [] })).toBe(result(z.extend(eager, { extra: z.string() }), { id: 1, kind: 'a', items: [] }));
    expect(result(z.partial(lazy), { kind: 'q' })).toBe(result(z.partial(eager), { kind: 'q' }));
    expect(z.toJSONSchema(lazy)).toEqual(z.toJSONSchema(eager));
  });

  it('keeps the inferred type', () => {
    const same: Equal<z.infer<typeof lazy>, z.infer<typeof eager>> = true;
    const sameInput: Equal<z.input<typeof lazyChild>, z.input<ReturnType<typeof principal>>> = true;
    expect([same, sameInput]).toEqual([true, true]);
  });
});
