import { compileGlob, globMatches } from '../../../../src/engine/glob';
import type { NormalizedRule } from '../../../../src/engine/model';
import type { RuleSet } from '../../../../src/engine/rule-set';
import {
  CertFilterSchema,
  NEVER_MATCH_FILTER,
  NO_CERTIFICATE_FILTER_NOTE,
  toChromeFilter,
  type CertFilter,
  type ChromeFilter,
} from '../../../../src/engine/policy/cert-filter';
import { compareSpecificity, formatPattern, type ChromePattern, type HostForm } from '../../../../src/engine/policy/chrome-pattern';
import { canonicalHost, deriveHostForm, domainCover, globOf, isExactHost } from '../../../../src/engine/policy/host-forms';
import { chromeSelects, engineAllows, PolicySpace, type PairOutcome, type SpaceEntry } from './policy-space';
import { buildReport, type PolicyRuleReport } from './policy-report';
import { cutOut } from '../../../../src/engine/policy/cut-out';

export interface PolicyOptions {
  /** Which certificate the allow entries select; `{}` when absent (any certificate the server accepts). */
  filter?: CertFilter;
  /** Ports that port globs such as `*443` stand for (decimal, no leading zeros); without it such rules are skipped. */
  ports?: readonly string[] | null;
  /** Bound on the host and port walks (glob-space.ts). */
  maxStates?: number;
}

export type EntryRole = 'rule' | 'apex' | 'deny' | 'blocker' | 'specialized';

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
  /** How many host kinds and port kinds the compiled policy was checked on. */
  checked: { hostKinds: number; portKinds: number };
}

interface Entry extends SpaceEntry {
  role: EntryRole;
  origins: Set<number>;
  /** Allow rules whose entries this cut-out narrows. */
  narrows: Set<number>;
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
  const state = new CompileState(rules, options);
  state.addRuleEntries();
  state.repair();
  state.prune();
  const pairs = state.evaluate();
  const violation = pairs.find((pair) => chromeSelects(pair) && !engineAllows(pair));
  if (violation) throw new Error(`policy export: internal error, ${violation.chosen?.key} would auto-select on ${violation.host}:${violation.port}`);
  const allowFilter = toChromeFilter(filter);
  // Grouped by domain (labels read right to left), most specific first: easy to review, and Chrome ignores order.
  const ordered = [...state.entries.values()].sort(
    (a, b) => byCodePoint(reviewKey(a.pattern), reviewKey(b.pattern)) || compareSpecificity(b.pattern, a.pattern) || byCodePoint(a.key, b.key),
  );
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
  const report = buildReport({ rules, pairs, entries: [...state.entries.values()], reasons: state.reasons });
  const notes = [
    'Chrome has no "never send" action: a deny rule becomes an entry whose filter matches no certificate, so Chrome asks the user there instead of refusing.',
  ];
  const anyCertificate = Object.keys(allowFilter).length === 0;
  if (anyCertificate) notes.push(NO_CERTIFICATE_FILTER_NOTE);
  return {
    entries: items.map((item) => item.entry),
    items,
    report,
    notes,
    anyCertificate,
    checked: { hostKinds: state.space().hosts.length, portKinds: state.space().ports.length },
  };
}

class CompileState {
  readonly entries = new Map<string, Entry>();
  readonly reasons = new Map<number, string[]>();
  private readonly dropped = new Set<string>();
  private readonly portForms: (string | null)[][];
  private readonly hostGlobs = new Set<string>();
  private readonly portGlobs = new Set<string>();
  private built: PolicySpace | null = null;

  constructor(
    private readonly rules: readonly NormalizedRule[],
    private readonly options: PolicyOptions,
  ) {
    const listed = options.ports ? [...new Set(options.ports)] : null;
    this.portForms = rules.map((rule, r) => this.portFormsOf(rule, r, listed));
    for (const port of listed ?? []) this.portGlobs.add(port);
    // Every host form an entry can take is known up front, so the space is walked once.
    for (const rule of rules) {
      const derived = deriveHostForm(rule.host);
      if (derived) this.addForm(derived.form);
      if (derived?.apexHole) this.hostGlobs.add(derived.apexHole);
      const cover = domainCover(rule.host);
      if (cover) this.addForm({ kind: 'domain', domain: cover });
      if (isExactHost(rule.host)) this.hostGlobs.add(rule.host);
    }
  }

  private addForm(form: HostForm): void {
    for (const glob of globOf(form)) this.hostGlobs.add(glob);
    if (form.kind === 'domain') this.hostGlobs.add(form.domain);
  }

  private portFormsOf(rule: NormalizedRule, r: number, listed: string[] | null): (string | null)[] {
    if (!rule.port.includes('*')) return [rule.port];
    if (rule.port === '*') return [null];
    const deny = rule.action === 'noCertificate';
    if (!listed) {
      if (!deny)
        this.reason(
          r,
          `the port pattern "${rule.port}" has no Chrome equivalent (a pattern's port is one number or any); give the ports it stands for with --ports`,
        );
      return [];
    }
    const glob = compileGlob(rule.port);
    const matching = listed.filter((port) => globMatches(glob, port));
    if (!deny) {
      this.reason(
        r,
        matching.length > 0
          ? `port pattern "${rule.port}" written as the listed port${matching.length > 1 ? 's' : ''} ${matching.join(', ')} only`
          : `none of the listed ports (${listed.join(', ')}) matches the port pattern "${rule.port}"`,
      );
    }
    return matching;
  }

  reason(r: number, text: string): void {
    const list = this.reasons.get(r) ?? [];
    if (!list.includes(text)) list.push(text);
    this.reasons.set(r, list);
  }

  space(): PolicySpace {
    if (!this.built) this.built = new PolicySpace(this.rules, this.hostGlobs, this.portGlobs, { maxStates: this.options.maxStates });
    return this.built;
  }

  evaluate(entries: readonly Entry[] = [...this.entries.values()]): PairOutcome[] {
    let space = this.space();
    const missing = entries.filter((entry) => !space.covers(entry.pattern));
    if (missing.length > 0) {
      for (const entry of missing) {
        this.addForm(entry.pattern.host);
        if (entry.pattern.port !== null) this.portGlobs.add(entry.pattern.port);
      }
      this.built = null;
      space = this.space();
    }
    return space.evaluate(entries);
  }

  private add(pattern: ChromePattern, kind: 'allow' | 'never', origins: Iterable<number>, role: EntryRole): Entry | null {
    const key = formatPattern(pattern);
    const existing = this.entries.get(key);
    if (existing) {
      if (existing.kind === kind) {
        for (const r of origins) existing.origins.add(r);
        return existing;
      }
      // Chrome merges entries with the same pattern and their filters become
      // alternatives: an allow filter there would win. The never-match entry stays.
      const allow = kind === 'allow' ? { origins: new Set(origins), key, role } : existing;
      if (allow.role === 'rule')
        for (const r of allow.origins)
          this.reason(r, `${key} left out: a deny rule needs that same pattern to match no certificate, and Chrome would merge the two`);
      this.dropped.add(key);
      if (kind === 'allow') return null;
      this.entries.delete(key);
    }
    if (kind === 'allow' && this.dropped.has(key)) return null;
    const entry: Entry = { key, pattern, kind, role, origins: new Set(origins), narrows: new Set() };
    this.entries.set(key, entry);
    return entry;
  }

  addRuleEntries(): void {
    this.rules.forEach((rule, r) => {
      const derived = deriveHostForm(rule.host);
      const allow = rule.action === 'useEnrollmentCertificate';
      if (!derived) {
        const written = rule.host.includes('*') ? null : canonicalHost(rule.host);
        if (allow && written !== null) this.reason(r, `the URL parser writes this host as "${written}", so no URL matches the rule`);
        else if (allow) this.reason(r, `Chrome cannot express the host pattern "${rule.host}" (a pattern's host is one name, [*.]domain or *)`);
        return;
      }
      if (allow && !derived.same && derived.form.kind !== 'any') {
        this.reason(r, `written as ${formatHostNote(derived.form)}, which covers fewer hosts than "${rule.host}"`);
      }
      for (const port of this.portForms[r]!) this.add({ host: derived.form, port }, allow ? 'allow' : 'never', [r], allow ? 'rule' : 'deny');
    });
  }

  /** Restores, under a never-match entry, hosts the engine allows: an exact host beats any [*.] entry. */
  private specialize(): void {
    const hosts = new Set<string>();
    for (const entry of this.entries.values()) {
      if (entry.kind !== 'never') continue;
      const host = entry.pattern.host;
      if (host.kind === 'domain') hosts.add(host.domain);
      if (host.kind === 'exact') hosts.add(host.host);
    }
    for (const host of hosts) {
      if (!isExactHost(host)) continue;
      this.rules.forEach((rule, r) => {
        if (rule.action !== 'useEnrollmentCertificate' || !globMatches(compileGlob(rule.host), host)) return;
        for (const port of this.portForms[r]!) {
          const pattern: ChromePattern = { host: { kind: 'exact', host }, port };
          const key = formatPattern(pattern);
          if (!this.entries.has(key) && !this.dropped.has(key)) this.add(pattern, 'allow', [r], 'specialized');
        }
      });
    }
  }

  /** Until Chrome auto-selects nowhere the engine says no: cut a never-match entry out of the offending allow entry, or drop it. */
  repair(): void {
    for (let round = 0; round < 10_000; round += 1) {
      this.specialize();
      const offending = new Map<string, PairOutcome>();
      for (const pair of this.evaluate()) {
        if (chromeSelects(pair) && !engineAllows(pair) && pair.chosen && !offending.has(pair.chosen.key)) offending.set(pair.chosen.key, pair);
      }
      if (offending.size === 0) return;
      for (const [key, pair] of offending) {
        const entry = this.entries.get(key);
        if (entry?.kind === 'allow') this.fix(entry, pair);
      }
    }
    throw new Error('policy export: internal error, repair did not converge');
  }

  private fix(entry: Entry, pair: PairOutcome): void {
    const where = `${formatHostPort(pair.host, pair.port)}`;
    if (pair.deny !== null) {
      const deny = this.rules[pair.deny]!;
      const cut = cutOut(entry.pattern, deny);
      // A never-match entry with that pattern may have been cut out this round already.
      if (cut && this.entries.get(formatPattern(cut))?.kind !== 'allow') {
        const added = this.add(cut, 'never', [pair.deny], 'blocker');
        if (added) for (const r of entry.origins) added.narrows.add(r);
        return;
      }
      this.drop(entry, `${entry.key} left out: Chrome cannot leave ${where} (deny rule ${deny.source}#${deny.index}, "${deny.host}") out of it`);
      return;
    }
    const host = entry.pattern.host;
    if (host.kind === 'domain' && pair.host === host.domain) {
      this.add({ host: { kind: 'exact', host: pair.host }, port: entry.pattern.port }, 'never', entry.origins, 'apex');
      return;
    }
    this.drop(entry, `${entry.key} left out: it would also cover ${where}, which no allow rule covers`);
  }

  private drop(entry: Entry, why: string): void {
    // Restored hosts are this compiler's own attempt; losing one is not news about the rule.
    if (entry.role === 'rule') for (const r of entry.origins) this.reason(r, why);
    this.entries.delete(entry.key);
    this.dropped.add(entry.key);
  }

  /** Removes added entries that change no decision anywhere, so the policy says only what it must. */
  prune(): void {
    const decisions = (pairs: PairOutcome[]) => pairs.map((pair) => (chromeSelects(pair) ? '1' : '0')).join('');
    const baseline = decisions(this.evaluate());
    for (let removed = true; removed;) {
      removed = false;
      // Restored allow entries first: a cut-out may only be needed because of one.
      const removable = [...this.entries.values()]
        .filter((entry) => entry.role !== 'rule' && entry.role !== 'deny')
        .reverse()
        .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'allow' ? -1 : 1));
      for (const entry of removable) {
        const without = [...this.entries.values()].filter((other) => other !== entry);
        if (decisions(this.evaluate(without)) === baseline) {
          this.entries.delete(entry.key);
          removed = true;
        }
      }
    }
  }
}

/** Locale-independent, so the same rules give the same file everywhere. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function reviewKey(pattern: ChromePattern): string {
  const host = pattern.host;
  if (host.kind === 'any') return '';
  const name = host.kind === 'exact' ? host.host : host.domain;
  return name.includes(':') ? `~${name}` : name.split('.').reverse().join('.');
}

export function formatHostPort(host: string, port: string): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function formatHostNote(form: HostForm): string {
  return form.kind === 'exact' ? `the one host ${form.host}` : form.kind === 'domain' ? `[*.]${form.domain}` : '*';
}
