/**
 * Enumerates every way a host can relate to a set of `*`-globs: the
 * distinct vectors "which globs match", each with a shortest witness string.
 * Both the engine's decision and Chrome's choice of policy entry depend only on
 * which rule globs and which pattern forms match, so comparing the two on one
 * witness per vector compares them on every host and port there is.
 *
 * It is a breadth-first walk over the product of the globs' automata and an
 * automaton for valid names. Hosts are read right to left, where rule sets are
 * mostly literal (`*.acme.com`), which keeps the product small. Valid hosts:
 * domain names whose last label is not a number (the URL parser would read the
 * name as IPv4 or reject it) and canonical dotted-quad IPv4 addresses. IPv6
 * literals are not walked: they are checked on probe addresses (ipv6Probes).
 * Names with an empty label ("a..b") are not walked either and need not be:
 * no glob here contains "..", so a letter no glob names, put into the empty
 * label, keeps every match as it was (test/engine/policy/glob-space.test.ts
 * checks the walk against brute force).
 */
import type { GlobAutomaton } from './glob-automaton';
import { startNode, walk } from './glob-walk';
import { KIND_STEPS, OFF, slotContext, sortNumbers, walkContext, type Budget } from './walk-context';
import { HOST_CLASSES, HOST_VALIDITY, type Tabled } from './name-validity';
import { PortKinds } from './port-kinds';

export interface SpaceType {
  witness: string;
  /** The indexes of the globs that match the witness (and every string of this type), ascending. */
  matches: readonly number[];
}

export { SpaceTooLargeError } from './walk-context';

interface FoundKind {
  /** Glob indexes (or slot indexes, in a future), ascending. */
  ids: readonly number[];
  /** The least string of the kind found so far, in walk order: path, or prefix + path when a prefix is given. */
  path: string;
  prefix?: string;
}

/**
 * Kinds by their globs, each keeping its least string: shortest first, then
 * first in alphabet order. Most offers are a kind already known (reached from
 * another region), so a kind offered as a region's settled globs plus a
 * future's slots is hashed and compared as a set, and built only when new.
 */
class KindTable {
  private readonly byHash = new Map<number, FoundKind[]>();
  /** Per glob: the offer that last marked it (comparing sets without building them). */
  private readonly marks: number[] = [];
  private mark = 0;

  constructor(
    private readonly before: (a: string, b: string) => boolean,
    private readonly budget: Budget,
  ) {}

  offer(ids: readonly number[], path: string): void {
    this.offerJoined(ids, setHash(ids), NO_SLOTS, NONE_IDS, path, '');
  }

  /** Offers settled ∪ {slots[i].id : i in slotIds} (both without repeats), reached by prefix + path. */
  offerJoined(settled: readonly number[], settledHash: number, slots: readonly Slot[], slotIds: readonly number[], path: string, prefix: string): void {
    let hash = settledHash;
    for (let k = 0; k < slotIds.length; k += 1) hash = (hash + mixId(slots[slotIds[k]!]!.id)) | 0;
    const bucket = this.byHash.get(hash);
    let known: FoundKind | undefined;
    if (bucket) {
      const size = settled.length + slotIds.length;
      for (let k = 0; k < bucket.length; k += 1) if (bucket[k]!.ids.length === size && this.holds(bucket[k]!.ids, settled, slots, slotIds)) known = bucket[k];
    }
    if (known) {
      const knownLength = known.path.length + (known.prefix?.length ?? 0);
      const length = prefix.length + path.length;
      if (length > knownLength) return;
      if (length === knownLength && !this.before(prefix + path, (known.prefix ?? '') + known.path)) return;
      known.path = path;
      known.prefix = prefix;
      return;
    }
    this.budget.spend(KIND_STEPS);
    let ids = settled;
    if (slotIds.length > 0) {
      const joined = [...settled];
      for (const i of slotIds) joined.push(slots[i]!.id);
      ids = sortNumbers(joined);
    }
    const kind = { ids, path, prefix };
    if (bucket) bucket.push(kind);
    else this.byHash.set(hash, [kind]);
  }

  /** Whether `ids` holds every settled glob and every slot's glob (the sizes being equal, the sets are). */
  private holds(ids: readonly number[], settled: readonly number[], slots: readonly Slot[], slotIds: readonly number[]): boolean {
    this.mark += 1;
    for (let k = 0; k < ids.length; k += 1) this.marks[ids[k]!] = this.mark;
    for (let k = 0; k < settled.length; k += 1) if (this.marks[settled[k]!] !== this.mark) return false;
    for (let k = 0; k < slotIds.length; k += 1) if (this.marks[slots[slotIds[k]!]!.id] !== this.mark) return false;
    return true;
  }

  kinds(): FoundKind[] {
    const out: FoundKind[] = [];
    for (const bucket of this.byHash.values()) for (const kind of bucket) out.push({ ids: kind.ids, path: (kind.prefix ?? '') + kind.path });
    return out;
  }
}

/**
 * An open glob in a future: which glob (or parent slot) it is, and where the
 * automaton of its rest stands. Globs with the same rest share one automaton
 * (`rest` numbers it), so their sets are comparable.
 */
interface Slot {
  id: number;
  rest: number;
  set: number;
  machine: GlobAutomaton;
}

/** The live pairs of a node as slots, in an order that depends on rests and sets only (futures are shared by it). */
function slotsOf(live: readonly number[], machine: (id: number) => GlobAutomaton, rests: Map<GlobAutomaton, number>): Slot[] {
  const slots: Slot[] = [];
  for (let i = 0; i < live.length; i += 2) {
    const own = machine(live[i]!);
    let rest = rests.get(own);
    if (rest === undefined) rests.set(own, (rest = rests.size));
    slots.push({ id: live[i]!, rest, set: live[i + 1]!, machine: own });
  }
  return slots.sort((a, b) => a.rest - b.rest || a.set - b.set);
}

/** Futures by validity and their slots' rests and sets. */
class FutureTable {
  private readonly byHash = new Map<number, { valid: number; slots: readonly Slot[]; kinds: FoundKind[] }[]>();

  private static hash(valid: number, slots: readonly Slot[]): number {
    let hash = Math.imul(valid ^ 0x811c9dc5, 16777619);
    for (let i = 0; i < slots.length; i += 1) hash = Math.imul(Math.imul(hash ^ slots[i]!.rest, 16777619) ^ slots[i]!.set, 16777619);
    return hash;
  }

  get(valid: number, slots: readonly Slot[]): FoundKind[] | undefined {
    const bucket = this.byHash.get(FutureTable.hash(valid, slots));
    const same = (other: readonly Slot[]) =>
      other.length === slots.length && other.every((slot, i) => slot.rest === slots[i]!.rest && slot.set === slots[i]!.set);
    return bucket?.find((entry) => entry.valid === valid && same(entry.slots))?.kinds;
  }

  set(valid: number, slots: readonly Slot[], kinds: FoundKind[]): void {
    const hash = FutureTable.hash(valid, slots);
    const bucket = this.byHash.get(hash);
    if (bucket) bucket.push({ valid, slots, kinds });
    else this.byHash.set(hash, [{ valid, slots, kinds }]);
  }
}

const NO_SLOTS: readonly Slot[] = [];
const NONE_IDS: readonly number[] = [];

/** An order-free hash of a glob set: the sum of each glob's scrambled index. */
function mixId(id: number): number {
  let x = Math.imul(id ^ (id >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) | 0;
}

function setHash(ids: readonly number[]): number {
  let hash = 0;
  for (let k = 0; k < ids.length; k += 1) hash = (hash + mixId(ids[k]!)) | 0;
  return hash;
}

/**
 * The main walk stops where only open globs are left undecided (past a
 * region's literal names: `mail*.d` or `*.x.*.d` past `.d`, or nothing at
 * all). What follows depends on validity and the open globs' rests only, so
 * it is walked once per such "future" however many regions reach it, and its
 * kinds are joined with each region's settled globs. Futures are shared by
 * rest (`*.x.*.a.com` past `.a.com` and `*.x.*.b.com` past `.b.com` have the
 * same), and a future stops where one of its rests settles and goes on in the
 * future of the rests left, so it is walked once per set of rests, not once
 * per set of rests already found. A kind's witness is the least of region
 * path + future path, which is the least string of that kind: the same
 * witnesses, in the same order, as one walk over everything.
 */
function explore(globs: readonly string[], reversed: boolean, alphabet: readonly string[], validity: Tabled, options: ExploreOptions): SpaceType[] {
  const maxSteps = options.maxStates ?? 1_500_000;
  const ctx = walkContext(globs, reversed, alphabet, validity, maxSteps);
  const rank = new Int32Array(128);
  alphabet.forEach((ch, i) => (rank[ch.charCodeAt(0)] = i));
  const before = (a: string, b: string) => {
    if (a.length !== b.length) return a.length < b.length;
    for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return rank[a.charCodeAt(i)]! < rank[b.charCodeAt(i)]!;
    return false;
  };
  const futures = new FutureTable();
  const rests = new Map<GlobAutomaton, number>();
  const futureOf = (valid: number, slots: readonly Slot[]): FoundKind[] => {
    let future = futures.get(valid, slots);
    if (future) return future;
    const table = new KindTable(before, ctx.budget);
    const slotCtx = slotContext(
      ctx,
      slots.map((slot) => slot.machine),
    );
    const walked = walk(slotCtx, { node: OFF, live: slots.flatMap((slot, i) => [i, slot.set]), settled: [], valid }, 'settle');
    for (const kind of walked.kinds) table.offer(kind.ids, kind.path);
    for (const stop of walked.open) {
      const left = slotsOf(stop.live, (i) => slots[i]!.machine, rests);
      const settledHash = setHash(stop.settled);
      for (const kind of futureOf(stop.valid, left)) table.offerJoined(stop.settled, settledHash, left, kind.ids, kind.path, stop.path);
    }
    future = table.kinds();
    futures.set(valid, slots, future);
    return future;
  };
  const table = new KindTable(before, ctx.budget);
  const main = walk(ctx, startNode(ctx), 'open');
  for (const kind of main.kinds) table.offer(kind.ids, kind.path);
  // The main walk is about half the work; the futures the other half, about evenly per node.
  options.progress?.(0.5);
  main.open.forEach((node, i) => {
    if (i % 256 === 0) options.progress?.(0.5 + (0.5 * i) / main.open.length);
    const slots = slotsOf(node.live, (glob) => ctx.machines[glob]!, rests);
    const settledHash = setHash(node.settled);
    for (const kind of futureOf(node.valid, slots)) table.offerJoined(node.settled, settledHash, slots, kind.ids, kind.path, node.path);
  });
  // Sorted as the walk would have found them: shortest first, then alphabet order (in walk direction).
  const order = (a: FoundKind, b: FoundKind) => {
    if (a.path.length !== b.path.length) return a.path.length - b.path.length;
    for (let i = 0; i < a.path.length; i += 1) {
      const diff = rank[a.path.charCodeAt(i)]! - rank[b.path.charCodeAt(i)]!;
      if (diff !== 0) return diff;
    }
    return 0;
  };
  return table
    .kinds()
    .sort(order)
    .map(({ ids, path }) => ({ witness: reversed ? [...path].reverse().join('') : path, matches: ids }));
}

export interface ExploreOptions {
  /** Bound on the work of the walk, in steps (Budget); 1,500,000 when absent. */
  maxStates?: number;
  /** Told how far the walk has got, from 0 to 1. */
  progress?: (fraction: number) => void;
}

/** Every kind of valid host with respect to `globs` (IPv6 excepted: see ipv6Probes). */
export function hostTypes(globs: readonly string[], options: ExploreOptions = {}): SpaceType[] {
  const literal = new Set<string>();
  for (const glob of globs) for (const ch of glob) if (ch !== '*') literal.add(ch);
  // Characters the globs do not name act alike within each class the name
  // automaton tells apart; one of each such class stands for the rest.
  // Order only decides which witness is found first: readable letters first.
  const alphabet = new Set<string>();
  for (const cls of HOST_CLASSES) {
    for (const ch of cls) if (literal.has(ch)) alphabet.add(ch);
    const stand = [...cls].find((ch) => !literal.has(ch));
    if (stand) alphabet.add(stand);
  }
  for (const ch of literal) alphabet.add(ch);
  return explore(globs, true, [...alphabet], HOST_VALIDITY, options);
}

/** Every kind of port (1–65535) with respect to `globs`: read port by port, not walked (port-kinds.ts). */
export function portTypes(globs: readonly string[]): SpaceType[] {
  return new PortKinds(globs).kinds;
}
