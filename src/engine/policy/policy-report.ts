import { z } from '../../lib/zod';
import { ActionSchema, SourceNameSchema, type NormalizedRule } from '../model';
import { compileGlob, globMatches } from '../glob';
import type { PairOutcome, RuleIndexes } from './policy-space';

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
  /** The port kind standing for a pair's port class. */
  portOf(pair: number): number;
  deny: RuleIndexes;
  allow: RuleIndexes;
  selects(pair: number): boolean;
  outcome(pair: number): PairOutcome;
  /** The port kind a port number falls in, or -1. */
  portKindOf(port: string): number;
}

interface ReportInput {
  rules: readonly NormalizedRule[];
  pairs: PairTable;
  entries: readonly ReportEntry[];
  /** Per rule (by position): why Chrome does less than the rule. */
  reasons: ReadonlyMap<number, readonly string[]>;
  /** Per allow rule (by position): the narrower host its entries are written with. */
  forms?: ReadonlyMap<number, string>;
  /** Per rule (by position): lint's warnings about it, repeated on its line. */
  warnings?: ReadonlyMap<number, readonly string[]>;
  /** The ports port globs stand for (`--ports`). */
  ports?: readonly string[] | null;
  /** Per allow rule (by position): a pair found outside the walked kinds where it decides and Chrome does not auto-select (open-probes.ts). */
  probed?: ReadonlyMap<number, PairOutcome>;
  /** Per allow rule (by position) checked on some hosts only: why it is never called exact without an example. */
  unchecked?: ReadonlyMap<number, string>;
}

/** A rule named in another rule's note, in the engine's numbering (the CLI and the pages put it in words). */
const ruleName = (rule: NormalizedRule) => `${rule.source} rule ${rule.index}`;

/** What a never-match entry is and does. */
const NEVER_MATCH = 'with a filter that matches no certificate';

/**
 * One line per rule. The outcome of an allow rule is measured, not guessed:
 * over every kind of host and port, the pairs where the engine gives the
 * certificate because of this rule are compared with Chrome's choice. Every
 * note starts with what was written for the rule ("written: …", or "nothing
 * written"), and ends with lint's warnings about the rule, if any.
 */
export function buildReport({
  rules,
  pairs,
  entries,
  reasons,
  forms = new Map(),
  warnings = new Map(),
  ports = null,
  probed = new Map(),
  unchecked = new Map(),
}: ReportInput): PolicyRuleReport[] {
  const { count, missed } = measure(rules, pairs, ports);
  const ownEntries = rules.map((): ReportEntry[] => []);
  const blockersOf = rules.map((): ReportEntry[] => []);
  for (const entry of entries) {
    for (const r of entry.origins) ownEntries[r]!.push(entry);
    if (entry.role === 'blocker') for (const r of entry.narrows) blockersOf[r]!.push(entry);
  }
  return rules.map((rule, r) => {
    const own = ownEntries[r]!;
    const base = { source: rule.source, index: rule.index, host: rule.host, port: rule.port, action: rule.action, patterns: own.map((entry) => entry.key) };
    const lint = (warnings.get(r) ?? []).map((message) => `; lint warns: ${message}`).join('');
    if (rule.action === 'noCertificate') return { ...base, outcome: 'asks', note: `${denyNote(own, rules)}${lint}`, example: null };
    const allows = own.filter((entry) => entry.kind === 'allow').map((entry) => entry.key);
    const apexes = own.filter((entry) => entry.kind === 'never' && entry.role === 'apex').map((entry) => entry.key);
    const parts = [writtenText(allows, apexes)];
    const found = missed[r] ?? probed.get(r);
    const example = found ? formatPair(found) : null;
    const notChecked = unchecked.get(r);
    if (!example && notChecked !== undefined) {
      const why = [`not claimed exact: ${notChecked}`, ...(reasons.get(r) ?? [])];
      if (allows.length > 0) parts.push(...why);
      else parts[0] += `: ${why.join('; ')}`;
      return { ...base, outcome: allows.length > 0 ? 'narrower' : 'not-expressible', note: `${parts.join('; ')}${lint}`, example: null };
    }
    if (!example) {
      if (allows.length === 0) {
        const unmatched = (reasons.get(r) ?? []).find((reason) => reason.startsWith('the URL parser writes'));
        parts[0] += `: ${count[r] === 0 ? (unmatched ?? 'deny rules or earlier rules decide every host it covers') : 'entries of other rules cover it'}`;
      }
      return { ...base, outcome: 'exact', note: `${parts.join('; ')}${lint}`, example: null };
    }
    const because = [...(reasons.get(r) ?? [])];
    for (const entry of blockersOf[r]!) {
      const denies = [...entry.origins].map((i) => ruleName(rules[i]!)).join(', ');
      because.push(`${entry.key} asks, cut out for deny ${denies}`);
    }
    if (allows.length > 0) {
      const form = forms.get(r);
      parts.push(`Chrome will not auto-select on ${example}, which the rule covers`, ...(form ? [form] : []), ...because);
      return { ...base, outcome: 'narrower', note: `${parts.join('; ')}${lint}`, example };
    }
    parts[0] += `: ${because.length > 0 ? because.join('; ') : 'no entry can express it'}`;
    parts.push(`e.g. ${example} gets no auto-selection`);
    return { ...base, outcome: 'not-expressible', note: `${parts.join('; ')}${lint}`, example };
  });
}

/** What was written for an allow rule: its entries and the apex entries that make Chrome ask, or nothing. */
function writtenText(allows: readonly string[], apexes: readonly string[]): string {
  const parts = allows.length > 0 ? [allows.join(', ')] : [];
  if (apexes.length > 0) parts.push(`${apexes.join(', ')} ${NEVER_MATCH}, so Chrome asks there: the rule does not cover that host itself`);
  return parts.length > 0 ? `written: ${parts.join('; ')}` : 'nothing written';
}

function denyNote(own: readonly ReportEntry[], rules: readonly NormalizedRule[]): string {
  const never = own.filter((entry) => entry.kind === 'never');
  if (never.length === 0) return 'nothing written: no allow entry reaches its hosts, so Chrome does not auto-select there (it asks)';
  let note = `written: ${never.map((entry) => entry.key).join(', ')} ${NEVER_MATCH}, so Chrome asks the user there instead of refusing`;
  const cuts = never.filter((entry) => entry.role === 'blocker');
  if (cuts.length > 0) {
    const narrowed = [...new Set(cuts.flatMap((entry) => [...entry.narrows]))].map((i) => ruleName(rules[i]!));
    note += `; ${cuts.map((entry) => entry.key).join(', ')} cut out of the entries of ${narrowed.join(', ')}, as Chrome cannot express this rule exactly`;
  }
  return note;
}

/**
 * Per allow rule: how many pairs it decides, and a pair it decides where
 * Chrome does not auto-select, as a host:port to name. The port is 443 when
 * such a pair is on port 443, else a port the rule names (its own number or
 * a listed port its glob matches), else the kind's own witness.
 */
function measure(rules: readonly NormalizedRule[], pairs: PairTable, ports: readonly string[] | null) {
  const count = new Int32Array(rules.length);
  const found = new Int32Array(rules.length).fill(-1);
  // The preferred port found so far per rule (its place in `preferred`; 0 is 443, the best).
  const rank = new Int32Array(rules.length).fill(2 ** 30);
  const chosenPort: (string | null)[] = rules.map(() => null);
  const kindOf = new Map<string, number>();
  const preferred = rules.map((rule) => {
    if (rule.action !== 'useEnrollmentCertificate') return [];
    const named = rule.port.includes('*') ? (ports ?? []).filter((port) => globMatches(compileGlob(rule.port), port)) : [rule.port];
    return [...new Set(['443', ...named])].map((port) => {
      let kind = kindOf.get(port);
      if (kind === undefined) kindOf.set(port, (kind = pairs.portKindOf(port)));
      return { port, kind };
    });
  });
  for (let pair = 0; pair < pairs.size; pair += 1) {
    const allow = pairs.allow[pair]!;
    if (pairs.deny[pair]! >= 0 || allow < 0) continue;
    count[allow] = count[allow]! + 1;
    if (rank[allow] === 0 || pairs.selects(pair)) continue;
    if (found[allow]! < 0) found[allow] = pair;
    const kind = pairs.portOf(pair);
    const at = preferred[allow]!.findIndex((candidate) => candidate.kind === kind);
    if (at >= 0 && at < rank[allow]!) {
      rank[allow] = at;
      found[allow] = pair;
      chosenPort[allow] = preferred[allow]![at]!.port;
    }
  }
  const missed = rules.map((_, r) => {
    if (found[r]! < 0) return null;
    const outcome = pairs.outcome(found[r]!);
    return chosenPort[r] ? { ...outcome, port: chosenPort[r] } : outcome;
  });
  return { count, missed };
}

function formatPair(pair: PairOutcome): string {
  return `${pair.host.includes(':') ? `[${pair.host}]` : pair.host}:${pair.port}`;
}
