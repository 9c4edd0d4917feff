import { compileSource, type CompiledSource } from '../engine/index';
import type { ManagedRules } from './settings-schema';

export const MANAGED_SOURCE_LABEL = "your organisation's policy";

/**
 * The `managed` rule source from the policy's `rules` value: null when the
 * policy sets no rules; a rejected source (no rules, one error) when the value
 * was unusable, so the status shows it and nothing widens.
 */
export function compileManagedRules(rules: ManagedRules | null): CompiledSource | null {
  if (rules === null) return null;
  if (rules.status === 'rules') return compileSource('managed', rules.rules, { label: MANAGED_SOURCE_LABEL });
  return {
    name: 'managed',
    label: MANAGED_SOURCE_LABEL,
    accepted: false,
    total: 0,
    rules: [],
    // Finding indexes are rule positions; the whole value failed, so the message says so.
    errors: [{ index: 0, severity: 'error', code: 'invalid-action', message: `the policy value "rules" as a whole: ${rules.message}` }],
    warnings: [],
  };
}
