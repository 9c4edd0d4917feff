import { createHash } from 'node:crypto';
import plist from 'plist';
import { describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource } from '../../../src/engine/index';
import { v5 as browserUuidV5 } from '../../../node_modules/uuid/dist/index.js';
import { CERT_RULES_UUID_NAMESPACE, compilePolicy, FORMATS, nameUuid, renderPolicy, type PolicyFormat } from '../../../src/engine/policy/index';

/**
 * A reader for regedit files, strict about what the export may write: the
 * header, comments, `[-KEY]` deletions, `[KEY]` sections and `"name"="string"`
 * values with only \\ and \" escapes. Returns the values per key as they stand
 * after the file is imported (a deletion empties the key).
 */
function readReg(bytes: Uint8Array): Map<string, Map<string, string>> {
  expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
  const text = new TextDecoder('utf-16le').decode(bytes.slice(2));
  const lines = text.split('\r\n');
  expect(lines[0]).toBe('Windows Registry Editor Version 5.00');
  expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  const keys = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  const readString = (source: string, at: number): [string, number] => {
    expect(source[at]).toBe('"');
    let out = '';
    let i = at + 1;
    for (; source[i] !== '"'; i += 1) {
      if (i >= source.length) throw new Error(`unterminated string: ${source}`);
      if (source[i] === '\\') {
        const next = source[i + 1];
        if (next !== '\\' && next !== '"') throw new Error(`bad escape \\${next} in ${source}`);
        out += next;
        i += 1;
      } else out += source[i];
    }
    return [out, i + 1];
  };
  for (const line of lines.slice(1)) {
    if (line === '' || line.startsWith(';')) continue;
    const deletion = /^\[-(.+)\]$/.exec(line);
    if (deletion) {
      keys.delete(deletion[1]!);
      current = null;
      continue;
    }
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = keys.get(section[1]!) ?? new Map();
      keys.set(section[1]!, current);
      continue;
    }
    if (!current) throw new Error(`value outside a key: ${line}`);
    const [name, afterName] = readString(line, 0);
    expect(line[afterName]).toBe('=');
    const [value, end] = readString(line, afterName + 1);
    expect(end).toBe(line.length);
    current.set(name, value);
  }
  return keys;
}

const RULES = [
  { host: '*.acme.com', action: 'useEnrollmentCertificate' },
  { host: 'public.acme.com', action: 'noCertificate' },
  { host: '*acme.org', port: '*', action: 'useEnrollmentCertificate' },
  { host: '::1', port: 8443, action: 'useEnrollmentCertificate' },
];
// A filter with characters every format must escape: quotes, backslash, XML specials, non-ASCII.
const FILTER = { issuer: { CN: 'Acme "Enrollment" CA \\ R&D <Zürich>' }, subject: { O: "O'Brien & Co" } };
const policy = compilePolicy(buildRuleSet([compileSource('file', RULES)]), { filter: FILTER });

const jsonEntries = (format: PolicyFormat) =>
  (JSON.parse(renderPolicy(format, policy).text) as { AutoSelectCertificateForUrls: string[] }).AutoSelectCertificateForUrls;

describe('policy formats', () => {
  it('Linux JSON holds the entries as strings of JSON', () => {
    expect(jsonEntries('chrome-json')).toEqual(policy.entries);
    expect(jsonEntries('edge-json')).toEqual(policy.entries);
    expect(policy.entries.length).toBeGreaterThanOrEqual(4);
    for (const entry of jsonEntries('chrome-json')) expect(Object.keys(JSON.parse(entry) as object)).toEqual(['pattern', 'filter']);
  });

  it.each([
    ['chrome-reg', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\\AutoSelectCertificateForUrls'],
    ['edge-reg', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge\\AutoSelectCertificateForUrls'],
  ] as const)('%s reads back to the same entries as the JSON, numbered from 1', (format, key) => {
    const rendered = renderPolicy(format, policy);
    const keys = readReg(rendered.bytes);
    expect([...keys.keys()]).toEqual([key]);
    const values = keys.get(key)!;
    expect([...values.keys()]).toEqual(policy.entries.map((_, i) => String(i + 1)));
    expect([...values.values()]).toEqual(jsonEntries('chrome-json'));
    expect(rendered.text).toContain('\\"Acme \\\\\\"Enrollment\\\\\\" CA');
  });

  it.each([
    ['chrome-mobileconfig', 'com.google.Chrome'],
    ['edge-mobileconfig', 'com.microsoft.Edge'],
  ] as const)('%s is a well-formed profile whose payload sets the same entries', (format, domain) => {
    const rendered = renderPolicy(format, policy);
    // The plist parser forgives a bare "&"; XML does not.
    expect(rendered.text.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toContain('&');
    const profile = plist.parse(rendered.text) as Record<string, unknown>;
    expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1, PayloadScope: 'System' });
    const payloads = profile['PayloadContent'] as Record<string, unknown>[];
    expect(payloads).toHaveLength(1);
    expect(payloads[0]).toMatchObject({ PayloadType: domain, PayloadVersion: 1 });
    expect(payloads[0]!['AutoSelectCertificateForUrls']).toEqual(jsonEntries('chrome-json'));
    const uuid = /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;
    expect(profile['PayloadUUID']).toMatch(uuid);
    expect(payloads[0]!['PayloadUUID']).toMatch(uuid);
    expect(profile['PayloadUUID']).not.toBe(payloads[0]!['PayloadUUID']);
    // Same rules, same file; other rules, other UUIDs, same identifier (so a new export replaces the old profile).
    expect(renderPolicy(format, policy).text).toBe(rendered.text);
    const other = renderPolicy(format, { entries: policy.entries.slice(1) });
    const otherProfile = plist.parse(other.text) as Record<string, unknown>;
    expect(otherProfile['PayloadUUID']).not.toBe(profile['PayloadUUID']);
    expect(otherProfile['PayloadIdentifier']).toBe(profile['PayloadIdentifier']);
  });

  it('an empty policy is still well-formed everywhere', () => {
    expect(
      readReg(renderPolicy('chrome-reg', { entries: [] }).bytes).get('HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\\AutoSelectCertificateForUrls')
        ?.size,
    ).toBe(0);
    const profile = plist.parse(renderPolicy('chrome-mobileconfig', { entries: [] }).text) as { PayloadContent: Record<string, unknown>[] };
    expect(profile.PayloadContent[0]!['AutoSelectCertificateForUrls']).toEqual([]);
  });

  it('Firefox: policies.json locks "Ask Every Time" and says there is no per-site equivalent', () => {
    const rendered = renderPolicy('firefox-json', policy);
    expect(JSON.parse(rendered.text)).toEqual({
      policies: { Preferences: { 'security.default_personal_cert': { Value: 'Ask Every Time', Status: 'locked' } } },
    });
    expect(rendered.notes.join(' ')).toContain('no per-site');
  });

  it('every format has a file name and media type', () => {
    expect(FORMATS.map((format) => format.format).sort()).toEqual(
      ['chrome-json', 'chrome-mobileconfig', 'chrome-reg', 'edge-json', 'edge-mobileconfig', 'edge-reg', 'firefox-json'].sort(),
    );
  });

  it('profile UUIDs are RFC 4122 version 5 of the browser and the entries', () => {
    /** Version 5 by the RFC's recipe, on Node's SHA-1: an independent reference. */
    const reference = (namespace: string, name: string) => {
      const hash = createHash('sha1')
        .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
        .update(name, 'utf8')
        .digest();
      hash[6] = (hash[6]! & 0x0f) | 0x50;
      hash[8] = (hash[8]! & 0x3f) | 0x80;
      const hex = hash.subarray(0, 16).toString('hex').toUpperCase();
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
    // RFC 4122 appendix / Python uuid.uuid5(NAMESPACE_DNS, 'python.org').
    expect(reference('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313E1-3B8A-5372-9B90-0C9AEE199E5D');
    for (const name of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'x'.repeat(200), 'com.google.Chrome/payload/["https://ü.example"]']) {
      expect(nameUuid(name)).toBe(reference(CERT_RULES_UUID_NAMESPACE, name));
    }
    // The extension bundles uuid's browser build (its own SHA-1); tests and the CLI run its Node build.
    for (const name of ['', 'com.google.Chrome/payload/["https://ü.example"]']) {
      expect(browserUuidV5(name, CERT_RULES_UUID_NAMESPACE).toUpperCase()).toBe(reference(CERT_RULES_UUID_NAMESPACE, name));
    }
    const profile = plist.parse(renderPolicy('edge-mobileconfig', policy).text) as { PayloadUUID: string; PayloadContent: { PayloadUUID: string }[] };
    const content = JSON.stringify(policy.entries);
    expect(profile.PayloadUUID).toBe(reference(CERT_RULES_UUID_NAMESPACE, `com.microsoft.Edge/profile/${content}`));
    expect(profile.PayloadContent[0]!.PayloadUUID).toBe(reference(CERT_RULES_UUID_NAMESPACE, `com.microsoft.Edge/payload/${content}`));
  });
});
