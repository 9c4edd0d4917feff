import { compileGlob, globCovers, globMatches } from '../glob';
import type { NormalizedRule } from '../model';
import type { CertFilter } from './cert-filter';
import { formatPattern, type ChromePattern, type HostForm } from './chrome-pattern';
import { canonicalHost, deriveHostForm, domainCover, globOf, isExactHost, type DerivedForm } from './host-forms';
import { formatHostNote, formatHostPort, portForms } from './compile-forms';
import { ChromeChoice, type SpaceEntry } from './policy-choice';
import { PolicySpace, type PairOutcome, type SpaceLimits } from './policy-space';
import { hostTypes, type SpaceType } from './glob-space';
import type { PairTable } from './policy-report';
import { cutOut } from './cut-out';
import { portsToRestore, restoreNeeded, type RestoreCandidates } from './restore-ports';
import { freshLabels, OpenGlobs } from './open-globs';
import { openAllowExamples, openDenyOffences, type ProbeInput } from './open-probes';

export interface PolicyOptions {
  /** Which certificate the allow entries select; `{}` when absent (any certificate the server accepts). */
  filter?: CertFilter;
  /** Ports that port globs such as `*443` stand for (decimal, no leading zeros); without it such rules are skipped. */
  ports?: readonly string[] | null;
  /** Bound on the host and port walks, in steps (glob-walk.ts Budget); beyond it the export writes a narrower policy it can prove (degraded-policy.ts). */
  maxStates?: number;
  /** Told how far the export has got: `done` of `total` (100), rising, ending with (100, 100). For a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export type EntryRole = 'rule' | 'apex' | 'deny' | 'blocker' | 'specialized';

export interface Entry extends SpaceEntry {
  role: EntryRole;
  origins: Set<number>;
  /** Allow rules whose entries this cut-out narrows. */
  narrows: Set<number>;
}

/**
 * The entries while they are compiled, repaired and pruned, with Chrome's
 * choice at every pair of the checked space kept up to date as they change
 * (policy-choice.ts): a change costs the host kinds its pattern matches.
 */
export class CompileState {
  readonly entries = new Map<string, Entry>();
  readonly reasons = new Map<number, string[]>();
  /** Per allow rule whose host Chrome writes narrower: what its entries are written as (said only when it has entries). */
  readonly forms = new Map<number, string>();
  private readonly dropped = new Set<string>();
  /** Per host under a never-match entry: the allow rule ports not yet restored there (specialize). */
  private readonly waiting = new Map<string, RestoreCandidates>();
  /** How many entries specialize restored: the work it did, for the export's figures. */
  restored = 0;
  private readonly portForms: (string | null)[][];
  private readonly derived: (DerivedForm | null)[];
  private readonly hostGlobs = new Set<string>();
  /** The listed ports (--ports): they matter on every host. */
  private readonly portGlobs = new Set<string>();
  /** Host glob and port of the entry patterns with one port, keyed `glob port`: the port matters where the glob matches. */
  private readonly attached = new Map<string, readonly [string, string]>();
  /** The last host walk, kept for a space built again with the same host globs and more ports. */
  private walked: { key: string; types: SpaceType[] } | null = null;
  private built: { space: PolicySpace; choice: ChromeChoice<Entry> } | null = null;
  /** An entry was added that the space cannot tell apart: walk again on the next look. */
  private stale = false;
  private progressDone = -1;
  /** The right-open host globs: checked on concrete hosts, not walked (open-globs.ts). */
  private readonly open: OpenGlobs;

  /** `decide` is the engine's deciding rule (first deny, else first allow) at a host and port, as a position in `rules`, or -1. */
  constructor(
    private readonly rules: readonly NormalizedRule[],
    private readonly options: PolicyOptions,
    private readonly decide: (host: string, port: string) => number = bruteDecide(rules),
  ) {
    this.open = new OpenGlobs(rules.map((rule) => rule.host));
    const listed = options.ports ? [...new Set(options.ports)] : null;
    this.portForms = rules.map((rule, r) => {
      const { ports, reason } = portForms(rule, listed);
      if (reason) this.reason(r, reason);
      return ports;
    });
    for (const port of listed ?? []) this.portGlobs.add(port);
    this.derived = rules.map((rule) => deriveHostForm(rule.host));
    // Every host form an entry can take is known up front, so the space is walked once.
    for (const [r, rule] of rules.entries()) {
      const derived = this.derived[r]!;
      if (derived) this.addForm(derived.form);
      if (derived?.apexHole) this.hostGlobs.add(derived.apexHole);
      const cover = domainCover(rule.host);
      if (cover) this.addForm({ kind: 'domain', domain: cover });
      if (isExactHost(rule.host)) this.hostGlobs.add(rule.host);
      // The ports its entries can take, wherever they can be written.
      for (const port of this.portForms[r]!) {
        if (port === null) continue;
        if (derived) this.attach(derived.form, port);
        if (cover) this.attach({ kind: 'domain', domain: cover }, port);
        if (isExactHost(rule.host)) this.attach({ kind: 'exact', host: rule.host }, port);
      }
    }
  }

  private attach(form: HostForm, port: string): void {
    for (const glob of globOf(form)) this.attached.set(`${glob} ${port}`, [glob, port]);
  }

  private walkHosts(globs: readonly string[], limits: SpaceLimits): SpaceType[] {
    const key = globs.join(' ');
    if (this.walked?.key !== key) this.walked = { key, types: hostTypes(globs, limits) };
    return this.walked.types;
  }

  private addForm(form: HostForm): void {
    for (const glob of globOf(form)) this.hostGlobs.add(glob);
    if (form.kind === 'domain') this.hostGlobs.add(form.domain);
  }

  /** Reports progress (a fraction of the whole export), once per percent. */
  progress(fraction: number): void {
    const done = Math.min(100, Math.floor(fraction * 100));
    if (done <= this.progressDone || !this.options.onProgress) return;
    this.progressDone = done;
    this.options.onProgress(done, 100);
  }

  reason(r: number, text: string): void {
    const list = this.reasons.get(r) ?? [];
    if (!list.includes(text)) list.push(text);
    this.reasons.set(r, list);
  }

  /** The space and Chrome's choice on it; a pattern the space cannot tell apart makes it walk again with that pattern's forms. */
  private current(): { space: PolicySpace; choice: ChromeChoice<Entry> } {
    if (this.built && !this.stale) return this.built;
    this.stale = false;
    const missing = this.built ? [...this.entries.values()].filter((entry) => !this.built!.space.covers(entry.pattern)) : [];
    for (const entry of missing) {
      this.addForm(entry.pattern.host);
      if (entry.pattern.port !== null) this.attach(entry.pattern.host, entry.pattern.port);
    }
    if (!this.built || missing.length > 0) {
      // The walk is most of the work: the first 60%.
      const space = new PolicySpace(
        this.rules,
        this.hostGlobs,
        this.portGlobs,
        { maxStates: this.options.maxStates, progress: (f) => this.progress(0.6 * f) },
        this.open,
        this.attached.values(),
        (globs, limits) => this.walkHosts(globs, limits),
      );
      this.built = { space, choice: new ChromeChoice(space, []) };
      for (const entry of this.entries.values()) if (space.covers(entry.pattern)) this.built.choice.add(entry);
    }
    return this.built;
  }

  space(): PolicySpace {
    return this.current().space;
  }

  private put(entry: Entry): void {
    this.entries.set(entry.key, entry);
    if (!this.built) return;
    if (this.built.space.covers(entry.pattern)) this.built.choice.add(entry);
    else this.stale = true;
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.key);
    if (this.built?.space.covers(entry.pattern)) this.built.choice.remove(entry);
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
      this.remove(existing);
    }
    if (kind === 'allow' && this.dropped.has(key)) return null;
    const entry: Entry = { key, pattern, kind, role, origins: new Set(origins), narrows: new Set() };
    this.put(entry);
    return entry;
  }

  addRuleEntries(): void {
    this.rules.forEach((rule, r) => {
      const derived = this.derived[r]!;
      const allow = rule.action === 'useEnrollmentCertificate';
      if (!derived) {
        const written = rule.host.includes('*') ? null : canonicalHost(rule.host);
        if (allow && written !== null) this.reason(r, `the URL parser writes this host as "${written}", so no URL matches the rule`);
        else if (allow) this.reason(r, `Chrome cannot express the host pattern "${rule.host}" (a pattern's host is one name, [*.]domain or *)`);
        return;
      }
      if (allow && !derived.same && derived.form.kind !== 'any') {
        this.forms.set(r, `the host is written as ${formatHostNote(derived.form)}, which covers fewer hosts than "${rule.host}"`);
      }
      for (const port of this.portForms[r]!) this.add({ host: derived.form, port }, allow ? 'allow' : 'never', [r], allow ? 'rule' : 'deny');
    });
  }

  private rulesByGlob: Map<string, number[]> | null = null;

  /** The rules matching a host, as lists each in rule order, a rule in one of them: the rules of each glob its host kind matches. */
  private rulesMatching(host: string): (readonly number[])[] {
    const space = this.space();
    const [kind] = space.kindsMatching(host);
    if (kind === undefined) return [this.rules.flatMap((rule, r) => (globMatches(compileGlob(rule.host), host) ? [r] : []))];
    if (!this.rulesByGlob) {
      this.rulesByGlob = new Map();
      this.rules.forEach((rule, r) => {
        const list = this.rulesByGlob!.get(rule.host);
        if (list) list.push(r);
        else this.rulesByGlob!.set(rule.host, [r]);
      });
    }
    const lists: (readonly number[])[] = space.globsOf(kind).map((glob) => this.rulesByGlob!.get(glob) ?? []);
    for (const g of this.open.matching(host)) lists.push(this.open.rulesOf[g]!);
    return lists;
  }

  private probeInput(): ProbeInput<Entry> {
    const space = this.space();
    this.fresh ??= freshLabels([...this.hostGlobs, ...this.rules.map((rule) => rule.host)], 2);
    return {
      rules: this.rules,
      open: this.open,
      entries: this.entries,
      decide: this.decide,
      ports: space.ports.map((type) => type.witness),
      fresh: this.fresh,
    };
  }

  private fresh: string[] | null = null;

  /** Per allow entry Chrome would choose on a host a right-open deny rule matches: that host and port (open-probes.ts). */
  private openOffences(): [string, PairOutcome][] {
    return this.open.size === 0 ? [] : openDenyOffences(this.probeInput());
  }

  /** Per right-open allow rule: where it decides and Chrome does not auto-select, on hosts under no named domain. */
  openExamples(): Map<number, PairOutcome> {
    return this.open.size === 0 ? new Map() : openAllowExamples(this.probeInput());
  }

  /**
   * Allow rules checked on some of their hosts only, with why: right-open
   * allow rules (probed on a few hosts), and the rules that decide on a kind
   * whose witness a right-open glob matches while other hosts of it may not
   * be matched, where Chrome does not auto-select (policy-space.ts mixed).
   */
  unchecked(): Map<number, string> {
    const out = new Map<number, string>();
    const covered = decidesNowhere(this.rules, this.open);
    this.open.rulesOf.forEach((list, g) => {
      for (const r of list) {
        if (this.rules[r]!.action === 'useEnrollmentCertificate' && !covered(r))
          out.set(r, `"${this.open.globs[g]}" is open at the right, so it reaches every domain, and it was checked on a few hosts only`);
      }
    });
    const { space, choice } = this.current();
    for (const [h, local] of space.mixed) {
      const [from] = space.pairsOfHost(h);
      for (let c = 0; c < local.allow.length; c += 1) {
        const r = local.allow[c]!;
        if (local.deny[c]! >= 0 || r < 0 || out.has(r) || choice.at(from + c)?.kind === 'allow') continue;
        out.set(r, `some hosts it covers are also matched by rules open at the right, which were checked on a few hosts only`);
      }
    }
    return out;
  }

  /**
   * Restores, under a never-match entry, hosts the engine allows: an exact
   * host beats any [*.] entry. Per host, only the ports some never-match
   * entry covers there: elsewhere Chrome already picks an allow entry or
   * none, and a restored entry would change nothing. A port left waiting is
   * looked at again each round, as repairs add never-match entries.
   */
  private specialize(): void {
    for (const entry of this.entries.values()) {
      if (entry.kind !== 'never') continue;
      const host = entry.pattern.host;
      const name = host.kind === 'domain' ? host.domain : host.kind === 'exact' ? host.host : null;
      if (name === null || this.waiting.has(name) || !isExactHost(name)) continue;
      this.waiting.set(name, portsToRestore(this.rules, this.portForms, this.rulesMatching(name)));
    }
    const needed = restoreNeeded(this.entries.values());
    for (const [host, candidates] of this.waiting) {
      if (candidates.length === 0) continue;
      const neededAt = needed(host);
      const left: number[] = [];
      for (let c = 0; c < candidates.length; c += 2) {
        const r = candidates[c]!;
        const port = this.portForms[r]![candidates[c + 1]!]!;
        if (!neededAt(port)) {
          left.push(r, candidates[c + 1]!);
          continue;
        }
        const pattern: ChromePattern = { host: { kind: 'exact', host }, port };
        const key = formatPattern(pattern);
        if (this.entries.has(key) || this.dropped.has(key)) continue;
        this.restored += 1;
        this.add(pattern, 'allow', [r], 'specialized');
      }
      if (left.length < candidates.length) this.waiting.set(host, Int32Array.from(left));
    }
  }

  /** Every pair with the engine's verdict and whether Chrome auto-selects there. */
  pairs(): PairTable {
    const { space, choice } = this.current();
    return {
      size: space.size,
      deny: space.deny,
      allow: space.allow,
      portOf: (pair) => space.portOf(pair),
      selects: (pair) => choice.at(pair)?.kind === 'allow',
      outcome: (pair) => space.outcome(pair),
      portKindOf: (port) => space.portKindOf(port),
    };
  }

  /** Where Chrome auto-selects and the engine says no, first found (as entry and host:port), or null. */
  firstViolation(): string | null {
    const { space, choice } = this.current();
    const chosenAt = choice.numbersByPair();
    const allows = allowNumbers(choice);
    for (let pair = 0, size = space.size; pair < size; pair += 1) {
      const chosen = chosenAt[pair]!;
      if (chosen >= 0 && allows[chosen] === 1 && !space.engineAllows(pair)) {
        const { host, port } = space.outcome(pair);
        return `${choice.entryOf(chosen).key} would auto-select on ${formatHostPort(host, port)}`;
      }
    }
    for (const [key, pair] of this.openOffences()) return `${key} would auto-select on ${formatHostPort(pair.host, pair.port)}`;
    return null;
  }

  /** Until Chrome auto-selects nowhere the engine says no: cut a never-match entry out of the offending allow entry, or drop it. */
  repair(): void {
    for (let round = 0; round < 10_000; round += 1) {
      this.specialize();
      const { space, choice } = this.current();
      this.progress(0.65 + Math.min(0.2, 0.04 * round));
      // Per offending allow entry, the first pair (in pair order) where it wins and the engine says no.
      const offending = new Map<string, number>();
      // By entry number (entries are numbered as they are added): each allow entry is looked at once, at the first pair
      // where it wins and the engine says no. A never-match entry cannot offend: its pairs are passed over at once.
      const left = allowNumbers(choice);
      const chosenAt = choice.numbersByPair();
      for (let pair = 0, size = space.size; pair < size; pair += 1) {
        const chosen = chosenAt[pair]!;
        if (chosen < 0 || left[chosen] === 0 || space.engineAllows(pair)) continue;
        left[chosen] = 0;
        offending.set(choice.entryOf(chosen).key, pair);
      }
      const outcomes = [...offending].map(([key, pair]): [string, PairOutcome] => [key, space.outcome(pair)]);
      outcomes.push(...this.openOffences());
      if (outcomes.length === 0) return;
      for (const [key, outcome] of outcomes) {
        const entry = this.entries.get(key);
        if (entry?.kind === 'allow') this.fix(entry, outcome);
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
      this.drop(entry, `${entry.key} left out: Chrome cannot leave ${where} (deny ${deny.source} rule ${deny.index}, "${deny.host}") out of it`);
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
    this.remove(entry);
    this.dropped.add(entry.key);
  }

  /** Whether Chrome would auto-select exactly where it does now without this entry: only the pairs it wins can change. */
  private changesNothing(entry: Entry): boolean {
    const { choice } = this.current();
    const selects = entry.kind === 'allow';
    for (const pair of choice.pairsOf(entry)) {
      if (choice.at(pair) !== entry) continue;
      if ((choice.choiceWithout(pair, entry)?.kind === 'allow') !== selects) return false;
    }
    return true;
  }

  /** Removes added entries that change no decision anywhere, so the policy says only what it must. */
  prune(): void {
    for (let removed = true; removed;) {
      removed = false;
      // Restored allow entries first: a cut-out may only be needed because of one.
      const removable = [...this.entries.values()]
        .filter((entry) => entry.role !== 'rule' && entry.role !== 'deny')
        .reverse()
        .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'allow' ? -1 : 1));
      for (const entry of removable) {
        if (this.changesNothing(entry)) {
          this.remove(entry);
          removed = true;
        }
      }
    }
  }
}

/** The engine's deciding rule by trying every rule (for a CompileState made without the engine's index). */
function bruteDecide(rules: readonly NormalizedRule[]): (host: string, port: string) => number {
  const globs = rules.map((rule) => ({ host: compileGlob(rule.host), port: compileGlob(rule.port) }));
  return (host, port) => {
    let allow = -1;
    for (let r = 0; r < rules.length; r += 1) {
      if (!globMatches(globs[r]!.host, host) || !globMatches(globs[r]!.port, port)) continue;
      if (rules[r]!.action === 'noCertificate') return r;
      if (allow < 0) allow = r;
    }
    return allow;
  };
}

/**
 * Whether an allow rule provably decides nowhere: a deny rule, or an earlier
 * allow rule, matches every host and port it does. Only a glob open at the
 * right (or `*`) can cover one that is, so only those are compared.
 */
function decidesNowhere(rules: readonly NormalizedRule[], open: OpenGlobs): (r: number) => boolean {
  const wide = [...open.rulesOf.flat(), ...rules.flatMap((rule, r) => (rule.host === '*' ? [r] : []))].map((r) => ({
    r,
    deny: rules[r]!.action === 'noCertificate',
    host: compileGlob(rules[r]!.host),
    port: compileGlob(rules[r]!.port),
  }));
  return (r) => {
    const host = compileGlob(rules[r]!.host);
    const port = compileGlob(rules[r]!.port);
    return wide.some((other) => other.r !== r && (other.deny || other.r < r) && globCovers(other.host, host) && globCovers(other.port, port));
  };
}

/** Per entry number, 1 for an allow entry and 0 for a never-match one: what a scan of millions of pairs asks of the entry chosen at each. */
function allowNumbers(choice: ChromeChoice<Entry>): Uint8Array {
  const allows = new Uint8Array(choice.numbers);
  for (let n = 0; n < choice.numbers; n += 1) if (choice.entryOf(n).kind === 'allow') allows[n] = 1;
  return allows;
}
