import { LOCAL_SETTING_KEYS, type LocalSettingKey, type LocalSettings } from './settings-schema';
import { isSettingKey, type PolicyIssue } from './managed-policy';
import { checkSettingValue, describeValue } from './setting-value';

export interface LocalSettingsCheck {
  /** The valid values; an invalid one is left out, so the default applies. */
  values: LocalSettings;
  errors: PolicyIssue[];
}

function isLocalSettingKey(key: string): key is LocalSettingKey {
  return (LOCAL_SETTING_KEYS as readonly string[]).includes(key);
}

/**
 * Validates local settings, as stored or as sent by the options page. Keys
 * only a policy may set (rules, localRules) are refused: a user cannot give
 * themselves more than the organisation allows.
 */
export function parseLocalSettings(raw: unknown): LocalSettingsCheck {
  if (raw === undefined || raw === null) return { values: {}, errors: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { values: {}, errors: [{ key: '(settings)', message: `settings must be an object, found ${describeValue(raw)}` }] };
  }
  const values: Record<string, unknown> = {};
  const errors: PolicyIssue[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (!isLocalSettingKey(key)) {
      const message = isSettingKey(key) ? `"${key}" can only be set by the organisation's policy` : `unknown setting "${key}"`;
      errors.push({ key, message });
      continue;
    }
    const checked = checkSettingValue(key, value);
    if (checked.ok) {
      values[key] = checked.value;
      if (checked.adjusted) errors.push({ key, message: checked.adjusted });
    } else {
      errors.push({ key, message: checked.message });
    }
  }
  return { values: values as LocalSettings, errors };
}
