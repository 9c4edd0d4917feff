import { describe, expect, it } from 'vitest';
import { parseRuleDocument, parseRuleText } from '../../src/engine/index';

const RULES = [{ host: 'a.acme.com', port: '', action: 'useEnrollmentCertificate' }];
const envelope = (data: unknown) => ({
  message: '',
  status: 'OK',
  profiles: { data, profile_desc: 'Default Profile', profile_id: 'p-1', profile_name: 'TestProfile', profile_type: 'client_certs', profile_url: '' },
});

describe('rule documents: every accepted form gives the same rules', () => {
  it.each([
    ['a bare array', RULES],
    ['the rules key', { clientCertsUrlMatchingRules: RULES }],
    ['the rules key holding a JSON string', { clientCertsUrlMatchingRules: JSON.stringify(RULES) }],
    ['a whole document as a JSON string', JSON.stringify({ clientCertsUrlMatchingRules: RULES })],
  ])('%s', (_name, input) => {
    expect(parseRuleDocument(input)).toEqual({ ok: true, rules: RULES, profile: null });
  });

  const meta = { id: 'p-1', name: 'TestProfile', description: 'Default Profile', stamp: '2016-08-19 15:12:15.0' };
  it.each([
    [
      'profile_data as a JSON string (documented)',
      { profile_data: JSON.stringify({ clientCertsUrlMatchingRules: RULES }), profile_data_id: 'd-1', profile_data_stamp: meta.stamp },
    ],
    ['profile_data as an object', { profile_data: { clientCertsUrlMatchingRules: RULES }, profile_data_stamp: meta.stamp }],
    [
      'double-encoded rules inside profile_data',
      { profile_data: JSON.stringify({ clientCertsUrlMatchingRules: JSON.stringify(RULES) }), profile_data_stamp: meta.stamp },
    ],
    ['data holding the rules object directly', { clientCertsUrlMatchingRules: RULES, profile_data_stamp: meta.stamp }],
  ])('console profile: %s', (_name, data) => {
    expect(parseRuleDocument(envelope(data))).toEqual({ ok: true, rules: RULES, profile: meta });
  });

  it('falls back to profile_data_id as the change stamp', () => {
    const result = parseRuleDocument(envelope({ profile_data: { clientCertsUrlMatchingRules: RULES }, profile_data_id: 'd-9' }));
    expect(result.ok && result.profile?.stamp).toBe('d-9');
  });

  it('accepts a one-element profile array and a profile without the envelope', () => {
    const profile = envelope({ profile_data: { clientCertsUrlMatchingRules: RULES } }).profiles;
    expect(parseRuleDocument({ status: 'OK', profiles: [profile] }).ok).toBe(true);
    expect(parseRuleDocument(profile).ok).toBe(true);
  });

  it.each([
    ['null', null, '$', /found null/],
    ['a number', 3, '$', /found a number/],
    ['an object without rules', { foo: 1 }, '$', /no "clientCertsUrlMatchingRules"/],
    ['rules that are not an array', { clientCertsUrlMatchingRules: { a: 1 } }, '$.clientCertsUrlMatchingRules', /expected an array/],
    ['a rules string that is not JSON', { clientCertsUrlMatchingRules: '[{' }, '$.clientCertsUrlMatchingRules', /not valid JSON/],
    ['status Error', { status: 'Error', message: 'no such profile', profiles: {} }, '$.status', /"Error": no such profile/],
    ['profile_data that is not JSON', envelope({ profile_data: '{"clientCerts' }), '$.profiles.data.profile_data', /not valid JSON/],
    ['profile_data without the rules key', envelope({ profile_data: '{}' }), '$.profiles.data.profile_data', /expected an object with/],
    ['a profile with no data', { status: 'OK', profiles: { profile_id: 'x' } }, '$.profiles.data', /no rules data/],
    ['two profiles', { status: 'OK', profiles: [{}, {}] }, '$.profiles', /expected one profile, found 2/],
  ])('refuses %s and says where', (_name, input, path, message) => {
    const result = parseRuleDocument(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.path).toBe(path);
      expect(result.message).toMatch(message);
    }
  });

  it('reports invalid JSON text', () => {
    const result = parseRuleText('{"clientCertsUrlMatchingRules": [');
    expect(result).toMatchObject({ ok: false, path: '$' });
  });

  it('stops at nested JSON strings deeper than it should ever see', () => {
    const deep = JSON.stringify(JSON.stringify(JSON.stringify(JSON.stringify(RULES))));
    expect(parseRuleDocument(deep).ok).toBe(false);
  });
});
