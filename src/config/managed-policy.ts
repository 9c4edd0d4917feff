import { SETTING_KEYS, defaultLocalRules, type ManagedValues, type PolicyIssue, type SettingKey, type Settings } from './settings-schema';
import { EXPECTED, checkSettingValue, describeDefault, describeValue, safeDefault } from './setting-value';

export type { PolicyIssue };

export interface ManagedPolicy {
  /** Whether the organisation set anything at all (decides the localRules default). */
  present: boolean;
  /** Every key the policy set: its valid value, or the safe default that replaced an invalid one. */
  values: ManagedValues;
  /** Present but invalid values, each replaced by its safe default. */
  errors: PolicyIssue[];
  /** Unknown keys (ignored) and values that had to be adjusted (clamped). */
  warnings: PolicyIssue[];
}

export const NO_MANAGED_POLICY: ManagedPolicy = Object.freeze({ present: false, values: {}, errors: [], warnings: [] });

/**
 * A policy that exists but could not be read: its rules are unknown, so they
 * count as rejected (the last good copy stays in force, or the rule set is
 * unusable), and local rules may only narrow, as under any policy.
 */
export function unreadableManagedPolicy(reason: string): ManagedPolicy {
  // The read error itself is reported with the policy warnings (the background's policyWarnings).
  return { present: true, values: { rules: { status: 'rejected', message: `the managed policy could not be read: ${reason}` } }, errors: [], warnings: [] };
}

/**
 * Validates what storage.managed delivered. Chrome has already dropped values
 * that do not fit managed_schema.json; Firefox passes policies.json through
 * unchecked, so everything is checked here, in both browsers alike.
 *
 * Nothing is silently ignored: an invalid value is reported with what is wrong
 * and replaced by its safe default (the key stays managed, so a local setting
 * cannot take its place); an unknown key is reported as a warning.
 */
export function parseManagedPolicy(raw: unknown): ManagedPolicy {
  if (raw === undefined || raw === null) return NO_MANAGED_POLICY;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      present: true,
      values: {},
      errors: [{ key: '(policy)', message: `the policy must be an object of settings, found ${describeValue(raw)}` }],
      warnings: [],
    };
  }
  const entries = Object.entries(raw as Record<string, unknown>).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return NO_MANAGED_POLICY;

  const values: Record<string, unknown> = {};
  const errors: PolicyIssue[] = [];
  const warnings: PolicyIssue[] = [];
  for (const [key, value] of entries) {
    if (!isSettingKey(key)) {
      warnings.push({ key, message: unknownKeyMessage(key) });
      continue;
    }
    const checked = checkSettingValue(key, value);
    if (checked.ok) {
      values[key] = checked.value;
      if (checked.adjusted) warnings.push({ key, message: checked.adjusted });
      continue;
    }
    const replacement = replacementFor(key, checked.message);
    values[key] = replacement;
    errors.push({ key, message: `${checked.message}; ${describeDefault(key, replacement)}` });
  }
  return { present: true, values: values as ManagedValues, errors, warnings };
}

function replacementFor(key: SettingKey, message: string): unknown {
  if (key === 'rules') return { status: 'rejected', message } satisfies Settings['rules'];
  // Any policy at all means local rules may only narrow (docs/rules.md §7).
  if (key === 'localRules') return defaultLocalRules(true);
  return safeDefault(key);
}

export function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(key);
}

/** Names the known key an unknown one most likely meant (case or a small typo). */
export function unknownKeyMessage(key: string): string {
  const near =
    SETTING_KEYS.find((known) => known.toLowerCase() === key.toLowerCase()) ??
    SETTING_KEYS.find((known) => editDistance(known.toLowerCase(), key.toLowerCase()) <= 2);
  const hint = near ? `; did you mean "${near}" (${EXPECTED[near]})?` : `; known keys: ${SETTING_KEYS.join(', ')}`;
  return `unknown policy key "${key}" is ignored${hint}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Firefox throws instead of returning {} when no policy exists for the
 * extension ("Managed storage manifest not found"): that means "no policy",
 * not a failure.
 */
export function isNoManagedPolicyError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /managed storage manifest not found/i.test(message);
}
