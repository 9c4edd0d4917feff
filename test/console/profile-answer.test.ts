import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseBoundedJson } from '../../src/engine/bounded-json';
import { ConsoleError } from '../../src/console/failure';
import { parseProfileAnswer } from '../../src/console/profile-answer';

const GUID = '98098be0-2efe-4cd2-a7cd-bb99a39219fa';
const RULES = [{ host: 'a.acme.com', port: '', action: 'noCertificate' }];
const STAMP = '2016-08-19 15:12:15.0';
const profile = (data: unknown, extra: Record<string, unknown> = {}) => ({
  data,
  profile_desc: 'Default Profile',
  profile_id: GUID,
  profile_name: 'TestProfile',
  profile_type: 'client_certs',
  profile_url: '',
  ...extra,
});
const envelope = (data: unknown, extra: Record<string, unknown> = {}) => ({ message: '', status: 'OK', profiles: profile(data, extra) });
const documented = (rules: unknown = RULES) => ({
  profile_data: JSON.stringify({ clientCertsUrlMatchingRules: rules }),
  profile_data_id: 'd-1',
  profile_data_stamp: STAMP,
});

function refusal(value: unknown, guid = GUID): ConsoleError {
  try {
    parseProfileAnswer(value, guid);
  } catch (error) {
    expect(error).toBeInstanceOf(ConsoleError);
    return error as ConsoleError;
  }
  throw new Error('expected the answer to be refused');
}

describe('the profile answer: the documented envelopes are read', () => {
  const expected = { id: GUID, name: 'TestProfile', description: 'Default Profile', stamp: STAMP, rules: RULES };
  it.each([
    ['the documented answer (profile_data a JSON string)', envelope(documented())],
    ['profile_data as an object', envelope({ profile_data: { clientCertsUrlMatchingRules: RULES }, profile_data_stamp: STAMP })],
    [
      'the rules key holding a JSON string of the array',
      envelope({ profile_data: JSON.stringify({ clientCertsUrlMatchingRules: JSON.stringify(RULES) }), profile_data_stamp: STAMP }),
    ],
    ['data holding the rules object directly', envelope({ clientCertsUrlMatchingRules: RULES, profile_data_stamp: STAMP })],
    [
      'profile_data on the profile itself',
      { status: 'OK', profiles: { ...profile(undefined), data: undefined, profile_data: { clientCertsUrlMatchingRules: RULES }, profile_data_stamp: STAMP } },
    ],
    ['the profile under "profile"', { status: 'OK', profile: profile(documented()) }],
    ['a one-element profile array', { status: 'OK', profiles: [profile(documented())] }],
  ])('%s', (_name, answer) => {
    expect(parseProfileAnswer(answer, GUID)).toEqual(expected);
  });

  it('a profile that really is empty, in the full envelope with its id, is an empty profile', () => {
    expect(parseProfileAnswer(envelope(documented([])), GUID)).toMatchObject({ id: GUID, rules: [] });
  });

  it('falls back to profile_data_id as the stamp, and gives null without either', () => {
    expect(parseProfileAnswer(envelope({ profile_data: { clientCertsUrlMatchingRules: RULES }, profile_data_id: 'd-9' }), GUID).stamp).toBe('d-9');
    expect(parseProfileAnswer(envelope({ profile_data: { clientCertsUrlMatchingRules: RULES } }), GUID).stamp).toBeNull();
  });
});

describe('the profile answer: anything else is refused as bad-data, saying what was expected and where', () => {
  const emptyRules = documented([]);
  it.each([
    ['a bare array', [], '$', /expected an object with one profile, under "profiles" or "profile", found an array/],
    ['a JSON string "[]"', '[]', '$', /found a string/],
    ['null', null, '$', /found null/],
    ['a bare rules object', { clientCertsUrlMatchingRules: [] }, '$', /under "profiles" or "profile", found neither/],
    ['an OK status with no profile', { status: 'OK', message: '' }, '$', /neither/],
    [
      'both "profiles" and "profile"',
      { status: 'OK', profiles: profile(emptyRules), profile: profile(emptyRules) },
      '$',
      /under "profiles" or "profile", found both/,
    ],
    ['profiles: []', { status: 'OK', profiles: [] }, '$.profiles', /expected one profile, found 0/],
    ['profiles: null', { status: 'OK', profiles: null }, '$.profiles', /expected a profile object, found null/],
    ['profiles: {}', { status: 'OK', profiles: {} }, '$.profiles.profile_id', /found nothing/],
    ['two profiles', { status: 'OK', profiles: [profile(emptyRules), profile(emptyRules)] }, '$.profiles', /expected one profile, found 2/],
    [
      'a missing profile id',
      { status: 'OK', profiles: { ...profile(emptyRules), profile_id: undefined } },
      '$.profiles.profile_id',
      new RegExp(`asked for profile "${GUID}", found nothing`),
    ],
    ['a numeric profile id', envelope(emptyRules, { profile_id: 12345 }), '$.profiles.profile_id', /asked for profile .*, found a number/],
    [
      'another profile id',
      envelope(emptyRules, { profile_id: '11111111-2222-4333-8444-555555555555' }),
      '$.profiles.profile_id',
      /asked for profile .*, found profile "11111111-/,
    ],
    [
      'the id in another case',
      envelope(emptyRules, { profile_id: GUID.toUpperCase() }),
      '$.profiles.profile_id',
      new RegExp(`found profile "${GUID.toUpperCase()}"`),
    ],
    [
      'the id in a one-element array, wrong',
      { status: 'OK', profiles: [profile(emptyRules, { profile_id: 'x' })] },
      '$.profiles[0].profile_id',
      /found profile "x"/,
    ],
    ['no data', { status: 'OK', profiles: { ...profile(undefined), data: undefined } }, '$.profiles.data', /the profile has no rules data \(found nothing\)/],
    [
      'data as a string (tolerated in files only)',
      envelope(JSON.stringify({ clientCertsUrlMatchingRules: [] })),
      '$.profiles.data',
      /no rules data \(found a string\)/,
    ],
    [
      'data without profile_data or the rules key',
      envelope({ profile_data_stamp: STAMP }),
      '$.profiles.data',
      /expected an object with "clientCertsUrlMatchingRules", found an object without it/,
    ],
    ['profile_data null', envelope({ profile_data: null }), '$.profiles.data.profile_data', /found null/],
    [
      'profile_data double-encoded',
      envelope({ profile_data: JSON.stringify(JSON.stringify({ clientCertsUrlMatchingRules: [] })) }),
      '$.profiles.data.profile_data',
      /found a string/,
    ],
    ['profile_data that is not JSON', envelope({ profile_data: '{"clientCerts' }), '$.profiles.data.profile_data', /not valid JSON/],
    ['profile_data without the rules key', envelope({ profile_data: '{}' }), '$.profiles.data.profile_data', /found an object without it/],
    [
      'the rules null',
      envelope({ profile_data: '{"clientCertsUrlMatchingRules":null}' }),
      '$.profiles.data.profile_data.clientCertsUrlMatchingRules',
      /expected an array of rules, found null/,
    ],
    [
      'the rules an object',
      envelope({ profile_data: '{"clientCertsUrlMatchingRules":{}}' }),
      '$.profiles.data.profile_data.clientCertsUrlMatchingRules',
      /found an object/,
    ],
    [
      'the rules a string of an object',
      envelope({ profile_data: { clientCertsUrlMatchingRules: '{}' } }),
      '$.profiles.data.profile_data.clientCertsUrlMatchingRules',
      /found an object/,
    ],
    [
      'the rules a string that is not JSON',
      envelope({ profile_data: { clientCertsUrlMatchingRules: '[{' } }),
      '$.profiles.data.profile_data.clientCertsUrlMatchingRules',
      /not valid JSON/,
    ],
  ])('%s', (_name, answer, path, message) => {
    const error = refusal(answer);
    expect(error.kind).toBe('bad-data');
    expect(error.path).toBe(path);
    expect(error.message).toMatch(new RegExp(`^the answer to GET profile/${GUID} is not a profile: `));
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`(at ${path})`);
  });

  it('refuses rules nested too deeply inside a profile_data string, where the outer answer cannot see them', () => {
    const deep = `{"clientCertsUrlMatchingRules":[{"host":"a.acme.com","port":"","action":"noCertificate","x":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}]}`;
    const error = refusal(envelope({ profile_data: deep }));
    expect(error).toMatchObject({ kind: 'bad-data', path: '$.profiles.data.profile_data' });
    expect(error.message).toMatch(/nests deeper than 64 levels/);
  });

  it('quotes another profile id at most 80 characters long', () => {
    const error = refusal(envelope(emptyRules, { profile_id: 'z'.repeat(100_000) }));
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('bounded JSON', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('parses up to the bound and refuses one level more, saying where', () => {
    expect(parseBoundedJson(nested(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
    expect(parseBoundedJson(nested(MAX_JSON_DEPTH + 1))).toEqual({
      ok: false,
      message: `it nests deeper than ${MAX_JSON_DEPTH} levels (at character ${MAX_JSON_DEPTH})`,
    });
  });

  it('refuses 200,000 nested arrays without overflowing the stack', () => {
    expect(parseBoundedJson(nested(200_000))).toMatchObject({ ok: false, message: expect.stringMatching(/nests deeper than 64/) as string });
  });

  it('counts objects and arrays alike, and never brackets inside strings (escaped quotes included)', () => {
    const depthOk = (text: string, max: number) => parseBoundedJson(text, max).ok;
    expect(parseBoundedJson('{"a":[{"b":[]}]}', 3)).toEqual({ ok: false, message: 'it nests deeper than 3 levels (at character 11)' });
    expect(depthOk('{"a":[{"b":[]}]}', 4)).toBe(true);
    expect(depthOk(`["${'['.repeat(500)}"]`, 1)).toBe(true);
    expect(depthOk(`["\\"${'['.repeat(500)}\\\\", [[]]]`, 3)).toBe(true);
    expect(parseBoundedJson(`["\\\\", [[]]]`, 2)).toMatchObject({ ok: false, message: expect.stringContaining('at character 8') as string });
  });

  it('reports invalid JSON as such', () => {
    expect(parseBoundedJson('[1,')).toMatchObject({ ok: false, message: expect.stringMatching(/^it is not valid JSON/) as string });
  });
});
