import { describeJson, parseProfile, type ProfileMeta } from '../engine/rule-document';
import { isRecord } from './answer';
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

export function parseProfileAnswer(value: unknown, guid: string): ProfileAnswer {
  const fail = (path: string, problem: string): never => {
    throw new ConsoleError('bad-data', `the answer to GET profile/${guid} is not a profile: ${problem} (at ${path})`, { path });
  };
  const keys = isRecord(value) ? ['profiles', 'profile'].filter((key) => key in value) : [];
  if (keys.length !== 1)
    return fail(
      '$',
      `expected an object with one profile, under "profiles" or "profile", found ${keys.length ? 'both' : isRecord(value) ? 'neither' : describeJson(value)}`,
    );
  const found = parseProfile((value as Record<string, unknown>)[keys[0] as string], `$.${keys[0]}`, guid);
  if (!found.ok) return fail(found.path, found.message);
  return { ...(found.profile as ProfileMeta), id: guid, rules: found.rules };
}
