import { parseBoundedJson } from './bounded-json';

/**
 * The tolerant reader for every form rules arrive in as a document (files,
 * the policy's rules text); the console's answers are read strictly by
 * console/profile-answer.ts, which shares parseProfile in its strict form:
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

export type RuleDocument = { ok: true; rules: unknown[]; profile: ProfileMeta | null } | { ok: false; path: string; message: string };

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

/**
 * A profile (or an array of exactly one) to its rules and identity: the rules
 * object is `data.profile_data` (a JSON string or an object), `data` itself,
 * or `profile_data` on the profile. With `expectedId` (the console's answer
 * for that profile) it is strict: the profile's `profile_id` must be exactly
 * that string, and `data` as a JSON string, which only files use, is refused.
 */
export function parseProfile(input: unknown, path: string, expectedId?: string): RuleDocument {
  let profile = input;
  let at = path;
  if (Array.isArray(profile)) {
    if (profile.length !== 1) return failAt(path, `expected one profile, found ${profile.length}`);
    profile = profile[0];
    at = `${path}[0]`;
  }
  if (!isRecord(profile)) return failAt(at, `expected a profile object, found ${describeJson(profile)}`);
  const id = profile['profile_id'];
  if (expectedId !== undefined && id !== expectedId) {
    return failAt(
      `${at}.profile_id`,
      `asked for profile "${expectedId}", found ${typeof id === 'string' ? `profile ${JSON.stringify(id.slice(0, 80))}` : describeJson(id)}`,
    );
  }
  const data = profile['data'];
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
  } else if (typeof data === 'string' && expectedId === undefined) {
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
    return failAt(holderPath, `expected an object with "${RULES_KEY}", found ${isRecord(rulesHolder) ? 'an object without it' : describeJson(rulesHolder)}`);
  }
  const rules = parseRulesValue(rulesHolder[RULES_KEY], `${holderPath}.${RULES_KEY}`);
  if (!rules.ok) return rules;
  const meta: ProfileMeta = {
    id: stringOrNull(id),
    name: stringOrNull(profile['profile_name']),
    description: stringOrNull(profile['profile_desc']),
    stamp: stringOrNull(dataRecord?.['profile_data_stamp']) ?? stringOrNull(dataRecord?.['profile_data_id']),
  };
  return { ok: true, rules: rules.rules, profile: meta };
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

/** JSON text inside a document, nested at most MAX_JSON_DEPTH levels (bounded-json.ts says why). */
function decodeJsonString(text: string, path: string): { ok: true; value: unknown } | RuleFailure {
  const decoded = parseBoundedJson(text);
  return decoded.ok ? decoded : failAt(path, `a string that was refused: ${decoded.message}`);
}

type RuleFailure = { ok: false; path: string; message: string };

function failAt(path: string, message: string): RuleFailure {
  return { ok: false, path, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
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
