import type { NormalizedRule } from '../model';
import type { RuleSet } from '../rule-set';
import { CertFilterSchema, NEVER_MATCH_FILTER, NO_CERTIFICATE_FILTER_NOTE, toChromeFilter, type ChromeFilter } from './cert-filter';
import { compareSpecificity, type ChromePattern } from './chrome-pattern';
import { CompileState, type Entry, type EntryRole, type PolicyOptions } from './compile-state';
import { degradedPolicy } from './degraded-policy';
import { SpaceTooLargeError } from './walk-context';
import { buildReport, type PolicyRuleReport } from './policy-report';
import { lintWarningsByPosition } from './report-lint';

export { type EntryRole, type PolicyOptions } from './compile-state';
export { formatHostPort } from './compile-forms';

/** One policy entry with where it came from. */
export interface PolicyItem {
  /** The content-setting pattern, e.g. `https://[*.]acme.com:443`. */
  pattern: string;
  chrome: ChromePattern;
  /** `allow` selects the certificate; `never` carries a filter no certificate matches, so Chrome asks. */
  kind: 'allow' | 'never';
  filter: ChromeFilter;
  /** The string that goes into AutoSelectCertificateForUrls. */
  entry: string;
  /** Why it exists: a rule's own translation, a rule's apex, a deny rule, a cut-out for a deny rule, or a host restored under a cut-out. */
  role: EntryRole;
  rules: { source: NormalizedRule['source']; index: number }[];
}

export interface CompiledPolicy {
  /** The policy value: one JSON string per entry. */
  entries: string[];
  items: PolicyItem[];
  /** One line per rule, in rule order. */
  report: PolicyRuleReport[];
  /** Things every reader of the policy should know. */
  notes: string[];
  /** No certificate filter: the allow entries let Chrome auto-select any certificate the server accepts. */
  anyCertificate: boolean;
  /**
   * How many host kinds and port kinds the compiled policy was checked on, how
   * many pairs of them (each host kind with the port classes it tells apart),
   * and how many entries the repair restored under never-match entries on the
   * way (most are pruned again): measures of the work the export did.
   */
  checked: { hostKinds: number; portKinds: number; pairs: number; restored: number };
}

/**
 * Compiles the active rule set to Chrome/Edge AutoSelectCertificateForUrls
 * entries, never letting Chrome auto-select where the engine says
 * noCertificate: allow rules become entries, deny rules become never-match
 * entries at least as specific, and every result is checked against the
 * engine on every kind of host and port (policy-space.ts); an allow entry that
 * Chrome would let win where the engine says no gets a more specific
 * never-match entry cut out of it, or is dropped.
 */
export function compilePolicy(ruleSet: RuleSet | null, options: PolicyOptions = {}): CompiledPolicy {
  const filter = CertFilterSchema.parse(options.filter ?? {});
  const rules = ruleSet ? ruleSet.sources.flatMap((source) => source.rules) : [];
  const positions = new Map(rules.map((rule, r) => [`${rule.source}\u0000${rule.index}`, r]));
  const decide = (host: string, port: string) => {
    const rule = ruleSet?.index.deciding(host, port);
    return rule ? (positions.get(`${rule.source}\u0000${rule.index}`) ?? -1) : -1;
  };
  const state = new CompileState(rules, options, decide);
  state.progress(0);
  const warnings = lintWarningsByPosition(rules);
  const allowFilter = toChromeFilter(filter);
  const notes = [
    'Chrome has no "never send" action: a deny rule becomes an entry whose filter matches no certificate, so Chrome asks the user there instead of refusing.',
  ];
  const anyCertificate = Object.keys(allowFilter).length === 0;
  if (anyCertificate) notes.push(NO_CERTIFICATE_FILTER_NOTE);
  let compiled: { entries: Entry[]; report: PolicyRuleReport[]; checked: CompiledPolicy['checked'] };
  try {
    compiled = compileChecked(state, rules, warnings, options);
  } catch (error) {
    if (!(error instanceof SpaceTooLargeError)) throw error;
    // Too large to check exactly: a narrower policy of entries a cheap check proves, never a refusal (degraded-policy.ts).
    const degraded = degradedPolicy({ rules, ports: options.ports ?? null, decide, why: error.message, warnings });
    compiled = { entries: degraded.entries, report: degraded.report, checked: { hostKinds: 0, portKinds: degraded.portKinds, pairs: 0, restored: 0 } };
    notes.push(degraded.note);
  }
  // Grouped by domain (labels read right to left), most specific first: easy to review, and Chrome ignores order.
  const ordered = compiled.entries
    .map((entry) => ({ entry, review: reviewKey(entry.pattern) }))
    .sort((a, b) => byCodePoint(a.review, b.review) || compareSpecificity(b.entry.pattern, a.entry.pattern) || byCodePoint(a.entry.key, b.entry.key))
    .map(({ entry }) => entry);
  const items: PolicyItem[] = ordered.map((entry) => {
    const entryFilter = entry.kind === 'allow' ? allowFilter : NEVER_MATCH_FILTER;
    return {
      pattern: entry.key,
      chrome: entry.pattern,
      kind: entry.kind,
      filter: entryFilter,
      entry: JSON.stringify({ pattern: entry.key, filter: entryFilter }),
      role: entry.role,
      rules: [...entry.origins].sort((a, b) => a - b).map((r) => ({ source: rules[r]!.source, index: rules[r]!.index })),
    };
  });
  state.progress(1);
  return {
    entries: items.map((item) => item.entry),
    items,
    report: compiled.report,
    notes,
    anyCertificate,
    checked: compiled.checked,
  };
}

/** The exact export: entries, repair against the engine on every kind of host and port, and the measured report. */
function compileChecked(state: CompileState, rules: readonly NormalizedRule[], warnings: ReadonlyMap<number, readonly string[]>, options: PolicyOptions) {
  state.addRuleEntries();
  state.repair();
  state.prune();
  const violation = state.firstViolation();
  if (violation !== null) throw new Error(`policy export: internal error, ${violation}`);
  const report = buildReport({
    rules,
    pairs: state.pairs(),
    entries: [...state.entries.values()],
    reasons: state.reasons,
    forms: state.forms,
    warnings,
    ports: options.ports ?? null,
    probed: state.openExamples(),
    unchecked: state.unchecked(),
  });
  return {
    entries: [...state.entries.values()],
    report,
    checked: { hostKinds: state.space().hosts.length, portKinds: state.space().ports.length, pairs: state.space().size, restored: state.restored },
  };
}

/** Locale-independent, so the same rules give the same file everywhere. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function reviewKey(pattern: ChromePattern): string {
  const host = pattern.host;
  if (host.kind === 'any') return '';
  const name = host.kind === 'exact' ? host.host : host.domain;
  return name.includes(':') ? `~${name}` : name.split('.').reverse().join('.');
}
