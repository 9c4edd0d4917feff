import { compileGlob, globMatches } from '../glob';
import type { NormalizedRule } from '../model';
import type { ChromePattern } from './chrome-pattern';
import { hostTypes, type SpaceType } from './glob-space';
import { PortKinds } from './port-kinds';
import { portClasses, type KindClasses } from './port-classes';
import { globOf, ipv6Probes, isExactHost } from './host-forms';
import { LocalMatcher } from './local-matcher';
import { freshLabels, isRightOpen, OpenGlobs } from './open-globs';

/**
 * Per pair, a rule's position or -1: 16 bits a pair while positions fit (a
 * console profile holds at most 5,000 rules), 32 beyond. The space holds
 * millions of pairs where hundreds of `*` rules have ports of their own, and
 * on that scale each array's memory, first touched, costs as much time as the
 * work done in it.
 */
export type RuleIndexes = Int16Array | Int32Array;

/** A RuleIndexes of `size` pairs for `rules` rules, every pair -1. */
export function ruleIndexes(size: number, rules: number): RuleIndexes {
  return (rules <= 0x7fff ? new Int16Array(size) : new Int32Array(size)).fill(-1);
}

/** A glob's first deny and first allow rule per port kind, or -1. */
interface VerdictByPort {
  deny: Int32Array;
  allow: Int32Array;
}

/** What happens at one (host kind, port kind): the engine's first deny and first allow rule (indexes into rules, or null). */
export interface PairOutcome {
  host: string;
  port: string;
  deny: number | null;
  allow: number | null;
}

export interface SpaceLimits {
  /** Bound on the host walk, in steps (glob-walk.ts Budget). */
  maxStates?: number;
  /** Told how far the host walk has got, from 0 to 1. */
  progress?: (fraction: number) => void;
}

/**
 * Every host kind and port kind relative to the rule globs and a universe of
 * pattern forms, so that the engine and Chrome can be compared on all hosts
 * and ports by checking one witness per kind.
 *
 * A host kind is paired only with the port classes it can tell apart: the
 * port kinds grouped by the port globs that matter on its hosts (the ports of
 * the rules and entries whose host globs it matches, plus `*`, 443 and the
 * ports given everywhere). A host with its own port is one class more, not
 * one pair per port kind of the whole rule set: with a port per rule, the
 * pairs grow with the rules, not with their square. Pairs are numbered host
 * by host (hosts in the order found, shortest first), each host's classes in
 * the order of their least port kind.
 *
 * Everything here is indexed by glob, so that each step costs what a kind
 * matches rather than the number of rules: a host kind lists the few globs it
 * matches, and the engine's verdicts come from the rules of those globs only.
 */
export class PolicySpace {
  private readonly hostIndex = new Map<string, number>();
  private readonly portIndex = new Map<string, number>();
  private readonly kindsOfGlob: number[][];
  private readonly globs: string[];
  private readonly portGlobs: string[];
  private readonly portKinds: PortKinds;
  readonly hosts: SpaceType[];
  readonly ports: SpaceType[];
  /** Per host kind: its first pair; one more at the end (the number of pairs). */
  private readonly firstPair: Int32Array;
  /** Per pair: the port kind standing for its class (the class's least). */
  private readonly portOfPair: Uint16Array | Int32Array;
  /** Per host kind: the class of each port kind, and the port globs that matter on it. */
  private readonly classesOf: KindClasses[];
  /** The port globs that matter on every host kind. */
  private readonly portsEverywhere: ReadonlySet<number>;
  /** Per pair: the engine's first deny rule and first allow rule, or -1. */
  readonly deny: RuleIndexes;
  readonly allow: RuleIndexes;
  /**
   * Host kinds whose witness a right-open glob matches while other hosts of
   * the kind may not be matched by it (no witness free of them was found):
   * the engine's verdict varies inside such a kind. Per kind, the first deny
   * and allow rule per port class of the kind without the right-open globs.
   */
  readonly mixed = new Map<number, { deny: RuleIndexes; allow: RuleIndexes }>();

  /**
   * Right-open globs (open-globs.ts) are not walked: each kind's witness is
   * taken, where the kind allows, among hosts no right-open glob matches,
   * and the right-open globs that match it add their rules to its verdict.
   */
  constructor(
    rules: readonly NormalizedRule[],
    hostGlobs: Iterable<string>,
    portGlobs: Iterable<string>,
    limits: SpaceLimits = {},
    private readonly open: OpenGlobs = new OpenGlobs([]),
    /** Host glob and port glob of each entry pattern to tell apart (globOf × port), beyond the rules' own. */
    attached: Iterable<readonly [string, string]> = [],
    /** The host walk, e.g. one that remembers its last answer (hostTypes when absent). */
    walkHosts: (globs: readonly string[], limits: SpaceLimits) => SpaceType[] = hostTypes,
  ) {
    const pinned = [...attached];
    const hosts = [...new Set([...rules.map((rule) => rule.host), ...hostGlobs])].filter((glob) => !isRightOpen(glob));
    const everywhere = [...new Set([...portGlobs, '*', '443'])];
    const ports = [...new Set([...rules.map((rule) => rule.port), ...everywhere, ...pinned.map(([, port]) => port)])];
    this.globs = hosts;
    this.portGlobs = ports;
    hosts.forEach((glob, i) => this.hostIndex.set(glob, i));
    ports.forEach((glob, i) => this.portIndex.set(glob, i));
    this.hosts = [...walkHosts(hosts, limits)];
    this.addIpv6Kinds(hosts);
    this.portKinds = new PortKinds(ports);
    this.ports = this.portKinds.kinds;
    this.kindsOfGlob = hosts.map(() => []);
    this.hosts.forEach((type, h) => {
      for (const glob of type.matches) this.kindsOfGlob[glob]!.push(h);
    });
    const classes = portClasses({
      hosts: this.hosts,
      ports: this.ports,
      everywhere: everywhere.map((port) => this.portIndex.get(port)!),
      portsAt: this.portsAtGlobs(rules, pinned),
      openPorts: (witness) => this.openMatching(witness).flatMap((g) => this.open.rulesOf[g]!.map((r) => this.portIndex.get(rules[r]!.port)!)),
    });
    this.firstPair = classes.firstPair;
    this.portOfPair = classes.portOfPair;
    this.classesOf = classes.classesOf;
    this.portsEverywhere = classes.everywhere;
    this.deny = ruleIndexes(this.size, rules.length);
    this.allow = ruleIndexes(this.size, rules.length);
    const portGlobOf = Int32Array.from(rules, (rule) => this.portIndex.get(rule.port)!);
    this.fillVerdicts(rules, portGlobOf);
    if (open.size > 0) this.addOpenVerdicts(rules, portGlobOf);
  }

  /** Per host glob: the port globs that matter where it matches (its rules' ports and the attached ones). */
  private portsAtGlobs(rules: readonly NormalizedRule[], attached: Iterable<readonly [string, string]>): number[][] {
    const at = this.globs.map((): number[] => []);
    for (const rule of rules) {
      const glob = this.hostIndex.get(rule.host);
      if (glob !== undefined) at[glob]!.push(this.portIndex.get(rule.port)!);
    }
    for (const [host, port] of attached) {
      const glob = this.hostIndex.get(host);
      if (glob !== undefined) at[glob]!.push(this.portIndex.get(port)!);
    }
    return at;
  }

  /** The right-open globs matching a kind's witness: asked for the port classes, then for the verdicts, of every kind. */
  private openMatching(witness: string): readonly number[] {
    let found = this.openFound.get(witness);
    if (!found) this.openFound.set(witness, (found = this.open.matching(witness)));
    return found;
  }

  private readonly openFound = new Map<string, readonly number[]>();

  /** The number of pairs. */
  get size(): number {
    return this.firstPair[this.hosts.length]!;
  }

  /** The pair of a host kind and a port kind. */
  pairOf(host: number, port: number): number {
    return this.firstPair[host]! + this.classesOf[host]!.classOf(port);
  }

  /** The offsets found so far for the host kind's set of classes, by port glob (offsetsAt): looked up once per host kind where a loop asks for many globs. */
  private offsetTable(host: number): Map<number, readonly number[]> {
    const classes = this.classesOf[host]!;
    let byGlob = this.offsetsByClasses.get(classes);
    if (!byGlob) this.offsetsByClasses.set(classes, (byGlob = new Map()));
    return byGlob;
  }

  /**
   * The pairs of a host kind whose ports a port glob that matters there
   * matches: by its port kinds, or by the host's classes when they are fewer
   * (a glob such as `*` matches every port kind). As offsets from the host's
   * first pair, found once per set of classes (host kinds that care about the
   * same port globs share it: `byGlob` is offsetTable's), since thousands of
   * host kinds may ask about hundreds of `*` rules' ports each.
   */
  private offsetsAt(host: number, byGlob: Map<number, readonly number[]>, glob: number): readonly number[] {
    let offsets = byGlob.get(glob);
    if (!offsets) {
      this.kindsOfPortGlob ??= this.portKindsByGlob();
      const kinds = this.kindsOfPortGlob[glob]!;
      const [from, to] = this.pairsOfHost(host);
      if (kinds.length <= to - from) offsets = kinds.map((p) => this.pairOf(host, p) - from);
      else {
        const found: number[] = [];
        for (let pair = from; pair < to; pair += 1) if (this.ports[this.portOfPair[pair]!]!.matches.includes(glob)) found.push(pair - from);
        offsets = found;
      }
      byGlob.set(glob, offsets);
    }
    return offsets;
  }

  private readonly offsetsByClasses = new WeakMap<KindClasses, Map<number, readonly number[]>>();

  private kindsOfPortGlob: number[][] | null = null;

  private portKindsByGlob(): number[][] {
    const kinds = this.portGlobs.map((): number[] => []);
    this.ports.forEach((type, p) => {
      for (const glob of type.matches) kinds[glob]!.push(p);
    });
    return kinds;
  }

  /** The pairs of a host kind: from, to (excluded). */
  pairsOfHost(host: number): [number, number] {
    return [this.firstPair[host]!, this.firstPair[host + 1]!];
  }

  /** Makes rule r the first deny or allow rule (by its action) at the host kind's pairs its port glob matches, where no earlier rule is. */
  private markRule(rule: NormalizedRule, r: number, host: number, byGlob: Map<number, readonly number[]>, portGlob: number): void {
    const target = rule.action === 'noCertificate' ? this.deny : this.allow;
    const first = this.firstPair[host]!;
    const offsets = this.offsetsAt(host, byGlob, portGlob);
    for (let o = 0; o < offsets.length; o += 1) {
      const pair = first + offsets[o]!;
      const known = target[pair]!;
      if (known < 0 || r < known) target[pair] = r;
    }
  }

  /** The host kind of a pair: the last whose first pair is not after it (pairs are numbered host by host). */
  hostOf(pair: number): number {
    let low = 0;
    let high = this.hosts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.firstPair[middle]! <= pair) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** The port kind standing for a pair's port class. */
  portOf(pair: number): number {
    return this.portOfPair[pair]!;
  }

  /**
   * Per host kind: a witness no right-open glob matches when one is found
   * (the verdict there is the kind's own), else the right-open globs'
   * rules join the witness's verdict and the kind is marked mixed (a kind
   * of one host is never mixed: its witness is all of it).
   */
  private addOpenVerdicts(rules: readonly NormalizedRule[], portGlobOf: Int32Array): void {
    let matcher: LocalMatcher | null = null;
    let prefixes: string[] | null = null;
    this.hosts.forEach((type, h) => {
      const found = this.openMatching(type.witness);
      if (found.length === 0) return;
      // A kind with an exact host is that host; an IPv6 probe stands for itself. An IPv4 kind may hold many addresses (and no prefix keeps one an address).
      const single = type.matches.some((glob) => !this.globs[glob]!.includes('*')) || type.witness.includes(':');
      if (!single) {
        matcher ??= new LocalMatcher(this.globs);
        prefixes ??= freshLabels([...this.globs, ...this.open.globs], 2).flatMap((label) => [`${label}.`, `q${label}.`]);
        const key = type.matches.join();
        const other = prefixes
          .map((prefix) => prefix + type.witness)
          .find((host) => isExactHost(host) && !this.open.matchesAny(host) && matcher!.kindKey(host) === key);
        if (other !== undefined) {
          this.hosts[h] = { witness: other, matches: type.matches };
          return;
        }
        const [from, to] = this.pairsOfHost(h);
        this.mixed.set(h, { deny: this.deny.slice(from, to), allow: this.allow.slice(from, to) });
      }
      const byGlob = this.offsetTable(h);
      for (const g of found) for (const r of this.open.rulesOf[g]!) this.markRule(rules[r]!, r, h, byGlob, portGlobOf[r]!);
    });
  }

  /**
   * IPv6 literals are checked on probe addresses (the walk covers names and
   * IPv4); a probe is a kind of its own when no walked kind matches the same
   * globs. Only globs made of IPv6 characters can match one.
   */
  private addIpv6Kinds(hosts: readonly string[]): void {
    const known = new Set(this.hosts.map((type) => type.matches.join()));
    const candidates = hosts.map((glob, i) => ({ glob: compileGlob(glob), i })).filter(({ glob }) => /^[0-9a-f:*]*$/.test(glob.source));
    for (const probe of ipv6Probes(hosts)) {
      const matches = candidates.filter(({ glob }) => globMatches(glob, probe)).map(({ i }) => i);
      const key = matches.join();
      if (!known.has(key)) {
        known.add(key);
        this.hosts.push({ witness: probe, matches });
      }
    }
  }

  /** The first deny and first allow rule per pair, from the rules of the globs each host kind matches. */
  private fillVerdicts(rules: readonly NormalizedRule[], portGlobOf: Int32Array): void {
    // Per host glob, only the first deny and the first allow rule of each port glob can be first anywhere:
    // hundreds of `*` rules on a few ports cost each host kind a few rules, not hundreds.
    const firstOf = new Map<string, number>();
    const rulesOfGlob = new Map<number, number[]>();
    rules.forEach((rule, r) => {
      const glob = this.hostIndex.get(rule.host);
      // Right-open globs are not walked (addOpenVerdicts).
      if (glob === undefined) return;
      const key = `${glob} ${rule.port} ${rule.action}`;
      if (firstOf.has(key)) return;
      firstOf.set(key, r);
      const list = rulesOfGlob.get(glob) ?? [];
      list.push(r);
      rulesOfGlob.set(glob, list);
    });
    const tables = new Map<number, VerdictByPort>();
    // Indexed loops: this visits every pair a rule decides, millions where hundreds of `*` rules have ports of their own.
    for (let h = 0; h < this.hosts.length; h += 1) {
      const matches = this.hosts[h]!.matches;
      const byGlob = this.offsetTable(h);
      const [from, to] = this.pairsOfHost(h);
      for (let g = 0; g < matches.length; g += 1) {
        const list = rulesOfGlob.get(matches[g]!);
        if (list === undefined) continue;
        // A glob with about as many rules as the host has pairs: one pass over the pairs, from the glob's verdict per port kind.
        if (list.length * 2 >= to - from) {
          let table = tables.get(matches[g]!);
          if (!table) tables.set(matches[g]!, (table = this.verdictByPort(rules, list, portGlobOf)));
          this.markTable(table, from, to);
        } else for (let k = 0; k < list.length; k += 1) this.markRule(rules[list[k]!]!, list[k]!, h, byGlob, portGlobOf[list[k]!]!);
      }
    }
  }

  /**
   * The first deny and first allow rule of a list (in rule order) at each port
   * kind. On a host kind the list's glob matches, the list's port globs all
   * matter (portsAt), so each of its classes is all matched by a port glob or
   * not at all, and its least port kind tells which.
   */
  private verdictByPort(rules: readonly NormalizedRule[], list: readonly number[], portGlobOf: Int32Array): VerdictByPort {
    this.kindsOfPortGlob ??= this.portKindsByGlob();
    const deny = new Int32Array(this.ports.length).fill(-1);
    const allow = new Int32Array(this.ports.length).fill(-1);
    for (const r of list) {
      const target = rules[r]!.action === 'noCertificate' ? deny : allow;
      for (const p of this.kindsOfPortGlob[portGlobOf[r]!]!) if (target[p]! < 0) target[p] = r;
    }
    return { deny, allow };
  }

  /** Makes a glob's rules first at the pairs from..to (one host kind's) where they come before the rules marked so far. */
  private markTable(table: VerdictByPort, from: number, to: number): void {
    const { deny, allow, portOfPair } = this;
    for (let pair = from; pair < to; pair += 1) {
      const p = portOfPair[pair]!;
      const d = table.deny[p]!;
      if (d >= 0 && (deny[pair]! < 0 || d < deny[pair]!)) deny[pair] = d;
      const a = table.allow[p]!;
      if (a >= 0 && (allow[pair]! < 0 || a < allow[pair]!)) allow[pair] = a;
    }
  }

  /** Whether the space distinguishes everything this pattern needs, its port on every host it covers included (else build a bigger one). */
  covers(pattern: ChromePattern): boolean {
    const globs = globOf(pattern.host);
    if (!globs.every((glob) => this.hostIndex.has(glob))) return false;
    if (pattern.port === null) return true;
    const port = this.portIndex.get(pattern.port);
    if (port === undefined || pattern.port.includes('*')) return false;
    // The port must matter on each host kind the pattern matches: then it is a class of its own there.
    return globs.every((glob) => this.portMattersOn(this.kindsMatching(glob), port));
  }

  /** Whether a port glob matters on every one of these host kinds; kinds that care about the same ports share one set, asked once (`*` matches every kind). */
  private portMattersOn(kinds: readonly number[], port: number): boolean {
    if (this.portsEverywhere.has(port)) return true;
    let asked: KindClasses | null = null;
    for (let k = 0; k < kinds.length; k += 1) {
      const classes = this.classesOf[kinds[k]!]!;
      if (classes === asked) continue;
      if (!classes.matters(port)) return false;
      asked = classes;
    }
    return true;
  }

  /** The host kinds a glob of the space matches (empty for a glob the space was not built with). */
  kindsMatching(glob: string): readonly number[] {
    const index = this.hostIndex.get(glob);
    return index === undefined ? [] : this.kindsOfGlob[index]!;
  }

  /** A glob of the space by index. */
  glob(index: number): string {
    return this.globs[index]!;
  }

  /** The globs a host kind matches, as strings. */
  globsOf(host: number): string[] {
    return Array.from(this.hosts[host]!.matches, (glob) => this.globs[glob]!);
  }

  /** The port kind of an exact port (a port glob of the space without `*`), or -1. */
  portKind(port: string): number {
    // An exact port glob matches its own port only, so its kind is that port's.
    return this.portIndex.has(port) && !port.includes('*') ? this.portKinds.kindOf(port) : -1;
  }

  /** The port kind a port number falls in: the kind whose port globs are the ones the number matches (-1 for none). */
  portKindOf(port: string): number {
    return this.portKinds.kindOf(port);
  }

  outcome(pair: number): PairOutcome {
    const deny = this.deny[pair]!;
    const allow = this.allow[pair]!;
    return {
      host: this.hosts[this.hostOf(pair)]!.witness,
      port: this.ports[this.portOf(pair)]!.witness,
      deny: deny < 0 ? null : deny,
      allow: allow < 0 ? null : allow,
    };
  }

  /** The engine's decision at a pair (docs/rules.md §5 steps 3–5). */
  engineAllows(pair: number): boolean {
    return this.deny[pair]! < 0 && this.allow[pair]! >= 0;
  }
}
