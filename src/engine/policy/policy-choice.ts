import { formatHost, hostRank, type ChromePattern, type HostForm } from './chrome-pattern';
import type { PolicySpace } from './policy-space';

/** One entry as Chrome's choice sees it; `allow` selects the certificate, `never` matches none. */
export interface SpaceEntry {
  key: string;
  pattern: ChromePattern;
  kind: 'allow' | 'never';
}

/** A host form's entries, as entry numbers (ChromeChoice.number), -1 for none. */
interface FormGroup {
  /** The entry without a port (any port). */
  any: number;
  /** Entries with an exact port, by port kind. */
  byPort: Map<number, number>;
  /**
   * The same by port kind as an array, once a form has many ports (`*` with
   * hundreds of rules' ports): looked up at every pair of every host kind.
   */
  dense: Int32Array | null;
}

/** Ports a form has before its entries are also kept as an array (FormGroup.dense). */
const DENSE_FROM = 16;

/**
 * Chrome's choice (the most specific matching entry) at every pair of a
 * PolicySpace, for a set of entries that changes while the policy is
 * repaired and pruned. Choices are recomputed only on the host kinds an added
 * or removed entry's host form matches.
 *
 * Patterns that match one host are nested (docs/chrome-autoselect.md), so a
 * host kind's candidate forms are ranked once, most specific first; the first
 * form with an entry for the port wins, an exact port before any port.
 */
export class ChromeChoice<E extends SpaceEntry> {
  private readonly groups = new Map<string, FormGroup>();
  private readonly formsOfKind: string[][];
  /**
   * Per pair: the chosen entry's number in `numbered`, or -1 (numbers, not references: millions of pairs stay out of
   * the collector's way), in 16 bits while the numbers fit and in 32 beyond: two bytes a pair of the export's memory.
   */
  private chosen: Int16Array | Int32Array;
  private readonly numbered: E[] = [];
  /** Per pair: the refresh that last chose there (refresh), counted in 8 bits and cleared when the count wraps: a byte a pair. */
  private readonly stamp: Uint8Array;
  private epoch = 0;
  /** Whether the first refresh, which fills every pair, has run. */
  private filled = false;
  private readonly numberOf = new Map<E, number>();
  /** Forms whose entries changed, with the port kinds they changed at (null: every port). */
  private readonly dirty = new Map<string, Set<number> | null>();

  constructor(
    private readonly space: PolicySpace,
    entries: Iterable<E>,
  ) {
    const byGlob: (readonly [string, number][] | undefined)[] = [];
    this.formsOfKind = space.hosts.map((type) =>
      candidateForms(type.matches, (glob) => (byGlob[glob] ??= formsOfGlob(space.glob(glob)).map((form) => [formatHost(form), hostRank(form)] as const))),
    );
    // Not filled here: the first refresh writes every pair (and runs before any pair is read).
    this.chosen = new Int16Array(space.size);
    this.stamp = new Uint8Array(space.size);
    for (const entry of entries) this.add(entry);
  }

  add(entry: E): void {
    const form = formatHost(entry.pattern.host);
    let group = this.groups.get(form);
    if (!group) {
      group = { any: -1, byPort: new Map(), dense: null };
      this.groups.set(form, group);
    }
    const number = this.number(entry);
    if (entry.pattern.port === null) group.any = number;
    else setPort(group, this.portKindOf(entry), number, this.space.ports.length);
    this.markDirty(form, entry);
  }

  /** An entry with one port can change the choice at that port kind only. */
  private markDirty(form: string, entry: E): void {
    if (entry.pattern.port === null) {
      this.dirty.set(form, null);
      return;
    }
    const known = this.dirty.get(form);
    if (known === null) return;
    if (known) known.add(this.portKindOf(entry));
    else this.dirty.set(form, new Set([this.portKindOf(entry)]));
  }

  remove(entry: E): void {
    const form = formatHost(entry.pattern.host);
    const group = this.groups.get(form);
    const number = this.numberOf.get(entry);
    if (!group || number === undefined) return;
    if (entry.pattern.port === null) {
      if (group.any === number) group.any = -1;
    } else if (group.byPort.get(this.portKindOf(entry)) === number) setPort(group, this.portKindOf(entry), -1, this.space.ports.length);
    this.markDirty(form, entry);
  }

  /** The chosen entry at a pair, or null when no entry matches. */
  at(pair: number): E | null {
    return this.entryOrNull(this.numberAt(pair));
  }

  /** The number of the entry chosen at a pair (entryOf), or -1: for loops over millions of pairs, with no entry looked up where it is one already seen. */
  numberAt(pair: number): number {
    this.refresh();
    return this.chosen[pair]!;
  }

  /** Per pair, the number of the chosen entry or -1, up to date: for a scan of every pair with no call per pair. Read it, never write it. */
  numbersByPair(): Int16Array | Int32Array {
    this.refresh();
    return this.chosen;
  }

  entryOf(number: number): E {
    return this.numbered[number]!;
  }

  private entryOrNull(number: number): E | null {
    return number < 0 ? null : this.numbered[number]!;
  }

  /** How many entries have numbers: every number is below it. */
  get numbers(): number {
    return this.numbered.length;
  }

  /** The pairs where this entry's pattern matches (where it can be chosen), in pair order. */
  pairsOf(entry: E): number[] {
    const port = entry.pattern.port === null ? -1 : this.portKindOf(entry);
    const pairs: number[] = [];
    for (const h of this.kindsOf(entry.pattern.host)) {
      if (port >= 0) pairs.push(this.space.pairOf(h, port));
      else {
        const [from, to] = this.space.pairsOfHost(h);
        for (let pair = from; pair < to; pair += 1) pairs.push(pair);
      }
    }
    return pairs.sort((a, b) => a - b);
  }

  /** The entry Chrome would choose at a pair if `without` were not there. */
  choiceWithout(pair: number, without: E): E | null {
    return this.entryOrNull(pick(this.groupsOf(this.space.hostOf(pair)), this.space.portOf(pair), this.numberOf.get(without) ?? -1));
  }

  private portKindOf(entry: E): number {
    const kind = this.space.portKind(entry.pattern.port!);
    if (kind < 0) throw new Error(`policy export: internal error, port ${entry.pattern.port} is not in the checked space`);
    return kind;
  }

  private refresh(): void {
    if (this.dirty.size === 0 && this.filled) return;
    const changed = [...this.dirty];
    this.dirty.clear();
    // The first time, every pair, host kind by host kind, with no lookups. Then each pair once per refresh, however
    // many changed forms match its host kind (a stamp per pair, not a set per kind: the form `*` matches every host
    // kind, and hundreds of its ports would make thousands of sets of hundreds).
    this.epoch += 1;
    if (this.epoch > 0xff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    if (!this.filled) {
      this.filled = true;
      for (let h = 0; h < this.formsOfKind.length; h += 1) this.updateHost(h, this.groupsOf(h));
      return;
    }
    for (const [form, ports] of changed) {
      for (const h of this.kindsOf(parseForm(form))) {
        const groups = this.groupsOf(h);
        if (ports === null) this.updateHost(h, groups);
        else for (const p of ports) this.update(this.space.pairOf(h, p), groups);
      }
    }
  }

  /**
   * Every pair of a host kind, group by group rather than pair by pair: the
   * first group with an any-port entry is where every pair ends at the latest
   * (pick), so the pairs start with that entry, and the exact ports of it and
   * of the groups before it are written over, least specific first.
   */
  private updateHost(h: number, groups: readonly FormGroup[]): void {
    const [from, to] = this.space.pairsOfHost(h);
    let last = 0;
    while (last < groups.length && groups[last]!.any < 0) last += 1;
    this.chosen.fill(last < groups.length ? groups[last]!.any : -1, from, to);
    this.stamp.fill(this.epoch, from, to);
    for (let g = Math.min(last, groups.length - 1); g >= 0; g -= 1) {
      const group = groups[g]!;
      const dense = group.dense;
      if (dense) {
        for (let pair = from; pair < to; pair += 1) {
          const exact = dense[this.space.portOf(pair)]!;
          if (exact >= 0) this.chosen[pair] = exact;
        }
        continue;
      }
      // pick looks a pair up by its class's least port kind: an entry's port decides the pair whose class it stands for
      // (none when the host kind has no class of its own for the port and no rest).
      for (const [p, number] of group.byPort) {
        const pair = this.space.pairOf(h, p);
        if (pair >= from && pair < to && this.space.portOf(pair) === p) this.chosen[pair] = number;
      }
    }
  }

  private update(pair: number, groups: readonly FormGroup[]): void {
    if (this.stamp[pair] === this.epoch) return;
    this.stamp[pair] = this.epoch;
    this.chosen[pair] = pick(groups, this.space.portOf(pair), -1);
  }

  /** The entry groups of a host kind's candidate forms that have entries, most specific first. */
  private groupsOf(h: number): FormGroup[] {
    const forms = this.formsOfKind[h]!;
    const groups: FormGroup[] = [];
    for (let f = 0; f < forms.length; f += 1) {
      const group = this.groups.get(forms[f]!);
      if (group) groups.push(group);
    }
    return groups;
  }

  /** The entry's number, given the first time it is added (entries removed and added again keep theirs). */
  private number(entry: E): number {
    let number = this.numberOf.get(entry);
    if (number === undefined) {
      number = this.numbered.length;
      if (number > 0x7fff && this.chosen instanceof Int16Array) this.chosen = Int32Array.from(this.chosen);
      this.numbered.push(entry);
      this.numberOf.set(entry, number);
    }
    return number;
  }

  private kindsOf(form: HostForm): Iterable<number> {
    switch (form.kind) {
      case 'exact':
        return this.space.kindsMatching(form.host);
      case 'domain':
        return new Set([...this.space.kindsMatching(form.domain), ...this.space.kindsMatching(`*.${form.domain}`)]);
      case 'any':
        return this.space.hosts.keys();
    }
  }
}

function setPort(group: FormGroup, p: number, number: number, portKinds: number): void {
  if (number < 0) group.byPort.delete(p);
  else group.byPort.set(p, number);
  if (group.dense) group.dense[p] = number;
  else if (group.byPort.size >= DENSE_FROM) {
    group.dense = new Int32Array(portKinds).fill(-1);
    for (const [kind, known] of group.byPort) group.dense[kind] = known;
  }
}

/**
 * The number of the entry chosen among a host kind's groups (most specific
 * first), or -1. `p` is the port kind standing for the pair's class: an entry
 * with one port matches the class only when its port is that kind
 * (PolicySpace.covers). `without`: an entry number to pass over, or -1.
 */
function pick(groups: readonly FormGroup[], p: number, without: number): number {
  for (let g = 0; g < groups.length; g += 1) {
    const group = groups[g]!;
    const exact = group.dense ? group.dense[p]! : group.byPort.size > 0 ? (group.byPort.get(p) ?? -1) : -1;
    if (exact >= 0 && exact !== without) return exact;
    if (group.any >= 0 && group.any !== without) return group.any;
  }
  return -1;
}

/**
 * The host forms that match every host of a kind, most specific first: a glob
 * of the space is a form's host, its apex, or `*.domain`. Forms are worked
 * out once per glob (`formsOf`); a kind matches a handful of globs.
 */
function candidateForms(globs: readonly number[], formsOf: (glob: number) => readonly (readonly [string, number])[]): string[] {
  const forms: (readonly [string, number])[] = [];
  for (let g = 0; g < globs.length; g += 1) {
    const own = formsOf(globs[g]!);
    for (let f = 0; f < own.length; f += 1) {
      const form = own[f]!;
      let known = false;
      for (let k = 0; k < forms.length && !known; k += 1) known = forms[k]![0] === form[0];
      if (!known) forms.push(form);
    }
  }
  // Most specific first; a handful of forms, so an insertion sort.
  for (let i = 1; i < forms.length; i += 1) {
    const form = forms[i]!;
    let j = i - 1;
    while (j >= 0 && forms[j]![1] < form[1]) {
      forms[j + 1] = forms[j]!;
      j -= 1;
    }
    forms[j + 1] = form;
  }
  const keys: string[] = [];
  for (let k = 0; k < forms.length; k += 1) keys.push(forms[k]![0]);
  return keys;
}

function formsOfGlob(glob: string): HostForm[] {
  if (glob === '*') return [{ kind: 'any' }];
  if (!glob.includes('*'))
    return [
      { kind: 'exact', host: glob },
      { kind: 'domain', domain: glob },
    ];
  if (glob.startsWith('*.') && !glob.slice(2).includes('*')) return [{ kind: 'domain', domain: glob.slice(2) }];
  return [];
}

function parseForm(key: string): HostForm {
  if (key === '*') return { kind: 'any' };
  if (key.startsWith('[*.]')) return { kind: 'domain', domain: key.slice(4) };
  return { kind: 'exact', host: key.startsWith('[') ? key.slice(1, -1) : key };
}
