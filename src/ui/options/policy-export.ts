import { buildRuleSet } from '../../engine/index';
import type { CertificateFilter } from '../../config/index';
import {
  compilePolicy,
  filterProblem,
  firefoxReport,
  PolicyFormatSchema,
  renderPolicy,
  SpaceTooLargeError,
  type PolicyRuleReport,
} from '../../engine/policy/index';
import type { RulesInForceView } from '../../shared/messages';

/**
 * The export checks every kind of host and port exactly, which grows fast with
 * the rules (measured in Node: 100 rules 0.3 s, 500 rules 1.5 s, 2,000 rules
 * 2 min). It runs in the options page, on the page's one thread: above this
 * many rules the page would stop answering, so the CLI does it instead.
 */
export const MAX_EXPORT_RULES = 500;

/** A file to deploy and, per rule, how exactly the browser's policy expresses it. */
export interface PolicyExportView {
  text: string;
  filename: string;
  mimeType: string;
  report: { source: string; index: number; outcome: string; note: string }[];
  /** What the CLI prints as notes for the same export (e.g. that no certificate filter is set). */
  notes: string[];
  /** A Chrome or Edge file without a certificate filter: the browser may auto-select any certificate. */
  anyCertificate: boolean;
}

/** Why an export was refused: invalid-request (unknown format), no-rules, too-large. */
export class PolicyExportError extends Error {
  constructor(
    readonly code: 'invalid-request' | 'no-rules' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The rules in force compiled to the browser's own certificate policy (the
 * options page "Browser policy"; the same compiler as `cert-rules export`),
 * with the certificate filter from the settings, or the one being edited on
 * the page. The background sends the compiled sources; the page builds the
 * rule set and compiles it, so the compiler never loads into the service worker.
 */
export function policyExport(
  inForce: RulesInForceView,
  format: string,
  ports: readonly number[] | undefined,
  filter: CertificateFilter | null = inForce.certificateFilter,
): PolicyExportView {
  const parsed = PolicyFormatSchema.safeParse(format);
  if (!parsed.success) throw new PolicyExportError('invalid-request', `unknown format "${format}"; use one of ${PolicyFormatSchema.options.join(', ')}`);
  const problem = filterProblem(filter ?? {});
  if (problem) throw new PolicyExportError('invalid-request', `certificate filter: ${problem}`);
  const ruleSet = buildRuleSet(inForce.sources);
  if (!ruleSet) throw new PolicyExportError('no-rules', 'no rules are in force, so there is nothing to export');
  const count = ruleSet.sources.reduce((sum, source) => sum + source.rules.length, 0);
  if (count > MAX_EXPORT_RULES && parsed.data !== 'firefox-json') {
    throw new PolicyExportError(
      'too-large',
      `${count} rules are in force; the options page exports at most ${MAX_EXPORT_RULES} (the exact check grows quickly with the rules). Use "cert-rules export --format ${parsed.data}" on a computer instead`,
    );
  }
  let entries: string[] = [];
  let report: PolicyRuleReport[];
  let notes: string[] = [];
  let anyCertificate = false;
  if (parsed.data === 'firefox-json') {
    report = firefoxReport(ruleSet);
  } else {
    try {
      const policy = compilePolicy(ruleSet, { filter: filter ?? {}, ports: ports ? ports.map(String) : null });
      entries = policy.entries;
      report = policy.report;
      notes = policy.notes;
      anyCertificate = policy.anyCertificate;
    } catch (error) {
      if (error instanceof SpaceTooLargeError) throw new PolicyExportError('too-large', `the rule set is too large to check exactly (${error.message})`);
      throw error;
    }
  }
  const rendered = renderPolicy(parsed.data, { entries, anyCertificate });
  return {
    text: rendered.text,
    filename: rendered.fileName,
    mimeType: rendered.mediaType,
    report: report.map((line) => ({ source: line.source, index: line.index, outcome: line.outcome, note: line.note })),
    notes: [...notes, ...rendered.notes],
    anyCertificate,
  };
}
