/**
 * The one parser for every form rules arrive in (files, policy, console):
 * - a bare array of rules;
 * - `{"clientCertsUrlMatchingRules": [...]}`, where the value may itself be a JSON string;
 * - a console profile response, `{"profiles": {"data": {"profile_data": ...}}}`, with
 *   `profile_data` a JSON string or an object, or `data` holding the rules object directly;
 * - a profile object without the envelope (`{"profile_id": …, "data": …}`).
 */
export const RULES_KEY = 'clientCertsUrlMatchingRules';

export interface ProfileMeta {
  id: string | null;
  name: string | null;
  description: string | null;
  /** Changes whenever the rules change (`profile_data_stamp`, else `profile_data_id`). */
  stamp: string | null;
}

export type RuleDocument =
  | { ok: true; rules: unknown[]; profile: ProfileMeta | null }
  | { ok: false; path: string; message: string };

export function parseRuleDocument(input: unknown): RuleDocument {
  return parseAt(input, '$', 0);
}

/** Parses JSON text and then the document; a syntax error is reported as such. */
export function parseRuleText(text: string): RuleDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, path: '$', message: `not valid JSON: ${(error as Error).message}` };
  }
  return parseRuleDocument(value);
}

const MAX_DEPTH = 3;

function parseAt(input: unknown, path: string, depth: number): RuleDocument {
  if (Array.isArray(input)) return { ok: true, rules: input, profile: null };
  if (typeof input === 'string') {
    if (depth >= MAX_DEPTH) return failAt(path, 'a JSON string nested too deeply');
    const decoded = decodeJsonString(input, path);
    return decoded.ok ? parseAt(decoded.value, path, depth + 1) : decoded;
  }
  if (!isRecord(input)) return failAt(path, `expected rules (an array or an object), found ${describeJson(input)}`);
  if (RULES_KEY in input) return parseRulesValue(input[RULES_KEY], `${path}.${RULES_KEY}`);
  if ('profiles' in input) {
    if (input['status'] === 'Error') {
      return failAt(`${path}.status`, `the console answered "Error"${messageOf(input)}`);
    }
    return parseProfile(input['profiles'], `${path}.profiles`);
  }
  if ('data' in input || 'profile_data' in input) return parseProfile(input, path);
  return failAt(path, `no "${RULES_KEY}" array, and not a console profile`);
}

function parseProfile(input: unknown, path: string): RuleDocument {
  let profile = input;
  let at = path;
  if (Array.isArray(profile)) {
    if (profile.length !== 1) return failAt(path, `expected one profile, found ${profile.length}`);
    profile = profile[0];
    at = `${path}[0]`;
  }
  if (!isRecord(profile)) return failAt(at, `expected a profile object, found ${describeJson(profile)}`);
  const data = profile['data'];
  const meta = (dataRecord: Record<string, unknown> | null): ProfileMeta => ({
    id: stringOrNull(profile['profile_id']),
    name: stringOrNull(profile['profile_name']),
    description: stringOrNull(profile['profile_desc']),
    stamp: stringOrNull(dataRecord?.['profile_data_stamp']) ?? stringOrNull(dataRecord?.['profile_data_id']),
  });
  let rulesHolder: unknown;
  let holderPath: string;
  let dataRecord: Record<string, unknown> | null = null;
  if (isRecord(data)) {
    dataRecord = data;
    if ('profile_data' in data) {
      rulesHolder = data['profile_data'];
      holderPath = `${at}.data.profile_data`;
    } else {
      rulesHolder = data;
      holderPath = `${at}.data`;
    }
  } else if ('profile_data' in profile) {
    dataRecord = profile;
    rulesHolder = profile['profile_data'];
    holderPath = `${at}.profile_data`;
  } else if (typeof data === 'string') {
    rulesHolder = data;
    holderPath = `${at}.data`;
  } else {
    return failAt(`${at}.data`, `the profile has no rules data (found ${describeJson(data)})`);
  }
  if (typeof rulesHolder === 'string') {
    const decoded = decodeJsonString(rulesHolder, holderPath);
    if (!decoded.ok) return decoded;
    rulesHolder = decoded.value;
  }
  if (!isRecord(rulesHolder) || !(RULES_KEY in rulesHolder)) {
    return failAt(holderPath, `expected an object with "${RULES_KEY}", found ${describeJson(rulesHolder)}`);
  }
  const rules = parseRulesValue(rulesHolder[RULES_KEY], `${holderPath}.${RULES_KEY}`);
  return rules.ok ? { ...rules, profile: meta(dataRecord) } : rules;
}

function parseRulesValue(value: unknown, path: string): RuleDocument {
  let rules = value;
  if (typeof rules === 'string') {
    const decoded = decodeJsonString(rules, path);
    if (!decoded.ok) return decoded;
    rules = decoded.value;
  }
  if (!Array.isArray(rules)) return failAt(path, `expected an array of rules, found ${describeJson(rules)}`);
  return { ok: true, rules, profile: null };
}

function decodeJsonString(text: string, path: string): { ok: true; value: unknown } | { ok: false; path: string; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return failAt(path, `a string that is not valid JSON (${(error as Error).message})`);
  }
}

function failAt(path: string, message: string): { ok: false; path: string; message: string } {
  return { ok: false, path, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A text field as delivered: a string, or a number written out; else null. */
export function stringOrNull(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function messageOf(record: Record<string, unknown>): string {
  const message = record['message'];
  return typeof message === 'string' && message !== '' ? `: ${message}` : '';
}

/** What a JSON value is, for messages ("found an array"). */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
