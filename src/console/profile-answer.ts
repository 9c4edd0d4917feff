import { RULES_KEY } from '../engine/rule-document';
import { isRecord } from './answer';
import { parseBoundedJson } from './bounded-json';
import { ConsoleError } from './failure';

/**
 * The answer to `GET profile/{GUID}`, read strictly. Only an answer in the
 * documented envelope, for the profile asked for, may replace a profile's
 * rules: a gateway, a cache or a half-broken console that answers `[]`, `"[]"`
 * or a bare `{"clientCertsUrlMatchingRules": []}` must not be able to erase the
 * organisation's deny rules by looking like an empty profile. (Files and
 * policy text keep the tolerant reader, engine/rule-document.ts.)
 *
 * Accepted: an object with the profile under `profiles` or `profile` (an
 * object, or an array holding exactly one), whose `profile_id` is the GUID
 * asked for, and whose rules object is `data.profile_data` (a JSON string or
 * an object), `data` itself, or `profile_data` on the profile; the rules object
 * holds `clientCertsUrlMatchingRules` as an array or a JSON string of one.
 */
export interface ProfileAnswer {
  id: string;
  name: string | null;
  description: string | null;
  /** Changes whenever the rules change (`profile_data_stamp`, else `profile_data_id`); null when the answer has none. */
  stamp: string | null;
  rules: unknown[];
}

const ENVELOPE = `an object with the profile under "profiles" (or "profile")`;

export function parseProfileAnswer(value: unknown, guid: string): ProfileAnswer {
  const where = `the answer to GET profile/${guid}`;
  const fail = (path: string, problem: string): never => {
    throw new ConsoleError('bad-data', `${where} is not a profile: ${problem} (at ${path})`, { path });
  };
  if (!isRecord(value)) return fail('$', `expected ${ENVELOPE}, found ${describe(value)}`);
  const keys = ['profiles', 'profile'].filter((key) => Object.hasOwn(value, key));
  if (keys.length !== 1) return fail('$', keys.length === 0 ? `expected ${ENVELOPE}; it has neither` : 'it has both "profiles" and "profile"; expected one profile');
  const key = keys[0] as string;
  let profile = value[key];
  let at = `$.${key}`;
  if (Array.isArray(profile)) {
    if (profile.length !== 1) return fail(at, `expected one profile, found ${profile.length}`);
    profile = profile[0];
    at = `${at}[0]`;
  }
  if (!isRecord(profile)) return fail(at, `expected a profile object, found ${describe(profile)}`);

  const id = profile['profile_id'];
  if (id === undefined) return fail(`${at}.profile_id`, `the profile has no "profile_id"; expected "${guid}"`);
  if (typeof id !== 'string') return fail(`${at}.profile_id`, `"profile_id" must be the string "${guid}", found ${describe(id)}`);
  if (id !== guid) return fail(`${at}.profile_id`, `asked for profile ${guid} but the console answered with profile ${quote(id)}`);

  const found = rulesHolder(profile, at);
  if (!found.ok) return fail(found.path, found.message);
  let holder = found.holder;
  if (typeof holder === 'string') {
    const decoded = parseBoundedJson(holder);
    if (!decoded.ok) return fail(found.path, `the JSON string was refused: ${decoded.message}`);
    holder = decoded.value;
  }
  if (!isRecord(holder)) return fail(found.path, `expected an object with "${RULES_KEY}" (or a JSON string of one), found ${describe(holder)}`);
  if (!Object.hasOwn(holder, RULES_KEY)) return fail(found.path, `the rules object has no "${RULES_KEY}"`);
  const rulesPath = `${found.path}.${RULES_KEY}`;
  let rules = holder[RULES_KEY];
  if (typeof rules === 'string') {
    const decoded = parseBoundedJson(rules);
    if (!decoded.ok) return fail(rulesPath, `the JSON string was refused: ${decoded.message}`);
    rules = decoded.value;
  }
  if (!Array.isArray(rules)) return fail(rulesPath, `expected an array of rules (or a JSON string of one), found ${describe(rules)}`);

  const stampSource = isRecord(profile['data']) ? profile['data'] : profile;
  return {
    id,
    name: text(profile['profile_name']),
    description: text(profile['profile_desc']),
    stamp: text(stampSource['profile_data_stamp']) ?? text(stampSource['profile_data_id']),
    rules,
  };
}

type Holder = { ok: true; holder: unknown; path: string } | { ok: false; path: string; message: string };

/** Where the profile keeps its rules object: `data.profile_data`, `data` itself, or `profile_data`. */
function rulesHolder(profile: Record<string, unknown>, at: string): Holder {
  const data = profile['data'];
  if (isRecord(data)) {
    if (Object.hasOwn(data, 'profile_data')) return { ok: true, holder: data['profile_data'], path: `${at}.data.profile_data` };
    if (Object.hasOwn(data, RULES_KEY)) return { ok: true, holder: data, path: `${at}.data` };
    return { ok: false, path: `${at}.data`, message: `expected "profile_data" or "${RULES_KEY}" in the profile's data` };
  }
  if ((data === undefined || data === null) && Object.hasOwn(profile, 'profile_data')) return { ok: true, holder: profile['profile_data'], path: `${at}.profile_data` };
  return { ok: false, path: `${at}.data`, message: `expected the profile's rules in "data.profile_data", found ${describe(data)}` };
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function quote(id: string): string {
  return JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value === 'string') return value.trim().startsWith('[') || value.trim().startsWith('{') ? 'a string (JSON text in a string)' : 'a string';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
