import { z } from 'zod/mini';
import { util } from 'zod/v4/core';

/**
 * The one place zod is set up; every schema in src/ imports `z` from here, so
 * this runs in every bundle (service worker, pages, CLI) before any schema
 * parses. zod/mini rather than classic zod: classic schemas carry dozens of
 * methods each, which cost the service worker ~25 KB gzip and ~40 ms of
 * evaluation at every wake-up (docs/performance.md). Schemas are built with
 * functions instead (`z.optional(x)`, `x.check(z.minLength(1))`).
 *
 * English messages: classic zod installs its English locale on first use,
 * zod/mini installs none (messages would read "Invalid input"). Users, the UI
 * and tests read zod's English messages, so install exactly that locale; only
 * it is bundled.
 *
 * jitless: extension pages and the service worker forbid eval (MV3 CSP). A
 * classic object schema probed `new Function` once, which the browser reports
 * as a CSP violation even though zod catches it. zod/mini objects never
 * generate code, but nothing here may ever try, so zod is told not to.
 */
z.config({ localeError: englishIssue, jitless: true });

export { z };

/**
 * zod's English messages (zod/v4/locales/en), for the issues our schemas can
 * raise: the same words, byte for byte (test/lib/zod-messages.test.ts holds
 * them against the locale itself), without the locale's dictionary of string
 * formats none of our schemas use — about 1 KB of the worker's 40 KB budget.
 */
export function englishIssue(issue: z.core.$ZodRawIssue): string {
  const sized = (origin: unknown) =>
    origin === 'string' ? 'characters' : origin === 'array' || origin === 'set' ? 'items' : origin === 'map' ? 'entries' : origin === 'file' ? 'bytes' : null;
  const typeName = (type: string, input?: unknown) =>
    type === 'number' && typeof input === 'number' && !Number.isFinite(input) ? String(input) : type === 'nan' ? 'NaN' : type;
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${typeName(issue.expected)}, received ${typeName(util.parsedType(issue.input), issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Invalid input: expected ${util.stringifyPrimitive(issue.values[0])}`
        : `Invalid option: expected one of ${util.joinValues(issue.values, '|')}`;
    case 'too_big':
    case 'too_small': {
      const big = issue.code === 'too_big';
      const adj = issue.exact ? 'exactly ' : issue.inclusive ? (big ? '<=' : '>=') : big ? '<' : '>';
      const unit = sized(issue.origin);
      const bound = `${adj}${(big ? issue.maximum : issue.minimum).toString()}`;
      return `Too ${big ? 'big' : 'small'}: expected ${issue.origin ?? (big ? 'value' : undefined)} to ${unit ? `have ${bound} ${unit}` : `be ${bound}`}`;
    }
    case 'invalid_format': {
      const format = issue as z.core.$ZodIssueInvalidStringFormat & { prefix?: string; suffix?: string; includes?: string };
      if (format.format === 'starts_with') return `Invalid string: must start with "${format.prefix}"`;
      if (format.format === 'ends_with') return `Invalid string: must end with "${format.suffix}"`;
      if (format.format === 'includes') return `Invalid string: must include "${format.includes}"`;
      if (format.format === 'regex') return `Invalid string: must match pattern ${format.pattern}`;
      return `Invalid ${format.format === 'template_literal' ? 'input' : format.format}`;
    }
    case 'not_multiple_of':
      return `Invalid number: must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${util.joinValues(issue.keys, ', ')}`;
    case 'invalid_key':
      return `Invalid key in ${issue.origin}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown }).options;
      if (Array.isArray(options) && options.length > 0) return `Invalid discriminator value. Expected ${options.map((option) => `'${option}'`).join(' | ')}`;
      return issue.inclusive === false ? 'Invalid input: more than one option matched' : 'Invalid input';
    }
    case 'invalid_element':
      return `Invalid value in ${issue.origin}`;
    default:
      return 'Invalid input';
  }
}

/** What a lazy schema holds: how to build it, and once built, the schema. */
interface Pending {
  build: () => object;
  built?: object;
}

const built = (pending: Pending): object => (pending.built ??= pending.build());

/**
 * Property reads and `in` tests go to the built schema: all that zod and this
 * code ask of a schema (parsing goes through `._zod`, methods are read, then
 * called). Read with the built schema as receiver, so zod's getters and its
 * bound methods belong to the built schema, never to the stand-in. Listing
 * keys or asking for the prototype would see the stand-in: nothing does, and
 * each trap is bytes in the worker's 40 KB budget.
 */
const forward: ProxyHandler<Pending> = {
  get: (pending, key) => Reflect.get(built(pending), key),
  has: (pending, key) => key in built(pending),
};

/**
 * A schema built the first time anything uses it (parse, nest, read `.shape`
 * or `.options`), then kept. Why: a service worker the browser stopped runs
 * every module again at each wake-up, and building every schema in src/ at
 * module evaluation (hundreds of zod instances, each through zod code V8 has
 * not compiled yet) would be most of the background's evaluation time. A
 * wake-up builds only the schemas its path parses with.
 *
 * The value is a stand-in (a Proxy) that forwards to the built schema, so it
 * IS that schema to every user: the same type (`z.infer`, `.shape`,
 * `.options`, `.def`), the same methods, nesting in `z.object`/`z.array`/
 * `z.extend`/`z.partial`, and byte-identical issues, messages and paths (the
 * built schema does all the work). Not `z.lazy(build)`: that is a different
 * schema (a ZodMiniLazy, itself a full zod instance built at evaluation) with
 * no `.shape`, `.options` or `def.options`, which `z.extend`/`z.partial`
 * cannot take — typing it as the inner schema would lie. Parents keep their
 * children lazy as well: zod/mini reads an object's fields only at its first
 * parse.
 */
// Pure for the bundler (as zod's own constructors are): a schema no bundle uses is left out of it.
/* @__NO_SIDE_EFFECTS__ */
export function lazySchema<T extends z.core.$ZodType>(build: () => T): T {
  return new Proxy<Pending>({ build }, forward) as unknown as T;
}
