import type { Finding, NormalizedRule, SourceName } from './model';
import { normalizeRule } from './rule';

/** One rule source after validation (docs/rules.md §6). */
export interface CompiledSource {
  name: SourceName;
  /** A name a person recognises, e.g. the console profile's name. */
  label?: string | undefined;
  /** False when an invalid deny rule or an unknown action rejected the whole source. */
  accepted: boolean;
  /** How many rules were delivered, counting those dropped. */
  total: number;
  /** Usable rules in delivered order; empty when the source was rejected. */
  rules: NormalizedRule[];
  /** Problems that rejected the source. */
  errors: Finding[];
  /** Rules dropped without rejecting the source (invalid allow rules, or rules policy forbids). */
  warnings: Finding[];
}

export interface CompileOptions {
  label?: string | undefined;
  /** Local rules under policy `denyOnly`: allow rules are dropped with a warning. */
  denyOnly?: boolean;
}

/**
 * Validates a source's rules. An invalid allow rule is dropped (that can only
 * narrow where the certificate goes); an invalid deny rule or an unknown action
 * rejects the source, because dropping it would widen where the certificate goes.
 */
export function compileSource(name: SourceName, rawRules: readonly unknown[], options: CompileOptions = {}): CompiledSource {
  const rules: NormalizedRule[] = [];
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  rawRules.forEach((raw, index) => {
    const checked = normalizeRule(raw, index, name);
    if (checked.ok) {
      if (options.denyOnly && checked.rule.action === 'useEnrollmentCertificate') {
        warnings.push({
          index,
          severity: 'warning',
          code: 'invalid-action',
          message: `rule ${index} dropped: policy allows only noCertificate rules in this source`,
        });
        return;
      }
      rules.push(checked.rule);
    } else if (checked.action === 'useEnrollmentCertificate') {
      for (const finding of checked.errors) {
        warnings.push({ ...finding, severity: 'warning', message: `${finding.message} (rule dropped)` });
      }
    } else {
      errors.push(...checked.errors);
    }
  });
  const accepted = errors.length === 0;
  return { name, label: options.label, accepted, total: rawRules.length, rules: accepted ? rules : [], errors, warnings };
}

/**
 * The valid deny rules of a source that is not in force (rejected, or past its
 * maximum age): still the organisation's word on where the certificate must
 * not go, so the guard keeps stopping them while the rule set is unusable.
 */
export function readableDenyRules(name: SourceName, rawRules: readonly unknown[], label?: string): CompiledSource {
  const rules: NormalizedRule[] = [];
  rawRules.forEach((raw, index) => {
    const checked = normalizeRule(raw, index, name);
    if (checked.ok && checked.rule.action === 'noCertificate') rules.push(checked.rule);
  });
  return { name, label, accepted: true, total: rawRules.length, rules, errors: [], warnings: [] };
}
