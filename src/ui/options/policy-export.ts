import { buildRuleSet } from '../../engine/index';
import { compilePolicy, firefoxReport, PolicyFormatSchema, renderPolicy, SpaceTooLargeError, type PolicyRuleReport } from '../../engine/policy/index';
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
 * with the certificate filter from the settings. The background sends the
 * compiled sources; the page builds the rule set and compiles it, so the
 * compiler never loads into the service worker.
 */
export function policyExport(inForce: RulesInForceView, format: string, ports: readonly number[] | undefined): PolicyExportView {
  const parsed = PolicyFormatSchema.safeParse(format);
  if (!parsed.success) throw new PolicyExportError('invalid-request', `unknown format "${format}"; use one of ${PolicyFormatSchema.options.join(', ')}`);
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
  if (parsed.data === 'firefox-json') {
    report = firefoxReport(ruleSet);
  } else {
    try {
      const policy = compilePolicy(ruleSet, { filter: inForce.certificateFilter ?? {}, ports: ports ? ports.map(String) : null });
      entries = policy.entries;
      report = policy.report;
    } catch (error) {
      if (error instanceof SpaceTooLargeError) throw new PolicyExportError('too-large', `the rule set is too large to check exactly (${error.message})`);
      throw error;
    }
  }
  const rendered = renderPolicy(parsed.data, { entries });
  return {
    text: rendered.text,
    filename: rendered.fileName,
    mimeType: rendered.mediaType,
    report: report.map((line) => ({ source: line.source, index: line.index, outcome: line.outcome, note: line.note })),
  };
}
