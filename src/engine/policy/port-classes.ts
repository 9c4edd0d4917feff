/**
 * The port classes of each host kind (policy-space.ts): the port kinds a
 * host kind can tell apart, grouped by the port globs that matter on its
 * hosts. Two port kinds that agree on those globs get the same verdict from
 * the engine and the same choice from Chrome on every host of the kind: the
 * rules and entries that could tell them apart never match there.
 */
import type { SpaceType } from './glob-space';
import { mergeSorted } from './sorted-lists';

export interface ClassInput {
  hosts: readonly SpaceType[];
  ports: readonly SpaceType[];
  /** Port globs that matter on every host (`*`, 443, the listed ports). */
  everywhere: readonly number[];
  /** Per host glob: the port globs that matter where it matches. */
  portsAt: readonly (readonly number[])[];
  /** The port globs of the rules, not walked, that match a host (right-open globs, open-globs.ts). */
  openPorts: (witness: string) => readonly number[];
}

export interface PortClasses {
  /** Per host kind: its first pair; one more at the end (the number of pairs). */
  firstPair: Int32Array;
  /** Per pair: the least port kind of its class (16 bits a pair while the kinds fit). */
  portOfPair: Uint16Array | Int32Array;
  /** Per host kind: the class (0-based within the host) of each port kind; host kinds that care about the same port globs share one. */
  classesOf: KindClasses[];
  /** The port globs that matter on every host kind (`*`, 443, the listed ports, those of host globs every kind matches). */
  everywhere: ReadonlySet<number>;
}

type Kinds = Uint16Array | Int32Array;

/**
 * One host kind's classes of port kinds: the kinds it tells apart, ascending,
 * each with its class, and the class of all the others. Typed arrays rather
 * than a map: there are thousands of such sets, each telling apart thousands
 * of port kinds when `*` or `*.com` rules carry ports of their own.
 */
export class KindClasses {
  constructor(
    /** The port kinds some relevant glob matches, ascending. */
    private readonly told: Kinds,
    /** The class of each told kind. */
    private readonly classes: Kinds,
    /** The class of every other kind, or -1 when there are none. */
    readonly rest: number,
    /** The least port kind of each class, ascending. */
    readonly reps: Kinds,
    private readonly everywhere: ReadonlySet<number>,
    /** The port globs that matter here beyond those that matter everywhere. */
    private readonly own: ReadonlySet<number>,
  ) {}

  /** The class of a port kind. */
  classOf(kind: number): number {
    const { told } = this;
    let low = 0;
    let high = told.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = told[middle]!;
      if (at === kind) return this.classes[middle]!;
      if (at < kind) low = middle + 1;
      else high = middle - 1;
    }
    return this.rest;
  }

  /** Whether a port glob matters on the host kinds of these classes. */
  matters(port: number): boolean {
    return this.everywhere.has(port) || this.own.has(port);
  }
}

export function portClasses(input: ClassInput): PortClasses {
  const { hosts, ports } = input;
  const kindsOfGlob: number[][] = [];
  ports.forEach((type, p) => {
    for (const glob of type.matches) (kindsOfGlob[glob] ??= []).push(p);
  });
  // The port globs of host globs every host kind matches (`*`) matter everywhere: counted once, not once per host kind.
  const kindsMatching = new Map<number, number>();
  for (const type of hosts) for (const glob of type.matches) kindsMatching.set(glob, (kindsMatching.get(glob) ?? 0) + 1);
  const universal = new Set([...kindsMatching].filter(([, count]) => count === hosts.length).map(([glob]) => glob));
  const shared = new Set(input.everywhere);
  for (const glob of universal) for (const port of input.portsAt[glob] ?? []) shared.add(port);
  // Hosts that care about the same port globs share their classes: keyed by the ones beyond the shared.
  const known = new Map<string, KindClasses>();
  // Per host glob, its port globs beyond the shared, each once. Most host kinds get theirs from the same few globs
  // as other kinds (thousands of kinds, hundreds of ports under a glob such as `*.com`): those are looked up by globs.
  const extra: (readonly number[])[] = [];
  const extraOf = (glob: number) => (extra[glob] ??= [...new Set((input.portsAt[glob] ?? []).filter((port) => !shared.has(port)))]);
  const byGlobs = new Map<string, KindClasses>();
  const refine = new Refinement(ports.length, kindsOfGlob, shared);
  // The classes under the host globs that more than one host kind matches, by those globs: a set starts from them.
  const bases = new Map<string, { partial: Partial; ports: ReadonlySet<number> }>();
  const baseOf = (wide: readonly number[]) => {
    const key = wide.join();
    let base = bases.get(key);
    if (!base) {
      const ports = new Set(wide.flatMap(extraOf));
      bases.set(key, (base = { partial: refine.extend(refine.everywhereClasses, ports), ports }));
    }
    return base;
  };
  const perHost = hosts.map((type) => {
    const giving = type.matches.filter((glob) => !universal.has(glob) && extraOf(glob).length > 0);
    const open = input.openPorts(type.witness).filter((port) => !shared.has(port));
    const globsKey = `${giving.join()}|${open.join()}`;
    let classes = byGlobs.get(globsKey);
    if (classes) return classes;
    const own = new Set(open);
    for (const glob of giving) for (const port of extraOf(glob)) own.add(port);
    const key = [...own].sort((a, b) => a - b).join();
    classes = known.get(key);
    if (!classes) {
      const base = baseOf(giving.filter((glob) => kindsMatching.get(glob)! > 1));
      classes = refine.classes(
        base.partial,
        [...own].filter((port) => !base.ports.has(port)),
        own,
      );
      known.set(key, classes);
    }
    byGlobs.set(globsKey, classes);
    return classes;
  });
  const firstPair = new Int32Array(hosts.length + 1);
  perHost.forEach((classes, h) => (firstPair[h + 1] = firstPair[h]! + classes.reps.length));
  const size = firstPair[hosts.length]!;
  const portOfPair = ports.length <= 0xffff ? new Uint16Array(size) : new Int32Array(size);
  for (let h = 0; h < perHost.length; h += 1) portOfPair.set(perHost[h]!.reps, firstPair[h]!);
  return { firstPair, portOfPair, classesOf: perHost, everywhere: shared };
}

/** Classes of the port kinds part way: the kinds told apart so far (ascending), the class of each, and the next class number. */
interface Partial {
  told: Int32Array;
  raw: Int32Array;
  next: number;
}

/**
 * The classes of the port kinds under some port globs: the kinds one of them
 * matches by which of them match, the rest as one. Found by refining, glob by
 * glob, over the kinds each glob matches only (no key per port kind), in
 * scratch arrays kept across sets. A set starts from classes already found
 * for some of its globs (a Partial): those that matter everywhere, refined by
 * once, or those of host globs many host kinds share (`*.com` rules with port
 * globs of their own), so that each host kind adds only its own ports.
 * Classes are then numbered in port order as they are met, the rest's class
 * in its place among them.
 */
class Refinement {
  /** Per port kind: its class so far, 0 while no glob has told it apart; reset after each set. */
  private readonly raw: Int32Array;
  /** Per class so far: the round in which it was last split, and the class its matched kinds went to then (grown as classes are made). */
  private splitIn: Int32Array;
  private splitTo: Int32Array;
  private round = 0;
  /** The classes under the globs that matter everywhere. */
  readonly everywhereClasses: Partial;

  constructor(
    private readonly kindCount: number,
    private readonly kindsOfGlob: readonly (readonly number[])[],
    private readonly everywhere: ReadonlySet<number>,
  ) {
    this.raw = new Int32Array(kindCount);
    this.splitIn = new Int32Array(kindCount + 1);
    this.splitTo = new Int32Array(kindCount + 1);
    this.everywhereClasses = this.extend({ told: new Int32Array(0), raw: new Int32Array(0), next: 1 }, everywhere);
  }

  /** `base` refined by more port globs. */
  extend(base: Partial, globs: Iterable<number>): Partial {
    const { order, next } = this.start(base, globs);
    const raw = order.map((kind) => this.raw[kind]!);
    for (let i = 0; i < order.length; i += 1) this.raw[order[i]!] = 0;
    return { told: order, raw, next };
  }

  /** Loads `base` into `raw` and refines it by `globs`: the kinds told apart, ascending, and the next class number. */
  private start(base: Partial, globs: Iterable<number>): { order: Int32Array; next: number } {
    const { raw } = this;
    for (let i = 0; i < base.told.length; i += 1) raw[base.told[i]!] = base.raw[i]!;
    const added: number[] = [];
    const next = this.refine(globs, base.next, added);
    if (added.length === 0) return { order: base.told, next };
    return {
      order: Int32Array.from(
        mergeSorted(
          base.told,
          added.sort((a, b) => a - b),
        ),
      ),
      next,
    };
  }

  /** Splits the classes of `raw` by each glob in turn, numbering new classes from `next`; kinds told apart for the first time go to `told`. Returns the next class number. */
  private refine(globs: Iterable<number>, next: number, told: number[]): number {
    const { raw, kindCount } = this;
    for (const glob of globs) {
      const kinds = this.kindsOfGlob[glob] ?? [];
      // A glob every port matches (`*`) tells nothing apart.
      if (kinds.length === kindCount) continue;
      this.round += 1;
      // A round makes at most one class per kind it reads.
      this.reserve(next + kinds.length + 1);
      const { splitIn, splitTo } = this;
      for (let k = 0; k < kinds.length; k += 1) {
        const kind = kinds[k]!;
        const from = raw[kind]!;
        if (from === 0) told.push(kind);
        if (splitIn[from] !== this.round) {
          splitIn[from] = this.round;
          splitTo[from] = next++;
        }
        raw[kind] = splitTo[from]!;
      }
    }
    return next;
  }

  /** Room for class numbers below `count`. */
  private reserve(count: number): void {
    if (count <= this.splitIn.length) return;
    const length = Math.max(count, 2 * this.splitIn.length);
    const splitIn = new Int32Array(length);
    splitIn.set(this.splitIn);
    this.splitIn = splitIn;
    this.splitTo = new Int32Array(length);
  }

  /** The classes under `base`'s globs and `more`, numbered; `own` is every port glob that matters beyond those that matter everywhere. */
  classes(base: Partial, more: Iterable<number>, own: ReadonlySet<number>): KindClasses {
    const { raw, kindCount } = this;
    const { order } = this.start(base, more);
    // The least kind no glob told apart: the first gap in the told kinds.
    let restRep = 0;
    while (restRep < order.length && order[restRep] === restRep) restRep += 1;
    if (restRep >= kindCount) restRep = -1;
    // Class numbers by the class found, marked with this round (splitIn is free now, and as long as the classes).
    this.round += 1;
    const { splitIn: numberedIn, splitTo: numberOf, round } = this;
    const told = kindCount <= 0xffff ? Uint16Array.from(order) : order;
    const classes = kindCount <= 0xffff ? new Uint16Array(order.length) : new Int32Array(order.length);
    // Typed: a set of thousands of classes would take eight bytes a class as an array.
    const reps = kindCount <= 0xffff ? new Uint16Array(order.length + 1) : new Int32Array(order.length + 1);
    let count = 0;
    let rest = -1;
    for (let i = 0; i < order.length; i += 1) {
      const kind = order[i]!;
      if (rest < 0 && restRep >= 0 && restRep < kind) {
        rest = count;
        reps[count++] = restRep;
      }
      const found = raw[kind]!;
      if (numberedIn[found] !== round) {
        numberedIn[found] = round;
        numberOf[found] = count;
        reps[count++] = kind;
      }
      classes[i] = numberOf[found]!;
      raw[kind] = 0;
    }
    if (rest < 0 && restRep >= 0) {
      rest = count;
      reps[count++] = restRep;
    }
    return new KindClasses(told, classes, rest, reps.slice(0, count), this.everywhere, own);
  }
}
