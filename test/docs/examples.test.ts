// @vitest-environment jsdom
// (jsdom for DOMParser: the plist files must be well-formed XML, which the plist reader does not insist on.)
//
// Every file in docs/examples/ is opened the way its browser opens it, our
// settings are taken out of it, and they must pass both gates the extension
// has: Chrome's managed_schema.json filter (Chrome, Edge) and our zod settings
// schema (every browser). They must also be exactly docs/examples/managed-settings.json,
// and name the real extension ids, so the guide cannot drift from the product.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import plist from 'plist';
import { describe, expect, it } from 'vitest';
import { projectExtensionId } from '../../scripts/extension-id.mjs';
import { PLACEHOLDER_BASE_URL } from '../../scripts/package/update-manifest';
import { compileManagedRules, parseManagedPolicy, type ManagedRules } from '../../src/config/index';
import { chromeFilterPolicy } from '../config/chrome-policy-schema';
import { REPO_ROOT } from '../helpers/paths';
import { chromeConvertKey, decodeRegFile, firefoxConvertKey, parseRegFile, regKey, type RegKey } from './windows-registry';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const EXAMPLES = path.join(REPO_ROOT, 'docs/examples');
const managedSchema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'public/managed_schema.json'), 'utf8')) as Record<string, unknown>;
const CHROME_ID = projectExtensionId();
const GECKO_ID = JSON.parse(readFileSync(path.join(REPO_ROOT, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id as string;
const canonical = JSON.parse(readFileSync(path.join(EXAMPLES, 'managed-settings.json'), 'utf8')) as JsonObject;
const UPDATE_URL = `${PLACEHOLDER_BASE_URL}update.xml`;
const XPI_URL = `${PLACEHOLDER_BASE_URL}client-certificate-rules-firefox.xpi`;

const readText = (name: string) => readFileSync(path.join(EXAMPLES, name), 'utf8');
const readBytes = (name: string) => readFileSync(path.join(EXAMPLES, name));
const asObject = (value: unknown, what: string): JsonObject => {
  expect(value, what).toBeTypeOf('object');
  expect(Array.isArray(value), what).toBe(false);
  expect(value, what).not.toBeNull();
  return value as JsonObject;
};

/** What the extension finally reads, with both validators run over it. */
function expectValidSettings(settings: JsonObject, browser: 'chromium' | 'firefox'): void {
  // Chrome drops what does not fit managed_schema.json before the extension sees it.
  const chrome = chromeFilterPolicy(managedSchema, settings);
  expect(chrome.dropped, 'keys Chrome would drop').toEqual([]);
  expect(chrome.delivered).toEqual(settings);
  // Firefox delivers the value unchecked; in both, the extension checks it with zod.
  const policy = parseManagedPolicy(browser === 'chromium' ? chrome.delivered : settings);
  expect(policy.errors).toEqual([]);
  expect(policy.warnings).toEqual([]);
  const rules = compileManagedRules(policy.values.rules as ManagedRules | null);
  expect(rules?.accepted).toBe(true);
  expect(rules?.errors).toEqual([]);
  expect(rules?.total).toBe((canonical['rules'] as Json[]).length);
  // And it is the one configuration the guide describes, in every format.
  expect(settings).toEqual(canonical);
}

function expectChromeInstall(extensionSettings: unknown): void {
  expect(extensionSettings).toEqual({ [CHROME_ID]: { installation_mode: 'force_installed', update_url: UPDATE_URL } });
}

function expectFirefoxInstall(extensionSettings: unknown): void {
  expect(extensionSettings).toEqual({ [GECKO_ID]: { installation_mode: 'force_installed', install_url: XPI_URL } });
}

function chromeLinux(name: string): void {
  const file = asObject(JSON.parse(readText(name)), name);
  expect(Object.keys(file).sort()).toEqual(['3rdparty', 'ExtensionSettings']);
  expectChromeInstall(file['ExtensionSettings']);
  const extensions = asObject(asObject(file['3rdparty'], '3rdparty')['extensions'], '3rdparty.extensions');
  expect(Object.keys(extensions)).toEqual([CHROME_ID]);
  expectValidSettings(asObject(extensions[CHROME_ID], 'settings'), 'chromium');
}

function chromeWindows(name: string, policyRoot: string): void {
  const bytes = readBytes(name);
  const text = decodeRegFile(bytes);
  // regedit files: CRLF line ends (see docs/examples/.gitattributes).
  expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  const root = parseRegFile(text);
  const browserKey = regKey(root, `HKEY_LOCAL_MACHINE\\${policyRoot}`);
  expect(browserKey, policyRoot).not.toBeNull();
  // ExtensionSettings is a dictionary policy: a REG_SZ holding JSON.
  const extensionSettings = browserKey!.values.find((value) => value.name === 'ExtensionSettings');
  expect(extensionSettings?.type).toBe('REG_SZ');
  expectChromeInstall(JSON.parse(String(extensionSettings!.data)));
  // Our settings: <root>\3rdparty\extensions\<id>\policy (mandatory level).
  const extensionsKey = regKey(browserKey!, '3rdparty\\extensions');
  expect(extensionsKey?.subkeys.map((key) => key.name)).toEqual([CHROME_ID]);
  const policyKey: RegKey | null = regKey(extensionsKey!, `${CHROME_ID}\\policy`);
  expect(policyKey, 'policy key').not.toBeNull();
  expectValidSettings(asObject(chromeConvertKey(policyKey!, managedSchema), 'converted'), 'chromium');
  // Nothing else in the file: every key is one of the two above or their parents.
  const allKeys: string[] = [];
  const collect = (key: RegKey, prefix: string) =>
    key.subkeys.forEach((child) => {
      const full = prefix ? `${prefix}\\${child.name}` : child.name;
      if (child.values.length > 0) allKeys.push(full);
      collect(child, full);
    });
  collect(root, '');
  expect(allKeys.sort()).toEqual([`HKEY_LOCAL_MACHINE\\${policyRoot}`, `HKEY_LOCAL_MACHINE\\${policyRoot}\\3rdparty\\extensions\\${CHROME_ID}\\policy`].sort());
}

/** Parses a plist after checking it is well-formed XML. */
function readPlist(name: string): unknown {
  const text = readText(name);
  const document = new DOMParser().parseFromString(text, 'application/xml');
  expect(document.getElementsByTagName('parsererror'), `${name} is well-formed XML`).toHaveLength(0);
  expect(document.documentElement.localName).toBe('plist');
  return plist.parse(text);
}

function chromeMacos(name: string, domain: string): void {
  const profile = asObject(readPlist(name), name);
  expect(profile['PayloadType']).toBe('Configuration');
  expect(profile['PayloadScope']).toBe('System');
  const payloads = (profile['PayloadContent'] as JsonObject[]).map((payload) => asObject(payload, 'payload'));
  expect(payloads.map((payload) => payload['PayloadType'])).toEqual([domain, `${domain}.extensions.${CHROME_ID}`]);
  const identifiers = [profile, ...payloads].map((payload) => payload['PayloadIdentifier']);
  const uuids = [profile, ...payloads].map((payload) => payload['PayloadUUID']);
  expect(new Set(identifiers).size).toBe(identifiers.length);
  expect(new Set(uuids).size).toBe(uuids.length);
  for (const uuid of uuids) expect(uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  const withoutPayloadKeys = (payload: JsonObject) => Object.fromEntries(Object.entries(payload).filter(([key]) => !key.startsWith('Payload')));
  expect(Object.keys(withoutPayloadKeys(payloads[0]!))).toEqual(['ExtensionSettings']);
  expectChromeInstall(payloads[0]!['ExtensionSettings']);
  expectValidSettings(withoutPayloadKeys(payloads[1]!), 'chromium');
}

function firefoxPolicies(name: string): void {
  const file = asObject(JSON.parse(readText(name)), name);
  expect(Object.keys(file)).toEqual(['policies']);
  const policies = asObject(file['policies'], 'policies');
  expect(Object.keys(policies).sort()).toEqual(['3rdparty', 'ExtensionSettings']);
  expectFirefoxInstall(policies['ExtensionSettings']);
  const extensions = asObject(asObject(policies['3rdparty'], '3rdparty')['Extensions'], '3rdparty.Extensions');
  expect(Object.keys(extensions)).toEqual([GECKO_ID]);
  expectValidSettings(asObject(extensions[GECKO_ID], 'settings'), 'firefox');
}

function firefoxWindows(name: string): void {
  const text = decodeRegFile(readBytes(name));
  expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  const firefoxKey = regKey(parseRegFile(text), 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Mozilla\\Firefox');
  expect(firefoxKey).not.toBeNull();
  const policies = asObject(firefoxConvertKey(firefoxKey!), 'policies');
  expect(Object.keys(policies).sort()).toEqual(['3rdparty', 'ExtensionSettings']);
  expectFirefoxInstall(policies['ExtensionSettings']);
  const extensions = asObject(asObject(policies['3rdparty'], '3rdparty')['Extensions'], '3rdparty.Extensions');
  expect(Object.keys(extensions)).toEqual([GECKO_ID]);
  expectValidSettings(asObject(extensions[GECKO_ID], 'settings'), 'firefox');
}

function firefoxMacos(name: string): void {
  const domain = asObject(readPlist(name), name);
  expect(domain['EnterprisePoliciesEnabled']).toBe(true);
  expect(Object.keys(domain).sort()).toEqual(['3rdparty', 'EnterprisePoliciesEnabled', 'ExtensionSettings']);
  expectFirefoxInstall(domain['ExtensionSettings']);
  const extensions = asObject(asObject(domain['3rdparty'], '3rdparty')['Extensions'], '3rdparty.Extensions');
  expect(Object.keys(extensions)).toEqual([GECKO_ID]);
  expectValidSettings(asObject(extensions[GECKO_ID], 'settings'), 'firefox');
}

/** Every example file and how it is checked. A new file without an entry fails the first test. */
const CHECKS: Record<string, () => void> = {
  'managed-settings.json': () => expectValidSettings(canonical, 'chromium'),
  'chrome-linux-policy.json': () => chromeLinux('chrome-linux-policy.json'),
  'edge-linux-policy.json': () => chromeLinux('edge-linux-policy.json'),
  'chrome-windows.reg': () => chromeWindows('chrome-windows.reg', 'SOFTWARE\\Policies\\Google\\Chrome'),
  'edge-windows.reg': () => chromeWindows('edge-windows.reg', 'SOFTWARE\\Policies\\Microsoft\\Edge'),
  'chrome-macos.mobileconfig': () => chromeMacos('chrome-macos.mobileconfig', 'com.google.Chrome'),
  'edge-macos.mobileconfig': () => chromeMacos('edge-macos.mobileconfig', 'com.microsoft.Edge'),
  'firefox-policies.json': () => firefoxPolicies('firefox-policies.json'),
  'firefox-windows.reg': () => firefoxWindows('firefox-windows.reg'),
  'firefox-macos.plist': () => firefoxMacos('firefox-macos.plist'),
};

describe('docs/examples', () => {
  it('has a check for every file (and a file for every check)', () => {
    const files = readdirSync(EXAMPLES).filter((name) => !name.startsWith('.'));
    expect(files.sort()).toEqual(Object.keys(CHECKS).sort());
  });

  for (const [name, check] of Object.entries(CHECKS)) {
    it(`${name}: our settings pass managed_schema.json and the zod schema, under the real extension id`, check);
  }

  it('the canonical settings use every setting an example can sensibly show together', () => {
    // token belongs to authMode "bearer"; the example signs in with "form".
    // allowProfileAdmin stays at its safe default (false): letting every user
    // administer profiles with the service account is an exception to choose,
    // not to copy (and the Firefox registry has no way to write false itself).
    const schemaKeys = Object.keys(managedSchema['properties'] as object);
    expect(schemaKeys.filter((key) => !(key in canonical)).sort()).toEqual(['allowProfileAdmin', 'token']);
  });
});
