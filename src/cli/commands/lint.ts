import { lintRules } from '../../engine/index';
import { parseRuleFile } from '../../engine/json-syntax';
import { coverIndex } from '../../engine/lint-index';
import { ruleReferencesInWords as inWords } from '../../engine/rule-words';
import { documentProblem } from '../load-rules';
import { parseCommandArgs } from '../args';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, usageErrorText, type CliIo } from '../io';
import { readUserFile } from '../read-file';

export const LINT_HELP = `Usage: cert-rules lint FILE

Validates every rule in FILE and warns about risky or useless ones. Prints one
JSON object per finding, one per line:
  {"index": n, "severity": "error"|"warning", "code": …, "message": …}

Errors (the rule is unusable): invalid-host, invalid-port, invalid-action.
An invalid noCertificate rule or an unknown action rejects the whole source;
an invalid useEnrollmentCertificate rule is dropped.
Warnings: wildcard-suffix ("*acme.com" also matches "evilacme.com"),
allow-everywhere (allow rule on "*" or "*.<tld>"), unreachable (a duplicate,
or a rule that an earlier rule or a deny rule wholly covers), plaintext-port
(allow rule on port 80).

Exit: 0 no errors; 1 at least one error (or FILE holds no rules); 2 usage
error or unreadable file.
`;

export async function lintCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(argv, { rules: { type: 'string' } });
    if (values.help) {
      io.stdout(LINT_HELP);
      return EXIT_OK;
    }
    const files = values.rules ? [values.rules, ...positionals] : positionals;
    if (files.length !== 1) throw new UsageError('give exactly one rules FILE');
    const path = files[0] as string;
    const document = parseRuleFile(await readUserFile(path));
    if (!document.ok) {
      io.stderr(`${path}: no rules: ${documentProblem(document)}\n`);
      return EXIT_FAILED;
    }
    const findings = lintRules(document.rules, coverIndex);
    // The message in people's numbering ("rule 3 (index 2)"); `index` stays the 0-based position.
    io.stdout(findings.map((finding) => `${JSON.stringify({ ...finding, message: inWords(finding.message) })}\n`).join(''));
    const errors = findings.filter((finding) => finding.severity === 'error').length;
    io.stderr(`${path}: ${document.rules.length} rules, ${errors} errors, ${findings.length - errors} warnings\n`);
    return errors > 0 ? EXIT_FAILED : EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(usageErrorText('lint', error.message));
      return EXIT_USAGE;
    }
    throw error;
  }
}
