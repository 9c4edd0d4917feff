import { parseRuleText } from '../engine/index';
import { checkConsoleUrl } from './console-url';
import type { z } from '../lib/zod';
import {
  AUTH_MODES,
  CertificateFilterSchema,
  DEFAULT_SETTINGS,
  GUARD_MODES,
  LOCAL_RULES_MODES,
  MAX_MANAGED_RULES,
  SYNC_INTERVAL_MINUTES,
  SETTINGS_INPUT_SHAPE,
  type ManagedRules,
  type SettingKey,
  type Settings,
} from './settings-schema';

/** One key checked: its value, plus a note when it had to be adjusted (clamped). */
export type ValueCheck<K extends SettingKey> = { ok: true; value: Settings[K]; adjusted?: string } | { ok: false; message: string };

const quoted = (values: readonly string[]) => values.map((value) => `"${value}"`).join(', ');

/** What each key accepts, in words an administrator can act on. */
export const EXPECTED: Record<SettingKey, string> = {
  consoleUrl: 'an https:// URL of the console API (http:// only for localhost), or "" for none',
  authMode: `one of ${quoted(AUTH_MODES)}`,
  username: 'a string',
  password: 'a string',
  token: 'a string',
  profileId: 'a profile GUID as a string, or "" for the default profile',
  syncIntervalMinutes: `a whole number of minutes from ${SYNC_INTERVAL_MINUTES.min} to ${SYNC_INTERVAL_MINUTES.max}`,
  maxRuleAgeHours: 'a whole number of hours, 0 for no limit',
  rules: 'an array of rules ({"host", "port", "action"}) or JSON text of a rule document',
  localRules: `one of ${quoted(LOCAL_RULES_MODES)}`,
  guard: `one of ${quoted(GUARD_MODES)}`,
  certificateFilter: 'an object {"issuer": {...}, "subject": {...}} with string fields CN, L, O, OU',
  allowProfileAdmin: 'true or false (1 or 0 from a registry DWORD)',
};

/** A short, safe description of a value for a message (never echoes long or secret text). */
export function describeValue(value: unknown, secret = false): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  // A secret of the wrong type is still a secret: name only its type.
  if (secret) return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  if (typeof value === 'string') {
    return value.length > 60 ? `"${value.slice(0, 57)}..."` : JSON.stringify(value);
  }
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

function typeError(key: SettingKey, value: unknown): { ok: false; message: string } {
  return { ok: false, message: `expected ${EXPECTED[key]}, found ${describeValue(value, key === 'password' || key === 'token')}` };
}

function parseManagedRules(value: unknown): ManagedRules | null {
  let rules: unknown[];
  if (Array.isArray(value)) {
    rules = value;
  } else if (typeof value === 'string') {
    const document = parseRuleText(value);
    if (!document.ok) return { status: 'rejected', message: `the rules text is not a rule document at ${document.path}: ${document.message}` };
    rules = document.rules;
  } else {
    return null;
  }
  if (rules.length > MAX_MANAGED_RULES) {
    return { status: 'rejected', message: `${rules.length} rules are more than the ${MAX_MANAGED_RULES} allowed` };
  }
  return { status: 'rules', rules };
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Checks one delivered value. Never throws; the caller decides what replaces
 * a rejected value (policy: the safe default; local settings: nothing).
 */
export function checkSettingValue<K extends SettingKey>(key: K, value: unknown): ValueCheck<K> {
  const ok = (checked: Settings[SettingKey], adjusted?: string): ValueCheck<K> =>
    (adjusted === undefined ? { ok: true, value: checked } : { ok: true, value: checked, adjusted }) as ValueCheck<K>;

  switch (key) {
    case 'rules': {
      const rules = parseManagedRules(value);
      if (!rules) return typeError(key, value);
      return rules.status === 'rules' ? ok(rules) : { ok: false, message: rules.message };
    }
    case 'certificateFilter': {
      const filter = CertificateFilterSchema.safeParse(value);
      if (filter.success) return ok(filter.data);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return typeError(key, value);
      return { ok: false, message: `${formatIssues(filter.error.issues)}; expected ${EXPECTED[key]}` };
    }
    case 'allowProfileAdmin': {
      // Firefox hands a Windows registry DWORD over as a number; Chrome converts it itself.
      if (value === 1 || value === 0) return ok(value === 1);
      return typeof value === 'boolean' ? ok(value) : typeError(key, value);
    }
    case 'syncIntervalMinutes': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeError(key, value);
      const { min, max } = SYNC_INTERVAL_MINUTES;
      if (value < min) return ok(min, `${value} is below the minimum of ${min} minutes; ${min} is used`);
      if (value > max) return ok(max, `${value} is above the maximum of ${max} minutes; ${max} is used`);
      return ok(value);
    }
    default: {
      // The key's own schema: the object of all keys is never built at a wake-up.
      const parsed = SETTINGS_INPUT_SHAPE[key].safeParse(value);
      if (!parsed.success) return typeError(key, value);
      if (key === 'consoleUrl') {
        const problem = checkConsoleUrl(parsed.data as string);
        if (problem) return { ok: false, message: problem };
        return ok((parsed.data as string).trim());
      }
      return ok(parsed.data as Settings[SettingKey]);
    }
  }
}

/** The value that replaces an invalid managed value: it must never widen where the certificate goes. */
export function safeDefault<K extends Exclude<SettingKey, 'localRules'>>(key: K): Settings[K] {
  if (key === 'rules') {
    // An unusable managed rule source is a rejected source, not an absent one:
    // dropping it would drop the organisation's deny rules.
    return { status: 'rejected', message: 'the managed rules in the policy are invalid' } as Settings[K];
  }
  return DEFAULT_SETTINGS[key] as Settings[K];
}

export function describeDefault(key: SettingKey, value: unknown): string {
  if (key === 'rules') return 'the managed rule source is rejected (fail closed)';
  if (key === 'certificateFilter' && value === null) return 'no certificate filter is used';
  if (value === '') return '"" is used';
  return `${JSON.stringify(value)} is used`;
}
