import { lazySchema, z } from '../lib/zod';
import { ConsoleError } from './failure';
import { isRecord } from './answer';

/**
 * Zod shapes of the console's answers, loose on purpose: the documentation
 * shows only fragments, so unknown keys are kept and only what the client
 * relies on is checked. Failures become `bad-data` with the JSON path.
 */

/** Profile and policy ids go into URL paths: only plain GUID-like tokens are accepted. */
export const ConsoleIdSchema = lazySchema(() =>
  z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'not a profile id (letters, digits, ".", "_", "-")')),
);

const textish = lazySchema(() => z.pipe(z.union([z.string(), z.number()]), z.transform(String)));

export const ConsoleUserSchema = lazySchema(() =>
  z.looseObject({
    email: z.optional(textish),
    id: z.optional(textish),
    ua_admin: z.optional(textish),
  }),
);
export type ConsoleUserRecord = z.infer<typeof ConsoleUserSchema>;

export const PingAnswerSchema = lazySchema(() =>
  z.looseObject({
    status: z.optional(z.string()),
    user: z.union([
      z.array(ConsoleUserSchema).check(z.minLength(1)),
      z.pipe(
        ConsoleUserSchema,
        z.transform((user: ConsoleUserRecord) => [user]),
      ),
    ]),
  }),
);

export interface ConsoleUser {
  email: string | null;
  id: string | null;
  admin: boolean;
}

export const ProfileSummarySchema = lazySchema(() =>
  z.looseObject({
    profile_id: ConsoleIdSchema,
    profile_name: z.nullish(textish),
    profile_desc: z.nullish(textish),
    profile_type: z.nullish(z.string()),
  }),
);

export interface ProfileSummary {
  id: string;
  name: string | null;
  description: string | null;
  type: string | null;
}

const CatalogListSchema = lazySchema(() => z.array(ProfileSummarySchema));

export function parsePing(value: unknown): ConsoleUser {
  const user = parseWith(PingAnswerSchema, value, 'the sign-in check (user/ping)').user[0];
  return { email: user?.email ?? null, id: user?.id ?? null, admin: user?.ua_admin === '1' || user?.ua_admin === 'true' };
}

/** The catalog as a bare array, or under `profiles` (an array, one object, or null for none). */
export function parseCatalog(value: unknown): ProfileSummary[] {
  let list: unknown;
  let path = '$';
  if (Array.isArray(value)) list = value;
  else if (isRecord(value) && 'profiles' in value) {
    path = '$.profiles';
    const profiles = value['profiles'];
    list = profiles === null ? [] : isRecord(profiles) ? [profiles] : profiles;
  } else {
    throw new ConsoleError('bad-data', 'the profile catalog is neither an array nor an object with "profiles"', { path: '$' });
  }
  const parsed = CatalogListSchema.safeParse(list);
  if (!parsed.success) throw badData(parsed.error, path, 'the profile catalog');
  return parsed.data.map((p) => ({
    id: p.profile_id,
    name: p.profile_name ?? null,
    description: p.profile_desc ?? null,
    type: p.profile_type ?? null,
  }));
}

const ID_KEYS = ['profile_id', 'id', 'value'] as const;

/**
 * The default profile's GUID in any of the shapes seen on the platform: a bare
 * string, `{"profile_id": …}`, or nested under `settings` or `data` (as a string
 * or an object). Null when the console has no default set.
 */
export function parseDefaultProfileId(value: unknown): string | null {
  const found = findId(value, '$', 0);
  if (found === undefined) {
    throw new ConsoleError('bad-data', 'the default-profile answer names no profile id (looked for a string, "profile_id", or one under "settings"/"data")', {
      path: '$',
    });
  }
  if (found.id === null) return null;
  const checked = ConsoleIdSchema.safeParse(found.id);
  if (!checked.success)
    throw new ConsoleError('bad-data', `the default-profile answer holds "${found.id.slice(0, 60)}", which is not a profile id`, { path: found.path });
  return checked.data;
}

function findId(value: unknown, path: string, depth: number): { id: string | null; path: string } | undefined {
  if (typeof value === 'string') return { id: value.trim() === '' ? null : value.trim(), path };
  if (value === null && depth > 0) return { id: null, path };
  if (!isRecord(value) || depth > 2) return undefined;
  for (const key of ID_KEYS) {
    if (key in value) {
      const id = value[key];
      if (typeof id === 'string' || id === null) return { id: id === null || id.trim() === '' ? null : id.trim(), path: `${path}.${key}` };
    }
  }
  for (const key of ['settings', 'data', 'profiles']) {
    if (key in value) {
      const nested = value[key];
      const inner = Array.isArray(nested) && nested.length === 1 ? nested[0] : nested;
      const found = findId(inner, `${path}.${key}`, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The GUID a create answer carries (`profiles.profile_id`, `profile_id`, under `data`, …). */
export function parseCreatedId(value: unknown): string {
  const found = findId(value, '$', 0);
  if (!found || found.id === null) throw new ConsoleError('bad-data', 'the create answer carries no profile id', { path: '$' });
  const checked = ConsoleIdSchema.safeParse(found.id);
  if (!checked.success)
    throw new ConsoleError('bad-data', `the create answer's profile id "${found.id.slice(0, 60)}" is not a profile id`, { path: found.path });
  return checked.data;
}

export interface PolicyRecord {
  id: string;
  name: string | null;
  status: string | null;
  applications: unknown[];
}

const PolicySchema = lazySchema(() =>
  z.looseObject({
    policy_id: z.optional(textish),
    id: z.optional(textish),
    policy_name: z.nullish(textish),
    name: z.nullish(textish),
    policy_status: z.nullish(textish),
    status: z.nullish(textish),
    applications: z.nullish(z.array(z.unknown())),
    apps: z.nullish(z.array(z.unknown())),
  }),
);

/** The Client Certificates policy record: under `policy`, `policies` or `data`, as an object or a one-element array. */
export function parsePolicy(value: unknown): PolicyRecord {
  if (!isRecord(value)) throw new ConsoleError('bad-data', 'the policy answer is not a JSON object', { path: '$' });
  const key = ['policy', 'policies', 'data'].find((k) => k in value);
  if (!key) throw new ConsoleError('bad-data', 'the policy answer has no "policy", "policies" or "data"', { path: '$' });
  let record = value[key];
  let path = `$.${key}`;
  if (Array.isArray(record)) {
    record = record[0];
    path = `${path}[0]`;
  }
  const parsed = PolicySchema.safeParse(record);
  if (!parsed.success) throw badData(parsed.error, path, 'the policy record');
  const p = parsed.data;
  // Checked here rather than with z.refine, which nothing else in the worker uses and which costs its bundle.
  const id = p.policy_id ?? p.id;
  if (id === undefined)
    throw new ConsoleError('bad-data', `the policy record is not in the expected shape at ${path}: it has no "policy_id" or "id"`, { path });
  return {
    id,
    name: p.policy_name ?? p.name ?? null,
    status: p.policy_status ?? p.status ?? null,
    applications: p.applications ?? p.apps ?? [],
  };
}

export function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badData(parsed.error, '$', what);
  return parsed.data;
}

function badData(error: z.core.$ZodError, base: string, what: string): ConsoleError {
  const issue = error.issues[0];
  const path = base + (issue?.path ?? []).map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
  return new ConsoleError('bad-data', `${what} is not in the expected shape at ${path}: ${issue?.message ?? 'invalid'}`, { path });
}
