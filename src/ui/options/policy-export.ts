import { buildRuleSet } from '../../engine/index';
import type { CertificateFilter } from '../../config/index';
import {
  compilePolicy,
  filterProblem,
  firefoxReport,
  PolicyFormatSchema,
  renderPolicy,
  SpaceTooLargeError,
  type PolicyOptions,
  type PolicyRuleReport,
} from '../../engine/policy/index';
import type { RulesInForceView } from '../../shared/messages';
import type { ExportPhase } from './export-protocol';

/** How far an export is: the step, and the rules done of all (0 of 0 where a step does not count). */
export type ExportProgressListener = (phase: ExportPhase, done: number, total: number) => void;

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

/** Why an export was refused: invalid-request (unknown format), no-rules, too-large (past the compiler's bound on its walks). */
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
 * the page. The background sends the compiled sources; the page's export
 * worker builds the rule set and compiles it, so the compiler never loads
 * into the service worker nor runs on the page's thread.
 */
export function policyExport(
  inForce: RulesInForceView,
  format: string,
  ports: readonly number[] | undefined,
  filter: CertificateFilter | null = inForce.certificateFilter,
  onProgress: ExportProgressListener = () => undefined,
): PolicyExportView {
  const parsed = PolicyFormatSchema.safeParse(format);
  if (!parsed.success) throw new PolicyExportError('invalid-request', `unknown format "${format}"; use one of ${PolicyFormatSchema.options.join(', ')}`);
  const problem = filterProblem(filter ?? {});
  if (problem) throw new PolicyExportError('invalid-request', `certificate filter: ${problem}`);
  const count = inForce.sources.reduce((sum, source) => sum + source.rules.length, 0);
  onProgress('prepare', 0, count);
  const ruleSet = buildRuleSet(inForce.sources);
  if (!ruleSet) throw new PolicyExportError('no-rules', 'no rules are in force, so there is nothing to export');
  let entries: string[] = [];
  let report: PolicyRuleReport[];
  let notes: string[] = [];
  let anyCertificate = false;
  if (parsed.data === 'firefox-json') {
    report = firefoxReport(ruleSet);
  } else {
    onProgress('check', 0, 100);
    try {
      const options: PolicyOptions = {
        filter: filter ?? {},
        ports: ports ? ports.map(String) : null,
        onProgress: (done, total) => onProgress('check', done, total),
      };
      const policy = compilePolicy(ruleSet, options);
      entries = policy.entries;
      report = policy.report;
      notes = policy.notes;
      anyCertificate = policy.anyCertificate;
    } catch (error) {
      if (error instanceof SpaceTooLargeError) throw new PolicyExportError('too-large', `the rule set is too large to check exactly (${error.message})`);
      throw error;
    }
  }
  onProgress('write', count, count);
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
