import type { NormalizedRule, ReportedRule, Verdict } from './model';
import type { RuleSet } from './rule-set';
import { normalizeTarget, type Target } from './target';

/** The decision for one URL (docs/rules.md §5). A null rule set means "no usable rules". */
export function decide(ruleSet: RuleSet | null, url: string): Verdict {
  return decideTarget(ruleSet, normalizeTarget(url));
}

export function decideTarget(ruleSet: RuleSet | null, target: Target): Verdict {
  if (target.kind === 'invalid') return { decision: 'noCertificate', reason: 'invalid-url', rule: null };
  if (target.kind === 'not-tls') return { decision: 'notApplicable', reason: 'not-tls', rule: null };
  if (!ruleSet) return { decision: 'noCertificate', reason: 'no-rules', rule: null };
  // The first deny rule if any matches, else the first allow rule (§5 steps 3–4), in one lookup.
  const rule = ruleSet.index.deciding(target.host, target.port);
  if (!rule) return { decision: 'noCertificate', reason: 'no-match', rule: null };
  if (rule.action === 'noCertificate') return { decision: 'noCertificate', reason: 'deny-rule', rule: report(rule) };
  return { decision: 'useEnrollmentCertificate', reason: 'allow-rule', rule: report(rule) };
}

/** A decision with everything needed to explain it: what was compared, and every rule that matched. */
export interface Explanation extends Verdict {
  url: string;
  host: string | null;
  port: string | null;
  matched: ReportedRule[];
}

export function explain(ruleSet: RuleSet | null, url: string): Explanation {
  const target = normalizeTarget(url);
  const verdict = decideTarget(ruleSet, target);
  const tls = target.kind === 'tls' ? target : null;
  const matched = tls && ruleSet ? ruleSet.index.allMatches(tls.host, tls.port).map(report) : [];
  return { url, ...verdict, host: tls?.host ?? null, port: tls?.port ?? null, matched };
}

function report(rule: NormalizedRule): ReportedRule {
  return { source: rule.source, index: rule.index, host: rule.host, port: rule.port, action: rule.action };
}
