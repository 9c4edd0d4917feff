import { normalizeHostPattern } from './host-pattern';
import { ActionSchema, type Action, type Finding, type NormalizedRule, type SourceName } from './model';
import { normalizePortPattern } from './port-pattern';

export type RuleCheck =
  | { ok: true; rule: NormalizedRule }
  | {
      ok: false;
      /** The action when it was valid: decides whether the source survives. */
      action: Action | null;
      errors: Finding[];
    };

/**
 * Validates and normalises one rule as delivered. Every problem is reported,
 * not only the first, so an admin can fix a rule in one pass.
 */
export function normalizeRule(raw: unknown, index: number, source: SourceName): RuleCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      action: null,
      errors: [error(index, 'invalid-action', `rule ${index} is not an object; write {"host": …, "port": …, "action": …}`)],
    };
  }
  const fields = raw as Record<string, unknown>;
  const errors: Finding[] = [];
  const action = ActionSchema.safeParse(fields['action']);
  if (!action.success) {
    errors.push(error(index, 'invalid-action', explainAction(index, fields['action'])));
  }
  const host = normalizeHostPattern(fields['host']);
  if (!host.ok) errors.push(error(index, 'invalid-host', `rule ${index}: ${host.message}`));
  const port = normalizePortPattern(fields['port']);
  if (!port.ok) errors.push(error(index, 'invalid-port', `rule ${index}: ${port.message}`));
  if (!action.success || !host.ok || !port.ok) {
    return { ok: false, action: action.success ? action.data : null, errors };
  }
  return { ok: true, rule: { source, index, host: host.value, port: port.value, action: action.data } };
}

function explainAction(index: number, value: unknown): string {
  const expected = '"useEnrollmentCertificate" or "noCertificate"';
  if (value === undefined) return `rule ${index} has no action; write ${expected}`;
  if (typeof value === 'string') {
    const near = ActionSchema.options.find((option) => option.toLowerCase() === value.trim().toLowerCase());
    if (near) return `rule ${index}: the action "${value}" must be written exactly "${near}" (case matters)`;
    return `rule ${index}: unknown action "${value}"; write ${expected}`;
  }
  return `rule ${index}: the action must be the string ${expected}`;
}

function error(index: number, code: Finding['code'], message: string): Finding {
  return { index, severity: 'error', code, message };
}
