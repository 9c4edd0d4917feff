/**
 * The port classes of each host kind (policy-space.ts): the port kinds a
 * host kind can tell apart, grouped by the port globs that matter on its
 * hosts. Two port kinds that agree on those globs get the same verdict from
 * the engine and the same choice from Chrome on every host of the kind: the
 * rules and entries that could tell them apart never match there.
 */
import type { SpaceType } from './glob-space';

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
  /** Per host kind: the port globs that matter on it. */
  relevant: ReadonlySet<number>[];
}

/**
 * One host kind's classes of port kinds: the kinds it tells apart, ascending,
 * each with its class, and the class of all the others. Two typed arrays
 * rather than a map: there are thousands of such sets, each telling apart
 * thousands of port kinds when `*.com` rules carry port globs like `84*`.
 */
export class KindClasses {
  constructor(
    /** The port kinds some relevant glob matches, ascending. */
    private readonly told: Int32Array,
    /** The class of each told kind. */
    private readonly classes: Int32Array,
    /** The class of every other kind, or -1 when there are none. */
    readonly rest: number,
    /** The least port kind of each class, ascending. */
    readonly reps: readonly number[],
    readonly relevant: ReadonlySet<number>,
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
  const refine = new Refinement(ports.length);
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
      classes = refine.classes(new Set([...shared, ...own]), kindsOfGlob);
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
  return { firstPair, portOfPair, classesOf: perHost, relevant: perHost.map((classes) => classes.relevant) };
}

/**
 * The classes of the port kinds under some port globs: the kinds one of them
 * matches by which of them match, the rest as one. Found by refining, glob by
 * glob, over the kinds each glob matches only (no key per port kind), in
 * scratch arrays kept across sets. Classes are then numbered in port order as
 * they are met, the rest's class in its place among them.
 */
class Refinement {
  /** Per port kind: its class so far, 0 while no glob has told it apart; reset after each set. */
  private readonly raw: Int32Array;
  /** Per class so far: the round in which it was last split, and the class its matched kinds went to then (grown as classes are made). */
  private splitIn: Int32Array;
  private splitTo: Int32Array;
  private round = 0;

  constructor(private readonly kindCount: number) {
    this.raw = new Int32Array(kindCount);
    this.splitIn = new Int32Array(kindCount + 1);
    this.splitTo = new Int32Array(kindCount + 1);
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

  classes(relevant: ReadonlySet<number>, kindsOfGlob: readonly (readonly number[])[]): KindClasses {
    const { raw, kindCount } = this;
    const told: number[] = [];
    let next = 1;
    for (const glob of relevant) {
      const kinds = kindsOfGlob[glob] ?? [];
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
    const order = Int32Array.from(told).sort();
    // The least kind no glob told apart: the first gap in the told kinds.
    let restRep = 0;
    while (restRep < order.length && order[restRep] === restRep) restRep += 1;
    if (restRep >= kindCount) restRep = -1;
    const number = new Map<number, number>();
    const classes = new Int32Array(order.length);
    const reps: number[] = [];
    let rest = -1;
    for (let i = 0; i < order.length; i += 1) {
      const kind = order[i]!;
      if (rest < 0 && restRep >= 0 && restRep < kind) {
        rest = reps.length;
        reps.push(restRep);
      }
      let c = number.get(raw[kind]!);
      if (c === undefined) {
        c = reps.length;
        reps.push(kind);
        number.set(raw[kind]!, c);
      }
      classes[i] = c;
      raw[kind] = 0;
    }
    if (rest < 0 && restRep >= 0) {
      rest = reps.length;
      reps.push(restRep);
    }
    return new KindClasses(order, classes, rest, reps, relevant);
  }
}
