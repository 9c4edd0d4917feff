import { lintRules } from '../../engine/lint';
import { coverIndex } from '../../engine/lint-index';
import type { Finding } from '../../engine/model';
import { parseRuleFile } from '../../engine/json-syntax';
import type { LocalRulesMode } from '../../shared/status';
import { t } from '../common/i18n';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_RULES = 100_000;

export type ImportCheck =
  | { kind: 'unreadable'; where: string; message: string }
  | {
      kind: 'rules';
      rules: unknown[];
      /** Errors that block the import: invalid rules, and allow rules where policy allows only deny rules. */
      errors: Finding[];
      /** Lint warnings: shown, never blocking. */
      warnings: Finding[];
    };

/**
 * Checks an import in full before anything is saved: every rule through the
 * engine, every problem reported with its rule number. Any error blocks the
 * whole import, so a file with one invalid deny rule saves nothing.
 */
export function checkImport(text: string, mode: LocalRulesMode): ImportCheck {
  const document = parseRuleFile(text);
  if (!document.ok) return { kind: 'unreadable', where: document.path, message: document.message };
  const rules = document.rules;
  if (rules.length > MAX_RULES) return { kind: 'unreadable', where: '$', message: t('import_tooMany', MAX_RULES) };
  const findings = lintRules(rules, coverIndex);
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (mode === 'denyOnly') {
    rules.forEach((rule, index) => {
      const action = (rule as { action?: unknown } | null)?.action;
      if (action === 'useEnrollmentCertificate') {
        errors.push({ index, severity: 'error', code: 'invalid-action', message: t('import_denyOnlyRule') });
      }
    });
    errors.sort((a, b) => a.index - b.index);
  }
  return { kind: 'rules', rules, errors, warnings: findings.filter((finding) => finding.severity === 'warning') };
}

/** The local rules as a file in the console's own shape, readable by every importer here. */
export function exportText(rules: readonly unknown[]): string {
  return `${JSON.stringify({ clientCertsUrlMatchingRules: rules }, null, 2)}\n`;
}
