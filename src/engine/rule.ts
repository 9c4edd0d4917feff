import { normalizeHostPattern } from './host-pattern';
import type { Action, Finding, NormalizedRule, SourceName } from './model';
import { normalizePortPattern } from './port-pattern';

/**
 * The actions, as a plain list rather than ActionSchema: this file runs in the
 * options page as the user types, and a runtime use of a zod schema here pulls
 * all of zod (~37 KB gzip) into that page's bundle. model.ts's ActionSchema
 * stays the one source of truth; a test keeps the two lists equal.
 */
export const ACTION_NAMES = ['useEnrollmentCertificate', 'noCertificate'] as const satisfies readonly Action[];

/** The fields of a rule the engine reads; normalizeRule looks at nothing else. */
export const RULE_FIELDS = ['host', 'port', 'action'] as const;

/**
 * A delivered rule with only RULE_FIELDS kept (an object stays an object, in
 * the same place of its list): it compiles exactly as the rule it came from,
 * without whatever else a source attached to it.
 */
export function ruleFieldsOnly(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const kept: Record<string, unknown> = {};
  for (const field of RULE_FIELDS) if (Object.hasOwn(raw, field)) kept[field] = (raw as Record<string, unknown>)[field];
  return kept;
}

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
  const given = fields['action'];
  const action = ACTION_NAMES.find((name) => name === given);
  if (action === undefined) {
    errors.push(error(index, 'invalid-action', explainAction(index, fields['action'])));
  }
  const host = normalizeHostPattern(fields['host']);
  if (!host.ok) errors.push(error(index, 'invalid-host', `rule ${index}: ${host.message}`));
  const port = normalizePortPattern(fields['port']);
  if (!port.ok) errors.push(error(index, 'invalid-port', `rule ${index}: ${port.message}`));
  if (action === undefined || !host.ok || !port.ok) {
    return { ok: false, action: action ?? null, errors };
  }
  return { ok: true, rule: { source, index, host: host.value, port: port.value, action } };
}

function explainAction(index: number, value: unknown): string {
  const expected = '"useEnrollmentCertificate" or "noCertificate"';
  if (value === undefined) return `rule ${index} has no action; write ${expected}`;
  if (typeof value === 'string') {
    const near = ACTION_NAMES.find((option) => option.toLowerCase() === value.trim().toLowerCase());
    if (near) return `rule ${index}: the action "${value}" must be written exactly "${near}" (case matters)`;
    return `rule ${index}: unknown action "${value}"; write ${expected}`;
  }
  return `rule ${index}: the action must be the string ${expected}`;
}

function error(index: number, code: Finding['code'], message: string): Finding {
  return { index, severity: 'error', code, message };
}
