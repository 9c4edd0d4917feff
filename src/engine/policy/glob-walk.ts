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
import { automatonFor, type GlobAutomaton } from './glob-automaton';
import type { Tabled } from './name-validity';

export class SpaceTooLargeError extends Error {}

/** The globs' literal ends, read in walk direction, as one trie. */
interface Trie {
  children: Map<number, number>[];
  /** Per node: the globs without a star whose whole text ends there. */
  exact: number[][];
  /** Per node: the globs whose literal end ends there (their rest starts there). */
  armed: number[][];
}

export interface WalkContext {
  /** Per glob with a star: the automaton of its rest (remainderOf), which starts when the trie has read its literal end. */
  machines: readonly (GlobAutomaton | undefined)[];
  trie: Trie;
  alphabet: readonly string[];
  codes: readonly number[];
  validity: Tabled;
  /** States still allowed across every walk of one space. */
  budget: { left: number; max: number };
  /** Per validity state: the valid symbols grouped by where they lead. */
  groups: (readonly (readonly number[])[] | undefined)[];
}

export { OFF as OFF_TRIE };

export function walkContext(globs: readonly string[], reversed: boolean, alphabet: readonly string[], validity: Tabled, maxStates: number): WalkContext {
  const trie: Trie = { children: [new Map()], exact: [[]], armed: [[]] };
  globs.forEach((glob, g) => {
    const tokens = reversed ? [...glob].reverse() : [...glob];
    const star = tokens.indexOf('*');
    let node = 0;
    for (const token of star < 0 ? tokens : tokens.slice(0, star)) {
      const code = token.charCodeAt(0);
      let next = trie.children[node]!.get(code);
      if (next === undefined) {
        next = trie.children.length;
        trie.children.push(new Map());
        trie.exact.push([]);
        trie.armed.push([]);
        trie.children[node]!.set(code, next);
      }
      node = next;
    }
    if (star < 0) trie.exact[node]!.push(g);
    else trie.armed[node]!.push(g);
  });
  const machines = globs.map((glob) => (glob.includes('*') ? automatonFor(remainderOf(glob, reversed), reversed) : undefined));
  return { machines, trie, alphabet, codes: alphabet.map((ch) => ch.charCodeAt(0)), validity, budget: { left: maxStates, max: maxStates }, groups: [] };
}

/**
 * What is left of a glob with a star once its literal end is read: from its
 * first token to its last star (read right to left), or from its first star
 * on. Globs with the same rest behave alike from there, whatever their end.
 */
export function remainderOf(glob: string, reversed: boolean): string {
  return reversed ? glob.slice(0, glob.lastIndexOf('*') + 1) : glob.slice(glob.indexOf('*'));
}

/** A context for walking the rest of some globs only, by slot: no trie, the same alphabet, validity and budget. */
export function slotContext(ctx: WalkContext, machines: readonly GlobAutomaton[]): WalkContext {
  return { ...ctx, machines, trie: { children: [new Map()], exact: [[]], armed: [[]] } };
}

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
  /** With stopAtOpen, the open nodes the walk stopped at instead of going on. */
  open: OpenNode[];
}

const OFF = -1;

/** Starts the globs whose literal end ends at a trie node; returns the node to keep (OFF when nothing more can be read through it). */
function arrive(ctx: WalkContext, node: number, live: number[], settled: number[]): number {
  const { trie } = ctx;
  for (const glob of trie.armed[node]!) {
    const machine = ctx.machines[glob]!;
    const set = machine.start;
    if (machine.matchesEveryExtension(set)) settled.push(glob);
    else if (set !== 0) live.push(glob, set);
  }
  return trie.children[node]!.size > 0 || trie.exact[node]!.length > 0 ? node : OFF;
}

/** The root: the globs with nothing after their last star start at once. */
export function startNode(ctx: WalkContext): { node: number; live: number[]; settled: number[]; valid: number } {
  const live: number[] = [];
  const settled: number[] = [];
  const node = arrive(ctx, 0, live, settled);
  return { node, live: sortPairs(live), settled: settled.sort((a, b) => a - b), valid: ctx.validity.start };
}

const isOpen = (ctx: WalkContext, live: readonly number[]) => {
  for (let i = 0; i < live.length; i += 2) if (!ctx.machines[live[i]!]!.moves(live[i + 1]!).open) return false;
  return true;
};

/**
 * Live pairs any character keeps going (open), and per character those
 * waiting for it; `named` holds every character the trie node or a live glob
 * names. All characters outside `named` act alike.
 */
function route(ctx: WalkContext, node: number, live: readonly number[]): { anyChar: number[]; byChar: Map<number, number[]>; named: Set<number> } {
  const anyChar: number[] = [];
  const byChar = new Map<number, number[]>();
  const named = new Set<number>(node === OFF ? [] : ctx.trie.children[node]!.keys());
  for (let i = 0; i < live.length; i += 2) {
    const moves = ctx.machines[live[i]!]!.moves(live[i + 1]!);
    if (moves.open) anyChar.push(i);
    for (const code of moves.codes) {
      named.add(code);
      if (moves.open) continue;
      const list = byChar.get(code);
      if (list) list.push(i);
      else byChar.set(code, [i]);
    }
  }
  return { anyChar, byChar, named };
}

interface Next {
  node: number;
  live: number[];
  settled: readonly number[];
  /** The key of everything but validity. */
  tail: string;
}

/** One character from a node: the trie moves on (or off), live globs `only` lists step, and globs whose literal end is now read start. */
function step(ctx: WalkContext, node: number, live: readonly number[], settledBefore: readonly number[], code: number, only: readonly number[]): Next {
  const next: number[] = [];
  const settled: number[] = [];
  for (const i of only) {
    const glob = live[i]!;
    const machine = ctx.machines[glob]!;
    const set = machine.step(live[i + 1]!, code);
    if (set === 0) continue;
    if (machine.matchesEveryExtension(set)) settled.push(glob);
    else next.push(glob, set);
  }
  const child = node === OFF ? undefined : ctx.trie.children[node]!.get(code);
  let nextNode = OFF;
  let started = false;
  if (child !== undefined) {
    const before = next.length + settled.length;
    nextNode = arrive(ctx, child, next, settled);
    started = next.length + settled.length > before;
  }
  const nextLive = started ? sortPairs(next) : next;
  const nextSettled = settled.length === 0 ? settledBefore : [...settledBefore, ...settled].sort((a, b) => a - b);
  return { node: nextNode, live: nextLive, settled: nextSettled, tail: `|${nextNode}|${nextLive.join(',')}|${nextSettled.join(',')}` };
}

/**
 * Walks from one node. With `stopAtOpen`, open nodes other than the start
 * are recorded and not walked further; their futures are walked once each
 * (glob-space.ts) and shared by every string that reaches them.
 */
export function walk(ctx: WalkContext, start: { node: number; live: readonly number[]; settled: readonly number[]; valid: number }, stopAtOpen: boolean): Walked {
  const nodes: number[] = [];
  const valids: number[] = [];
  const lives: (readonly number[])[] = [];
  const settleds: (readonly number[])[] = [];
  const parents: number[] = [];
  const chars: string[] = [];
  const seen = new Set<string>();
  const kinds: Walked['kinds'] = [];
  const foundKinds = new Set<string>();
  const open: OpenNode[] = [];
  const path = (at: number) => {
    const out: string[] = [];
    for (let i = at; i > 0; i = parents[i]!) out.push(chars[i]!);
    return out.reverse().join('');
  };
  const add = (valid: number, next: Next, parent: number, ch: string) => {
    const key = `${valid}${next.tail}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (ctx.budget.left <= 0) throw new SpaceTooLargeError(`more than ${ctx.budget.max} states`);
    ctx.budget.left -= 1;
    nodes.push(next.node);
    valids.push(valid);
    lives.push(next.live);
    settleds.push(next.settled);
    parents.push(parent);
    chars.push(ch);
  };
  add(start.valid, { node: start.node, live: [...start.live], settled: start.settled, tail: '' }, -1, '');
  for (let at = 0; at < valids.length; at += 1) {
    const node = nodes[at]!;
    const valid = valids[at]!;
    const live = lives[at]!;
    const settled = settleds[at]!;
    if (stopAtOpen && at > 0 && node === OFF && isOpen(ctx, live)) {
      open.push({ valid, live, settled, path: path(at) });
      continue;
    }
    if (ctx.validity.accepts(valid)) {
      const ids = node === OFF ? [...settled] : [...settled, ...ctx.trie.exact[node]!];
      for (let i = 0; i < live.length; i += 2) if (ctx.machines[live[i]!]!.accepts(live[i + 1]!)) ids.push(live[i]!);
      ids.sort((a, b) => a - b);
      const key = ids.join(',');
      if (!foundKinds.has(key)) {
        foundKinds.add(key);
        kinds.push({ ids, path: path(at) });
      }
      // Longer names can only repeat this kind: nothing left to find below.
      if (node === OFF && live.length === 0) continue;
    }
    const { anyChar, byChar, named } = route(ctx, node, live);
    let other: Next | null = null;
    for (const symbol of symbolsToTry(ctx, valid, named)) {
      const code = ctx.codes[symbol]!;
      const nextValid = ctx.validity.step(valid, code);
      if (named.has(code)) {
        const waiting = byChar.get(code);
        add(nextValid, step(ctx, node, live, settled, code, waiting ? mergeSorted(anyChar, waiting) : anyChar), at, ctx.alphabet[symbol]!);
      } else {
        other ??= step(ctx, OFF, live, settled, code, anyChar);
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
function symbolsToTry(ctx: WalkContext, valid: number, named: ReadonlySet<number>): number[] {
  const groups = validityGroups(ctx, valid);
  const out: number[] = [];
  for (const group of groups) {
    let first = true;
    for (const symbol of group) {
      if (named.has(ctx.codes[symbol]!)) out.push(symbol);
      else if (first) {
        out.push(symbol);
        first = false;
      }
    }
  }
  return groups.length > 1 ? out.sort((a, b) => a - b) : out;
}

/** The valid symbols from a validity state, grouped by the state they lead to (cached per context's alphabet). */
function validityGroups(ctx: WalkContext, valid: number): readonly (readonly number[])[] {
  let groups = ctx.groups[valid];
  if (!groups) {
    const byNext = new Map<number, number[]>();
    ctx.codes.forEach((code, symbol) => {
      const next = ctx.validity.step(valid, code);
      if (next < 0) return;
      const list = byNext.get(next);
      if (list) list.push(symbol);
      else byNext.set(next, [symbol]);
    });
    groups = [...byNext.values()];
    ctx.groups[valid] = groups;
  }
  return groups;
}

/** [glob, set, …] pairs in glob order. */
function sortPairs(pairs: number[]): number[] {
  if (pairs.length <= 2) return pairs;
  const order: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) order.push([pairs[i]!, pairs[i + 1]!]);
  return order.sort((a, b) => a[0] - b[0]).flat();
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
