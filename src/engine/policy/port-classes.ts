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
  /** Per host kind: the class (0-based within the host) of each port kind it tells apart from the rest. */
  classOf: Map<number, number>[];
  /** Per host kind: the class of the other port kinds, or -1 when there are none. */
  restOf: Int32Array;
  /** Per host kind: the port globs that matter on it. */
  relevant: ReadonlySet<number>[];
}

interface HostClasses {
  classOf: Map<number, number>;
  /** The least port kind of each class, ascending. */
  reps: number[];
  rest: number;
  relevant: ReadonlySet<number>;
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
  const known = new Map<string, HostClasses>();
  // Per host glob, its port globs beyond the shared, each once. Most host kinds get theirs from the same few globs
  // as other kinds (thousands of kinds, hundreds of ports under a glob such as `*.com`): those are looked up by globs.
  const extra: (readonly number[])[] = [];
  const extraOf = (glob: number) => (extra[glob] ??= [...new Set((input.portsAt[glob] ?? []).filter((port) => !shared.has(port)))]);
  const byGlobs = new Map<string, HostClasses>();
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
      classes = classesFor(new Set([...shared, ...own]), ports, kindsOfGlob);
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
  return {
    firstPair,
    portOfPair,
    classOf: perHost.map((classes) => classes.classOf),
    restOf: Int32Array.from(perHost, (classes) => classes.rest),
    relevant: perHost.map((classes) => classes.relevant),
  };
}

/**
 * The classes of the port kinds under some port globs: the kinds one of them
 * matches by what they match, the rest as one. Read in port order, each class
 * is met first at its least kind, so classes are numbered in that order as
 * they are met, the rest's class in its place among them: no sort, and one
 * map (a host kind can tell thousands of kinds apart, `*` rules on ports of
 * their own, and there are thousands of sets of classes).
 */
function classesFor(relevant: ReadonlySet<number>, ports: readonly SpaceType[], kindsOfGlob: readonly (readonly number[])[]): HostClasses {
  const told = new Uint8Array(ports.length);
  for (const glob of relevant) {
    const kinds = kindsOfGlob[glob] ?? [];
    // A glob every port matches (`*`) tells nothing apart.
    if (kinds.length === ports.length) continue;
    for (let k = 0; k < kinds.length; k += 1) told[kinds[k]!] = 1;
  }
  const restRep = told.indexOf(0);
  const byKey = new Map<string, number>();
  const classOf = new Map<number, number>();
  const reps: number[] = [];
  let rest = -1;
  for (let p = 0; p < ports.length; p += 1) {
    if (told[p] === 0) continue;
    const matches = ports[p]!.matches;
    let key = '';
    for (let m = 0; m < matches.length; m += 1) if (relevant.has(matches[m]!)) key += `${matches[m]!},`;
    let c = byKey.get(key);
    if (c === undefined) {
      if (rest < 0 && restRep >= 0 && restRep < p) {
        rest = reps.length;
        reps.push(restRep);
      }
      c = reps.length;
      reps.push(p);
      byKey.set(key, c);
    }
    classOf.set(p, c);
  }
  if (rest < 0 && restRep >= 0) {
    rest = reps.length;
    reps.push(restRep);
  }
  return { classOf, reps, rest, relevant };
}
