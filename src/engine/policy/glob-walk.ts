/**
 * The breadth-first walk glob-space.ts is built on: over the product of the
 * globs and an automaton for valid names, one character of the alphabet at a
 * time.
 *
 * Each glob's literal end (the text after its last star, or all of it) is
 * read through one trie shared by every glob: near the root thousands of
 * globs wait for the same characters, and the trie moves them all in one
 * step. When a glob's literal end has been read, the rest of it starts in its
 * own automaton ("live"); a glob that then matches every longer string too
 * (`*.d` past `.d`) goes to the settled list at once. A node is (validity,
 * trie node, live sets, settled list); nodes that are equal are walked once,
 * so each is reached first by its shortest string and, among those, the first
 * in alphabet order (read in walk direction).
 */
import { mergeSorted } from './sorted-lists';
import { NONE, OFF, sortNumbers, validityGroups, type WalkContext } from './walk-context';

/** A node past every literal end where only open globs (each with a star among its positions) are undecided: its future depends on validity and live sets alone. */
export interface OpenNode {
  valid: number;
  /** [glob, set, glob, set, …] in glob order. */
  live: readonly number[];
  settled: readonly number[];
  /** The first string that reaches it, in walk order. */
  path: string;
}

export interface Walked {
  /** Kinds in the order found: the globs matched (ascending) and the first string (walk order) of that kind. */
  kinds: { ids: number[]; path: string }[];
  /** The nodes the walk stopped at instead of going on (StopAt). */
  open: OpenNode[];
}

/** Starts the globs whose literal end ends at a trie node; returns the node to keep (OFF when nothing more can be read through it). */
function arrive(ctx: WalkContext, node: number, live: number[], settled: number[]): number {
  const { trie } = ctx;
  for (const glob of trie.armed(node)) {
    const machine = ctx.machines[glob]!;
    const set = machine.start;
    if (machine.matchesEveryExtension(set)) settled.push(glob);
    else if (set !== 0) live.push(glob, set);
  }
  return trie.leadsOn(node) ? node : OFF;
}

/** The root: the globs with nothing after their last star start at once. */
export function startNode(ctx: WalkContext): { node: number; live: number[]; settled: number[]; valid: number } {
  const live: number[] = [];
  const settled: number[] = [];
  const node = arrive(ctx, 0, live, settled);
  return { node, live: sortPairs(live), settled: sortNumbers(settled), valid: ctx.validity.start };
}

const isOpen = (ctx: WalkContext, live: readonly number[]) => {
  for (let i = 0; i < live.length; i += 2) if (!ctx.machines[live[i]!]!.moves(live[i + 1]!).open) return false;
  return true;
};

/**
 * Live pairs any character keeps going (open, into `anyChar`), and per
 * character those waiting for it. Every character the trie node or a live
 * glob names is marked in `named` with `mark`; all characters not marked act
 * alike.
 */
function route(ctx: WalkContext, node: number, live: readonly number[], named: Int32Array, mark: number, anyChar: number[]): Map<number, number[]> | null {
  anyChar.length = 0;
  let byChar: Map<number, number[]> | null = null;
  if (node !== OFF) ctx.trie.markCodes(node, named, mark);
  for (let i = 0; i < live.length; i += 2) {
    const moves = ctx.machines[live[i]!]!.moves(live[i + 1]!);
    if (moves.open) anyChar.push(i);
    for (let c = 0; c < moves.codes.length; c += 1) {
      const code = moves.codes[c]!;
      named[code] = mark;
      if (moves.open) continue;
      byChar ??= new Map();
      const list = byChar.get(code);
      if (list) list.push(i);
      else byChar.set(code, [i]);
    }
  }
  return byChar;
}

interface Next {
  node: number;
  live: number[];
  settled: readonly number[];
  /** A hash of the settled list, kept while it does not change. */
  settledHash: number;
}

/**
 * One character from a node: the trie moves on (or off), live globs `only`
 * lists step, and globs whose literal end is now read start. The result goes
 * into `into` (reused: most steps lead to a node already walked, and the walk
 * copies the live sets only for a new one).
 */
function step(
  ctx: WalkContext,
  node: number,
  live: readonly number[],
  settledBefore: readonly number[],
  settledHashBefore: number,
  code: number,
  only: readonly number[],
  into: Next,
): Next {
  let next = into.live;
  next.length = 0;
  // Allocated only when a glob settles: most steps settle none.
  let settled: number[] | null = null;
  // Indexed loops here and below: the walk runs mostly before the engine optimises it, and for-of allocates there.
  for (let k = 0; k < only.length; k += 1) {
    const i = only[k]!;
    const glob = live[i]!;
    const machine = ctx.machines[glob]!;
    const set = machine.step(live[i + 1]!, code);
    if (set === 0) continue;
    if (machine.matchesEveryExtension(set)) (settled ??= []).push(glob);
    else next.push(glob, set);
  }
  const child = node === OFF ? undefined : ctx.trie.child(node, code);
  let nextNode = OFF;
  if (child !== undefined) {
    if (ctx.trie.armed(child).length > 0) {
      settled ??= [];
      const before = next.length + settled.length;
      arrive(ctx, child, next, settled);
      if (next.length + settled.length > before) next = sortPairs(next);
      if (settled.length === 0) settled = null;
    }
    nextNode = ctx.trie.leadsOn(child) ? child : OFF;
  }
  into.node = nextNode;
  into.live = next;
  into.settled = settled ? sortNumbers([...settledBefore, ...settled]) : settledBefore;
  into.settledHash = settled ? hashList(into.settled, 0x811c9dc5) : settledHashBefore;
  return into;
}

/**
 * Where a walk stops and hands over to a shared walk (glob-space.ts):
 * - `open`: at nodes past every literal end with only open globs undecided;
 * - `settle`: at nodes where a glob has settled since the start (the rest of
 *   the walk no longer depends on it);
 * - `never`: it walks everything.
 * Nodes it stops at are returned in `open` and not walked further.
 */
export type StopAt = 'open' | 'settle' | 'never';

/** Walks from one node, breadth first. */
export function walk(ctx: WalkContext, start: { node: number; live: readonly number[]; settled: readonly number[]; valid: number }, stopAt: StopAt): Walked {
  const nodes: number[] = [];
  const valids: number[] = [];
  const lives: (readonly number[])[] = [];
  const settleds: (readonly number[])[] = [];
  const settledHashes: number[] = [];
  const parents: number[] = [];
  const named = new Int32Array(128);
  const anyChar: number[] = [];
  const order: number[] = [];
  // Reused for every step (add copies what it keeps): most steps lead to a node already walked.
  const stepped: Next = { node: OFF, live: [], settled: NONE, settledHash: 0 };
  const other: Next = { node: OFF, live: [], settled: NONE, settledHash: 0 };
  const chars: string[] = [];
  // Nodes off the trie by hash (validity, live sets, settled list), compared in full on a collision: no key strings.
  const seen = new Map<number, number | number[]>();
  const same = (at: number, valid: number, next: Next) =>
    valids[at] === valid &&
    nodes[at] === next.node &&
    sameList(lives[at]!, next.live) &&
    (settleds[at] === next.settled || sameList(settleds[at]!, next.settled));
  const kinds: Walked['kinds'] = [];
  const foundKinds = new Map<number, number | number[]>();
  const open: OpenNode[] = [];
  const path = (at: number) => {
    let out = '';
    for (let i = at; i > 0; i = parents[i]!) out = chars[i]! + out;
    return out;
  };
  const add = (valid: number, next: Next, parent: number, ch: string) => {
    // A node on the trie is reached by one string only (the trie's path to it), so it is new; only nodes off it repeat.
    if (next.node === OFF) {
      const hash = hashList(next.live, Math.imul(next.settledHash ^ valid, 16777619));
      const known = seen.get(hash);
      if (known !== undefined) {
        if (typeof known === 'number' ? same(known, valid, next) : known.some((at) => same(at, valid, next))) return;
        seen.set(hash, typeof known === 'number' ? [known, valids.length] : [...known, valids.length]);
      } else seen.set(hash, valids.length);
    }
    ctx.budget.spend(1);
    nodes.push(next.node);
    valids.push(valid);
    lives.push(next.live.length === 0 ? NONE : next.live.slice());
    settleds.push(next.settled);
    settledHashes.push(next.settledHash);
    parents.push(parent);
    chars.push(ch);
  };
  add(start.valid, { node: start.node, live: [...start.live], settled: start.settled, settledHash: hashList(start.settled, 0x811c9dc5) }, -1, '');
  for (let at = 0; at < valids.length; at += 1) {
    const node = nodes[at]!;
    const valid = valids[at]!;
    const live = lives[at]!;
    const settled = settleds[at]!;
    if (at > 0 && (stopAt === 'open' ? node === OFF && isOpen(ctx, live) : stopAt === 'settle' && settled.length > start.settled.length)) {
      open.push({ valid, live, settled, path: path(at) });
      continue;
    }
    if (ctx.validity.accepts(valid)) {
      const exact = node === OFF ? NONE : ctx.trie.exact(node);
      let ids: readonly number[] = settled;
      for (let i = 0; i < live.length; i += 2)
        if (ctx.machines[live[i]!]!.accepts(live[i + 1]!)) ids = ids === settled ? [...settled, live[i]!] : [...ids, live[i]!];
      if (exact.length > 0) ids = [...ids, ...exact];
      if (ids !== settled) ids = sortNumbers([...ids]);
      const hash = hashList(ids, 0x811c9dc5);
      const known = foundKinds.get(hash);
      const isNew = known === undefined || (typeof known === 'number' ? !sameList(kinds[known]!.ids, ids) : !known.some((k) => sameList(kinds[k]!.ids, ids)));
      if (isNew) {
        foundKinds.set(hash, known === undefined ? kinds.length : typeof known === 'number' ? [known, kinds.length] : [...known, kinds.length]);
        kinds.push({ ids: [...ids], path: path(at) });
      }
      // Longer names can only repeat this kind: nothing left to find below.
      if (node === OFF && live.length === 0) continue;
    }
    ctx.budget.spend(live.length / 2);
    const mark = at + 1;
    const byChar = route(ctx, node, live, named, mark, anyChar);
    const settledHash = settledHashes[at]!;
    let otherDone = false;
    const symbols = symbolsToTry(ctx, valid, named, mark, order);
    for (let k = 0; k < symbols.length; k += 1) {
      const symbol = symbols[k]!;
      const code = ctx.codes[symbol]!;
      const nextValid = ctx.validity.step(valid, code);
      if (named[code] === mark) {
        const waiting = byChar?.get(code);
        add(
          nextValid,
          step(ctx, node, live, settled, settledHash, code, !waiting ? anyChar : anyChar.length === 0 ? waiting : mergeSorted(anyChar, waiting), stepped),
          at,
          ctx.alphabet[symbol]!,
        );
      } else {
        if (!otherDone) {
          step(ctx, OFF, live, settled, settledHash, code, anyChar, other);
          otherDone = true;
        }
        add(nextValid, other, at, ctx.alphabet[symbol]!);
      }
    }
  }
  return { kinds, open };
}

/**
 * The symbols worth trying from a node, in alphabet order: every valid one
 * the trie or a live glob names, and of the others only the first per
 * validity step (the others lead to the very same node, later).
 */
function symbolsToTry(ctx: WalkContext, valid: number, named: Int32Array, mark: number, out: number[]): number[] {
  const groups = validityGroups(ctx, valid);
  out.length = 0;
  for (let g = 0; g < groups.length; g += 1) {
    const group = groups[g]!;
    let first = true;
    for (let k = 0; k < group.length; k += 1) {
      const symbol = group[k]!;
      if (named[ctx.codes[symbol]!] === mark) out.push(symbol);
      else if (first) {
        out.push(symbol);
        first = false;
      }
    }
  }
  return groups.length > 1 ? sortNumbers(out) : out;
}

function hashList(list: readonly number[], seed: number): number {
  let hash = seed | 0;
  for (let i = 0; i < list.length; i += 1) hash = Math.imul(hash ^ list[i]!, 16777619);
  return hash;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** [glob, set, …] pairs in glob order. */
function sortPairs(pairs: number[]): number[] {
  if (pairs.length <= 2) return pairs;
  const order: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) order.push([pairs[i]!, pairs[i + 1]!]);
  return order.sort((a, b) => a[0] - b[0]).flat();
}
