import { z } from '../../lib/zod';
import { ActionSchema, SourceNameSchema, type NormalizedRule } from '../model';
import type { PairOutcome } from './policy-space';

export const PolicyOutcomeSchema = z.enum(['exact', 'narrower', 'not-expressible', 'asks']);
/**
 * - exact: Chrome auto-selects on exactly the hosts and ports where this rule gives the certificate;
 * - narrower: on some of them Chrome will not (`example` names one), never on more;
 * - not-expressible: no entry; Chrome never auto-selects for this rule;
 * - asks: a deny rule; Chrome cannot refuse, so it asks the user there.
 */
export type PolicyOutcome = z.infer<typeof PolicyOutcomeSchema>;

export const PolicyRuleReportSchema = z.object({
  source: SourceNameSchema,
  index: z.number().check(z.int(), z.nonnegative()),
  host: z.string(),
  port: z.string(),
  action: ActionSchema,
  outcome: PolicyOutcomeSchema,
  note: z.string(),
  /** For `narrower` and `not-expressible`: a host:port the rule covers where Chrome will not auto-select. */
  example: z.nullable(z.string()),
  /** The entries this rule produced. */
  patterns: z.array(z.string()),
});
export type PolicyRuleReport = z.infer<typeof PolicyRuleReportSchema>;

interface ReportEntry {
  key: string;
  kind: 'allow' | 'never';
  role: string;
  origins: ReadonlySet<number>;
  narrows: ReadonlySet<number>;
}

/** Every (host kind, port kind) pair: the engine's first deny and allow rule (-1 for none) and whether Chrome auto-selects. */
export interface PairTable {
  size: number;
  deny: Int32Array;
  allow: Int32Array;
  selects(pair: number): boolean;
  outcome(pair: number): PairOutcome;
}

interface ReportInput {
  rules: readonly NormalizedRule[];
  pairs: PairTable;
  entries: readonly ReportEntry[];
  reasons: ReadonlyMap<number, readonly string[]>;
}

const ruleName = (rule: NormalizedRule) => `${rule.source}#${rule.index}`;

/**
 * One line per rule. The outcome of an allow rule is measured, not guessed:
 * over every kind of host and port, the pairs where the engine gives the
 * certificate because of this rule are compared with Chrome's choice.
 */
export function buildReport({ rules, pairs, entries, reasons }: ReportInput): PolicyRuleReport[] {
  // Per allow rule: how many pairs it decides, and the first of them where Chrome does not auto-select.
  const count = new Int32Array(rules.length);
  const missedPair = new Int32Array(rules.length).fill(-1);
  for (let pair = 0; pair < pairs.size; pair += 1) {
    const allow = pairs.allow[pair]!;
    if (pairs.deny[pair]! >= 0 || allow < 0) continue;
    count[allow] = count[allow]! + 1;
    if (missedPair[allow]! < 0 && !pairs.selects(pair)) missedPair[allow] = pair;
  }
  const ownEntries = rules.map((): ReportEntry[] => []);
  const blockersOf = rules.map((): ReportEntry[] => []);
  for (const entry of entries) {
    for (const r of entry.origins) ownEntries[r]!.push(entry);
    if (entry.role === 'blocker') for (const r of entry.narrows) blockersOf[r]!.push(entry);
  }
  return rules.map((rule, r) => {
    const own = ownEntries[r]!;
    const base = { source: rule.source, index: rule.index, host: rule.host, port: rule.port, action: rule.action, patterns: own.map((entry) => entry.key) };
    if (rule.action === 'noCertificate') {
      const never = own.filter((entry) => entry.kind === 'never');
      const cuts = never.filter((entry) => entry.role === 'blocker');
      let note =
        never.length > 0
          ? `${never.map((entry) => entry.key).join(', ')} match${never.length === 1 ? 'es' : ''} no certificate: Chrome asks the user there instead of refusing`
          : 'no entry needed: no allow entry reaches these hosts, so Chrome does not auto-select there (it asks)';
      if (cuts.length > 0) {
        const narrowed = [...new Set(cuts.flatMap((entry) => [...entry.narrows]))].map((i) => ruleName(rules[i]!));
        note += `; ${cuts.map((entry) => entry.key).join(', ')} cut out of the entries of ${narrowed.join(', ')}, as Chrome cannot express this rule exactly`;
      }
      return { ...base, outcome: 'asks', note, example: null };
    }
    const allows = own.filter((entry) => entry.kind === 'allow').map((entry) => entry.key);
    const apexes = own.filter((entry) => entry.kind === 'never' && entry.role === 'apex').map((entry) => entry.key);
    const stats = { count: count[r]!, missed: missedPair[r]! < 0 ? null : pairs.outcome(missedPair[r]!) };
    const written = allows.length > 0 ? `→ ${allows.join(', ')}` : 'no entry';
    const asks = apexes.length > 0 ? `; ${apexes.join(', ')} asks, as the rule does not cover that host itself` : '';
    if (!stats.missed) {
      const unmatched = (reasons.get(r) ?? []).find((reason) => reason.startsWith('the URL parser writes'));
      const nowhere = unmatched ?? 'deny rules or earlier rules decide every host it covers';
      const why = allows.length > 0 ? '' : stats.count === 0 ? `: ${nowhere}` : ': entries of other rules cover it';
      return { ...base, outcome: 'exact', note: `${written}${asks}${why}`, example: null };
    }
    const example = formatPair(stats.missed);
    const because = [...(reasons.get(r) ?? [])];
    for (const entry of blockersOf[r]!) {
      const denies = [...entry.origins].map((i) => ruleName(rules[i]!)).join(', ');
      because.push(`${entry.key} asks, cut out for deny rule ${denies}`);
    }
    const why = because.length > 0 ? `; ${because.join('; ')}` : '';
    if (allows.length > 0) {
      return { ...base, outcome: 'narrower', note: `${written}${asks}; Chrome will not auto-select on ${example}, which the rule covers${why}`, example };
    }
    return { ...base, outcome: 'not-expressible', note: `skipped${why || ': no entry can express it'}; e.g. ${example} gets no auto-selection`, example };
  });
}

function formatPair(pair: PairOutcome): string {
  return `${pair.host.includes(':') ? `[${pair.host}]` : pair.host}:${pair.port}`;
}
