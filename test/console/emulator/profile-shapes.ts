/**
 * Answers to `GET profile/{GUID}` that are not the profile asked for: what a
 * gateway, a cache or a half-broken console might send. The client must take
 * none of them as a profile (least of all as an empty one).
 */
export const PROFILE_SHAPES = [
  /** The body `[]`. */
  'bare-array',
  /** The body `"[]"`: a JSON string. */
  'bare-string',
  /** The body `{"clientCertsUrlMatchingRules": []}`: rules without the envelope. */
  'bare-rules',
  /** `{"status":"OK","profiles":[]}`. */
  'profiles-empty',
  /** `{"status":"OK","profiles":null}`. */
  'profiles-null',
  /** `{"status":"OK","profiles":{}}`. */
  'profiles-empty-object',
  /** The profile twice, under `profiles` as an array. */
  'two-profiles',
  /** The profile without `profile_id`. */
  'no-profile-id',
  /** `profile_id` as a number. */
  'numeric-profile-id',
  /** `profile_id` in upper case: not exactly the GUID asked for. */
  'profile-id-case',
  /** The profile without `data`. */
  'no-data',
  /** `"clientCertsUrlMatchingRules": null`. */
  'null-rules',
  /** `"clientCertsUrlMatchingRules": {}`. */
  'object-rules',
] as const;
export type ProfileShape = (typeof PROFILE_SHAPES)[number];

export function isProfileShape(type: string): type is ProfileShape {
  return (PROFILE_SHAPES as readonly string[]).includes(type);
}

interface Envelope {
  profiles: { profile_id: string; data: Record<string, unknown> } & Record<string, unknown>;
  [key: string]: unknown;
}

/** The body for `shape`, made from the normal answer's envelope. */
export function profileShapeBody(shape: ProfileShape, envelope: Envelope): unknown {
  // Where the profile stays recognisable, it is emptied and gets a fresh stamp:
  // taken for the profile, such an answer would erase its rules.
  const profile = {
    ...envelope.profiles,
    data: {
      ...envelope.profiles.data,
      profile_data: '{"clientCertsUrlMatchingRules":[]}',
      profile_data_stamp: `${String(envelope.profiles.data['profile_data_stamp'])}-${shape}`,
    },
  };
  const ok = { status: 'OK', message: '' };
  switch (shape) {
    case 'bare-array':
      return [];
    case 'bare-string':
      return '[]';
    case 'bare-rules':
      return { clientCertsUrlMatchingRules: [] };
    case 'profiles-empty':
      return { ...ok, profiles: [] };
    case 'profiles-null':
      return { ...ok, profiles: null };
    case 'profiles-empty-object':
      return { ...ok, profiles: {} };
    case 'two-profiles':
      return { ...ok, profiles: [envelope.profiles, profile] };
    case 'no-profile-id': {
      const { profile_id: _omitted, ...rest } = profile;
      return { ...envelope, profiles: rest };
    }
    case 'numeric-profile-id':
      return { ...envelope, profiles: { ...profile, profile_id: 12345 } };
    case 'profile-id-case':
      return { ...envelope, profiles: { ...profile, profile_id: profile.profile_id.toUpperCase() } };
    case 'no-data': {
      const { data: _omitted, ...rest } = profile;
      return { ...envelope, profiles: rest };
    }
    case 'null-rules':
      return { ...envelope, profiles: { ...profile, data: { ...profile.data, profile_data: '{"clientCertsUrlMatchingRules":null}' } } };
    case 'object-rules':
      return { ...envelope, profiles: { ...profile, data: { ...profile.data, profile_data: '{"clientCertsUrlMatchingRules":{}}' } } };
  }
}

/**
 * The normal answer with one more deny rule carrying `depth` nested arrays in
 * an unknown key, written as text: JSON.stringify itself overflows the stack
 * on a value that deep. In `profile_data` as a JSON string (the documented
 * form) or, with `asObject`, as an object.
 */
export function deepNestingBody(envelope: Envelope, depth: number, asObject: boolean): string {
  const profile = envelope.profiles;
  const inner = JSON.parse(profile.data['profile_data'] as string) as { clientCertsUrlMatchingRules: unknown[] };
  const rulesText = JSON.stringify(inner.clientCertsUrlMatchingRules);
  const junk = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const extra = `{"host":"deep.example.com","port":"","action":"noCertificate","x-notes":${junk}}`;
  const rulesObject = `{"clientCertsUrlMatchingRules":${rulesText.slice(0, -1)}${rulesText.length > 2 ? ',' : ''}${extra}]}`;
  const profileData = asObject ? rulesObject : JSON.stringify(rulesObject);
  const { profile_data: _rules, ...others } = profile.data;
  const data = { ...others, profile_data_stamp: `${String(profile.data['profile_data_stamp'])}-deep-${depth}` };
  const dataText = JSON.stringify(data);
  const withRules = `${dataText.slice(0, -1)}${dataText.length > 2 ? ',' : ''}"profile_data":${profileData}}`;
  const { data: _omitted, ...rest } = profile;
  const profileText = JSON.stringify(rest);
  return `{"status":"OK","message":"","profiles":${profileText.slice(0, -1)},"data":${withRules}}}`;
}
