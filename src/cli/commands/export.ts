import { writeFile } from 'node:fs/promises';
import { buildRuleSet, normalizePortPattern, type RuleSet } from '../../engine/index';
import {
  compilePolicy,
  filterProblem,
  firefoxReport,
  OUTCOME_ORDER,
  OUTCOME_WORDS,
  PolicyFormatSchema,
  renderPolicy,
  SpaceTooLargeError,
  type CertFilter,
  type PolicyRuleReport,
  type Principal,
} from '../../engine/policy/index';
import { loadStateFileRules } from '../state-file';
import { parseCommandArgs } from '../args';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, usageErrorText, type CliIo } from '../io';
import { ruleInWords, ruleReferencesInWords as inWords } from '../../engine/rule-words';
import { loadRulesFile } from '../load-rules';

export const EXPORT_HELP = `Usage: cert-rules export --format FORMAT (--rules FILE | --state FILE) [options]

Compiles the rules to the browser's own client certificate policy and says,
rule by rule, how faithful the translation is. Chrome and Edge choose client
certificates only from the AutoSelectCertificateForUrls policy; the export never
lets them auto-select where the rules say noCertificate.

FORMAT:
  chrome-json          Linux: /etc/opt/chrome/policies/managed/ or /etc/chromium/policies/managed/
  chrome-reg           Windows: HKLM\\SOFTWARE\\Policies\\Google\\Chrome (regedit file)
  chrome-mobileconfig  macOS: configuration profile for com.google.Chrome
  edge-json            Linux: /etc/opt/edge/policies/managed/
  edge-reg             Windows: HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge
  edge-mobileconfig    macOS: configuration profile for com.microsoft.Edge
  firefox-json         policies.json locking "Ask Every Time" (Firefox has no per-site equivalent)

Options:
  --rules FILE         the rules (a bare array, {"clientCertsUrlMatchingRules": …} or a console profile)
  --state FILE         the profile rules "cert-rules sync" last stored in FILE
  --issuer-cn, --issuer-o, --issuer-ou, --issuer-l TEXT
  --subject-cn, --subject-o, --subject-ou, --subject-l TEXT
                       which certificate Chrome may auto-select (the enrollment
                       certificate); without any, Chrome picks any certificate
                       the server accepts on the allowed sites
  --ports LIST         ports that port patterns such as "*443" stand for, e.g.
                       443,8443 (Chrome patterns have one port or any)
  --output FILE        write the policy to FILE (a .reg file as UTF-16LE) instead of stdout
  --report FILE        also write the report as JSON:
                       {"rules": [{"source", "index", "outcome", "note"}]}
  -h, --help           this help

Outcomes (on stderr in words, one line per rule; in the --report JSON as the code):
${outcomesHelp()}

Exit: 0 written; 1 the rules were rejected or none are in force (nothing
written); 2 usage error or unreadable file.
`;

/** Each outcome's words and code, its explanation wrapped under it: the same words as the options page. */
function outcomesHelp(): string {
  return OUTCOME_ORDER.map((outcome) => `  ${OUTCOME_WORDS[outcome].label} (${outcome})\n${wrap(OUTCOME_WORDS[outcome].explanation, 6, 80)}`).join('\n');
}

function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((part) => `${' '.repeat(indent)}${part}`).join('\n');
}

const PRINCIPAL_FIELDS = ['cn', 'o', 'ou', 'l'] as const;

export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const options: Record<string, { type: 'string' }> = {
      format: { type: 'string' },
      rules: { type: 'string' },
      state: { type: 'string' },
      ports: { type: 'string' },
      output: { type: 'string' },
      report: { type: 'string' },
    };
    for (const who of ['issuer', 'subject']) for (const field of PRINCIPAL_FIELDS) options[`${who}-${field}`] = { type: 'string' };
    const { values, positionals } = parseCommandArgs(argv, options);
    const value = (name: string) => (values as Record<string, string | boolean | undefined>)[name];
    if (value('help')) {
      io.stdout(EXPORT_HELP);
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const format = PolicyFormatSchema.safeParse(value('format'));
    if (!format.success) {
      throw new UsageError(
        value('format') === undefined ? 'give --format' : `unknown format "${String(value('format'))}"; use one of ${PolicyFormatSchema.options.join(', ')}`,
      );
    }
    const rulesFile = value('rules');
    const stateFile = value('state');
    if ((typeof rulesFile === 'string') === (typeof stateFile === 'string')) throw new UsageError('give --rules FILE or --state FILE (one of them)');
    const filter = readFilter(value);
    const ports = readPorts(value('ports'));

    const loaded = typeof stateFile === 'string' ? await loadStateFileRules(stateFile, Date.now()) : await loadRulesFile(String(rulesFile));
    for (const message of loaded.messages) io.stderr(`${message}\n`);
    if (!loaded.source?.accepted) {
      io.stderr('cert-rules export: no rules in force; nothing written\n');
      return EXIT_FAILED;
    }
    const ruleSet = buildRuleSet([loaded.source]);

    const result = compile(format.data, ruleSet, filter, ports);
    if (!result.ok) {
      io.stderr(`cert-rules export: ${result.message}; nothing written\n`);
      return EXIT_FAILED;
    }
    const rendered = renderPolicy(format.data, { entries: result.entries });
    io.stderr(describe(format.data, result.entries.length, result.report, [...result.notes, ...rendered.notes], rendered.placement));
    const outputFile = value('output');
    if (typeof outputFile === 'string') await writeFile(outputFile, rendered.bytes);
    else io.stdout(rendered.text);
    const reportFile = value('report');
    if (typeof reportFile === 'string') {
      const json = { rules: result.report.map((line) => ({ source: line.source, index: line.index, outcome: line.outcome, note: line.note })) };
      await writeFile(reportFile, `${JSON.stringify(json, null, 2)}\n`);
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(usageErrorText('export', error.message));
      return EXIT_USAGE;
    }
    throw error;
  }
}

type Compiled = { ok: true; entries: string[]; report: PolicyRuleReport[]; notes: string[] } | { ok: false; message: string };

function compile(format: string, ruleSet: RuleSet | null, filter: CertFilter, ports: string[] | null): Compiled {
  if (format === 'firefox-json') return { ok: true, entries: [], report: firefoxReport(ruleSet), notes: [] };
  try {
    const policy = compilePolicy(ruleSet, { filter, ports });
    return { ok: true, entries: policy.entries, report: policy.report, notes: policy.notes };
  } catch (error) {
    if (error instanceof SpaceTooLargeError) return { ok: false, message: `the rule set is too large to check exactly (${error.message})` };
    throw error;
  }
}

function readFilter(value: (name: string) => string | boolean | undefined): CertFilter {
  const filter: CertFilter = {};
  for (const who of ['issuer', 'subject'] as const) {
    const principal: Principal = {};
    for (const field of PRINCIPAL_FIELDS) {
      const text = value(`${who}-${field}`);
      if (typeof text !== 'string') continue;
      if (text.trim() === '') throw new UsageError(`--${who}-${field} is empty`);
      principal[field.toUpperCase() as keyof Principal] = text;
    }
    if (Object.keys(principal).length > 0) filter[who] = principal;
  }
  const problem = filterProblem(filter);
  if (problem) throw new UsageError(problem);
  return filter;
}

function readPorts(text: string | boolean | undefined): string[] | null {
  if (typeof text !== 'string') return null;
  const ports = text.split(',').map((part) => part.trim());
  return ports.map((part) => {
    const port = normalizePortPattern(part);
    if (part === '' || !port.ok || port.value.includes('*'))
      throw new UsageError(`--ports takes port numbers separated by commas, e.g. 443,8443 (not "${part}")`);
    return port.value;
  });
}

function describe(format: string, entries: number, report: readonly PolicyRuleReport[], notes: readonly string[], placement: string): string {
  const lines = [
    `cert-rules export: ${report.length} rule${report.length === 1 ? '' : 's'} → ${format === 'firefox-json' ? 'policies.json' : `${entries} entr${entries === 1 ? 'y' : 'ies'}`} (${format})`,
  ];
  for (const line of report) {
    const action = line.action === 'noCertificate' ? 'deny ' : 'allow';
    lines.push(`  ${line.source} ${ruleInWords(line.index)} ${action} ${line.host}:${line.port}  ${OUTCOME_WORDS[line.outcome].label}: ${inWords(line.note)}`);
  }
  for (const note of notes) lines.push(`note: ${inWords(note)}`);
  lines.push(`where: ${placement}`);
  return `${lines.join('\n')}\n`;
}
