import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from '../../src/lib/zod';
import {
  AUTH_MODES,
  GUARD_MODES,
  LOCAL_RULES_MODES,
  SETTING_KEYS,
  SYNC_INTERVAL_MINUTES,
  NO_MANAGED_POLICY,
  SettingsInputSchema,
  mergeSettings,
  parseLocalSettings,
  parseManagedPolicy,
} from '../../src/config/index';
import { chromeFilterPolicy, chromeSchemaProblems } from './chrome-policy-schema';

// A JSON schema read as untyped JSON: the tests walk it freely and compare what they find.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = Record<string, any>;
const managedSchema = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../public/managed_schema.json'), 'utf8')) as Node;
const zodJson = z.toJSONSchema(SettingsInputSchema, { io: 'input' }) as Node;

/**
 * Deliberate differences, each because Chrome's schema language cannot say
 * more: the zod side accepts them, Chrome drops them before the extension
 * sees them. Anything not listed must agree.
 */
const ZOD_ONLY_TYPES: Record<string, string[]> = {
  // JSON text of a rule document (Firefox policies.json, pasted console output).
  rules: ['string'],
};

function zodTypes(node: Node): string[] {
  if (Array.isArray(node['anyOf'])) return (node['anyOf'] as Node[]).flatMap(zodTypes);
  return [node['type'] as string];
}

function allNodes(node: Node, path: string, visit: (node: Node, path: string) => void): void {
  visit(node, path);
  for (const [name, child] of Object.entries((node['properties'] ?? {}) as Record<string, Node>)) allNodes(child, `${path}.${name}`, visit);
  if (node['items']) allNodes(node['items'] as Node, `${path}[]`, visit);
}

describe('public/managed_schema.json', () => {
  it('is a schema Chrome accepts', () => {
    expect(chromeSchemaProblems(managedSchema)).toEqual([]);
  });

  it('has a title and a description for every key an admin can set', () => {
    const missing: string[] = [];
    allNodes(managedSchema, '$', (node, path) => {
      if (path === '$') return;
      if (typeof node['title'] !== 'string' || node['title'].trim() === '') missing.push(`${path} title`);
      if (typeof node['description'] !== 'string' || node['description'].trim() === '') missing.push(`${path} description`);
    });
    expect(missing).toEqual([]);
  });

  it('has exactly the keys of the zod settings schema', () => {
    expect(Object.keys(managedSchema['properties']).sort()).toEqual([...SETTING_KEYS].sort());
    expect(Object.keys(zodJson['properties']).sort()).toEqual([...SETTING_KEYS].sort());
  });

  it('gives each key the type zod accepts (apart from the listed zod-only forms)', () => {
    for (const key of SETTING_KEYS) {
      const chromeType = managedSchema['properties'][key]['type'];
      const fromZod = zodTypes(zodJson['properties'][key]);
      expect(fromZod, key).toContain(chromeType);
      expect(
        fromZod.filter((type) => type !== chromeType),
        key,
      ).toEqual(ZOD_ONLY_TYPES[key] ?? []);
    }
  });

  it('names every enum value of zod in the description, and has no enum constraint of its own', () => {
    // No `enum` on purpose: Chrome drops a value outside an enum before the
    // extension can see it, and then the admin's mistake would be silent. Without
    // it, zod reports the value as a policy error and the safe default applies.
    const enums: Record<string, readonly string[]> = { authMode: AUTH_MODES, localRules: LOCAL_RULES_MODES, guard: GUARD_MODES };
    for (const key of SETTING_KEYS) {
      const zodEnum = zodJson['properties'][key]['enum'] as string[] | undefined;
      expect(zodEnum ?? null, key).toEqual(enums[key] ? [...enums[key]] : null);
      expect(managedSchema['properties'][key]['enum'], key).toBeUndefined();
      for (const value of zodEnum ?? []) expect(managedSchema['properties'][key]['description'], key).toContain(`"${value}"`);
    }
  });

  it('describes certificateFilter with the same fields as zod', () => {
    const chrome = managedSchema['properties']['certificateFilter'];
    const fromZod = zodJson['properties']['certificateFilter'];
    expect(Object.keys(chrome['properties']).sort()).toEqual(Object.keys(fromZod['properties']).sort());
    for (const principal of ['issuer', 'subject']) {
      const chromeFields = chrome['properties'][principal]['properties'];
      const zodFields = fromZod['properties'][principal]['properties'];
      expect(Object.keys(chromeFields).sort(), principal).toEqual(Object.keys(zodFields).sort());
      for (const field of Object.keys(chromeFields)) {
        expect(chromeFields[field]['type']).toBe(zodFields[field]['type']);
      }
    }
  });

  it("states the sync interval's default and range as config has them", () => {
    const { default: fallback, min, max } = SYNC_INTERVAL_MINUTES;
    const numbers = (text: string) => [...text.matchAll(/\d+/g)].map((match) => Number(match[0]));
    expect(new Set(numbers(managedSchema['properties']['syncIntervalMinutes']['description']))).toEqual(new Set([fallback, min, max]));
  });

  it('describes a rule with the keys the engine reads', () => {
    expect(Object.keys(managedSchema['properties']['rules']['items']['properties']).sort()).toEqual(['action', 'host', 'port']);
  });
});

const VALID_POLICY = {
  consoleUrl: 'https://console.example.com/mocana-app-control/rest/',
  authMode: 'form',
  username: 'device@example.com',
  password: 'secret',
  token: '',
  profileId: '98098be0-2efe-4cd2-a7cd-bb99a39219fa',
  syncIntervalMinutes: 60,
  maxRuleAgeHours: 72,
  rules: [
    { host: '*.example.com', port: '443', action: 'useEnrollmentCertificate' },
    { host: 'public.example.com', port: '*', action: 'noCertificate' },
  ],
  localRules: 'none',
  guard: 'warn',
  certificateFilter: { issuer: { CN: 'Example Device CA', O: 'Example' }, subject: { OU: 'Devices' } },
  allowProfileAdmin: false,
};

describe('Chrome and zod agree on sample policies', () => {
  it('a complete valid policy passes Chrome unchanged and zod without a finding', () => {
    const chrome = chromeFilterPolicy(managedSchema, VALID_POLICY);
    expect(chrome.dropped).toEqual([]);
    expect(chrome.delivered).toEqual(VALID_POLICY);
    const parsed = parseManagedPolicy(chrome.delivered);
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(Object.keys(parsed.values).sort()).toEqual([...SETTING_KEYS].sort());
  });

  // Values of the wrong JSON type: Chrome drops them; Firefox delivers them and zod must refuse them.
  const wrongTypes: [string, unknown][] = [
    ['consoleUrl', 42],
    ['authMode', ['form']],
    ['username', { name: 'x' }],
    ['password', 1234],
    ['token', true],
    ['profileId', 7],
    ['syncIntervalMinutes', '180'],
    ['syncIntervalMinutes', 90.5],
    ['maxRuleAgeHours', 'never'],
    ['rules', { host: 'a.example.com' }],
    ['rules', [{ host: 5, port: '443', action: 'noCertificate' }]],
    ['localRules', false],
    ['guard', 1],
    ['certificateFilter', 'CN=Example'],
    ['certificateFilter', { issuer: { CN: 5 } }],
    ['allowProfileAdmin', 'true'],
    ['allowProfileAdmin', 2],
  ];
  for (const [key, value] of wrongTypes) {
    it(`${key} = ${JSON.stringify(value)} is dropped by Chrome and reported by zod`, () => {
      const chrome = chromeFilterPolicy(managedSchema, { [key]: value } as never);
      expect(chrome.dropped).toEqual([key]);
      const parsed = parseManagedPolicy({ [key]: value });
      if (key === 'rules') {
        // A rule with a non-string host is the engine's to judge (it rejects the
        // source); the policy layer only refuses values that are not rules at all.
        const rules = parsed.values.rules;
        const rejectedHere = parsed.errors.some((error) => error.key === 'rules');
        expect(rejectedHere || (rules?.status === 'rules' && rules.rules.length === 1)).toBe(true);
      } else {
        expect(parsed.errors.map((error) => error.key)).toEqual([key]);
      }
    });
  }

  // Right type, wrong value: Chrome passes them through (no enum/range in the
  // schema, on purpose), so the extension sees them and reports them.
  const wrongValues: [string, unknown][] = [
    ['guard', 'sometimes'],
    ['authMode', 'kerberos'],
    ['localRules', 'some'],
    ['consoleUrl', 'http://console.example.com/rest/'],
    ['consoleUrl', 'not a url'],
    ['maxRuleAgeHours', -1],
    ['certificateFilter', { issuer: { CN: '' } }],
  ];
  for (const [key, value] of wrongValues) {
    it(`${key} = ${JSON.stringify(value)} reaches the extension in Chrome and is reported`, () => {
      const chrome = chromeFilterPolicy(managedSchema, { [key]: value } as never);
      expect(chrome.dropped).toEqual([]);
      const parsed = parseManagedPolicy(chrome.delivered);
      expect(parsed.errors.map((error) => error.key)).toEqual([key]);
    });
  }

  it('an unknown key is dropped by Chrome and a warning in zod', () => {
    expect(chromeFilterPolicy(managedSchema, { gaurd: 'block' }).dropped).toEqual(['gaurd']);
    const parsed = parseManagedPolicy({ gaurd: 'block' });
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]!.message).toContain('"guard"');
  });

  it('the zod-only forms are exactly the documented ones', () => {
    // Rules as JSON text, and a numeric port: fine for zod/the engine (Firefox),
    // dropped by Chrome, which is why the schema's description says to write
    // ports as strings in Chrome policy.
    const asText = { rules: JSON.stringify({ clientCertsUrlMatchingRules: VALID_POLICY.rules }) };
    expect(chromeFilterPolicy(managedSchema, asText).dropped).toEqual(['rules']);
    expect(parseManagedPolicy(asText).errors).toEqual([]);
    expect(parseManagedPolicy({ rules: 'this is not JSON' }).errors.map((error) => error.key)).toEqual(['rules']);
    const numericPort = { rules: [{ host: 'a.example.com', port: 8443, action: 'noCertificate' }] };
    expect(chromeFilterPolicy(managedSchema, numericPort).dropped).toEqual(['rules']);
    expect(parseManagedPolicy(numericPort).errors).toEqual([]);
    expect(managedSchema['properties']['rules']['description']).toContain('port as a string');
    // allowProfileAdmin as a registry DWORD: Chrome converts it through the schema;
    // Firefox hands the number over, and 1 and 0 mean what they say.
    expect(chromeFilterPolicy(managedSchema, { allowProfileAdmin: 1 }).dropped).toEqual(['allowProfileAdmin']);
    expect(parseManagedPolicy({ allowProfileAdmin: 1 })).toMatchObject({ errors: [], values: { allowProfileAdmin: true } });
    expect(parseManagedPolicy({ allowProfileAdmin: 0 })).toMatchObject({ errors: [], values: { allowProfileAdmin: false } });
  });

  it('allowProfileAdmin is a boolean only the policy sets, false by default', () => {
    expect(managedSchema['properties']['allowProfileAdmin']['type']).toBe('boolean');
    expect(chromeFilterPolicy(managedSchema, { allowProfileAdmin: true }).dropped).toEqual([]);
    expect(parseManagedPolicy({ allowProfileAdmin: true }).values.allowProfileAdmin).toBe(true);
    expect(mergeSettings(NO_MANAGED_POLICY, {}).values.allowProfileAdmin).toBe(false);
    const local = parseLocalSettings({ allowProfileAdmin: true });
    expect(local.values).toEqual({});
    expect(local.errors).toEqual([{ key: 'allowProfileAdmin', message: '"allowProfileAdmin" can only be set by the organisation\'s policy' }]);
  });
});
