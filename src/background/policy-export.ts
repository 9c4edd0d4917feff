import type { CertificateFilter } from '../config/index';
import type { RuleSet } from '../engine/index';
import { compilePolicy, firefoxReport, PolicyFormatSchema, renderPolicy, SpaceTooLargeError, type PolicyRuleReport } from '../engine/policy/index';
import type { PolicyExportView } from '../shared/messages';
import { HandlerError } from './router';

/**
 * The export checks every kind of host and port exactly, which grows fast with
 * the rules (measured in Node: 100 rules 0.3 s, 500 rules 1.5 s, 2,000 rules
 * 2 min). The service worker runs it on its one thread, where a long compile
 * would hold up every event; above this many rules the CLI does it instead.
 */
export const MAX_EXPORT_RULES = 500;

/**
 * The rules in force compiled to the browser's own certificate policy (the
 * options page "Browser policy"; the same compiler as `cert-rules export`),
 * with the certificate filter from the settings.
 */
export function policyExport(ruleSet: RuleSet | null, format: string, ports: readonly number[] | undefined, filter: CertificateFilter | null): PolicyExportView {
  const parsed = PolicyFormatSchema.safeParse(format);
  if (!parsed.success) throw new HandlerError('invalid-request', `unknown format "${format}"; use one of ${PolicyFormatSchema.options.join(', ')}`);
  if (!ruleSet) throw new HandlerError('no-rules', 'no rules are in force, so there is nothing to export');
  const count = ruleSet.sources.reduce((sum, source) => sum + source.rules.length, 0);
  if (count > MAX_EXPORT_RULES && parsed.data !== 'firefox-json') {
    throw new HandlerError('too-large', `${count} rules are in force; the extension exports at most ${MAX_EXPORT_RULES} (the exact check grows quickly with the rules). Use "cert-rules export --format ${parsed.data}" on a computer instead`);
  }
  let entries: string[] = [];
  let report: PolicyRuleReport[];
  if (parsed.data === 'firefox-json') {
    report = firefoxReport(ruleSet);
  } else {
    try {
      const policy = compilePolicy(ruleSet, { filter: filter ?? {}, ports: ports ? ports.map(String) : null });
      entries = policy.entries;
      report = policy.report;
    } catch (error) {
      if (error instanceof SpaceTooLargeError) throw new HandlerError('too-large', `the rule set is too large to check exactly (${error.message})`);
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
