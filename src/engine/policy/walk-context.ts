/**
 * What the walk (glob-walk.ts) works with: the globs' literal ends as one
 * trie, the automata of what follows them, the name alphabet and validity,
 * and a bound on the work.
 */
import { automatonFor, type GlobAutomaton } from './glob-automaton';
import type { Tabled } from './name-validity';

export class SpaceTooLargeError extends Error {}

/**
 * What a kind of host found costs, in steps. A node and its undecided globs
 * are let go when their walk ends, but every kind found is kept to the end,
 * with its globs and its witness: rule sets whose globs leave much open
 * inside a name (`*x*.d`, which multiply the kinds with every such glob)
 * would otherwise fill hundreds of megabytes before the bound.
 */
export const KIND_STEPS = 4;

/**
 * A bound on the work of one space, so that a rule set too large to check
 * exactly fails soon and in little memory: a node costs one step plus one per
 * glob it keeps undecided, a kind KIND_STEPS.
 */
export class Budget {
  private left: number;

  constructor(private readonly max: number) {
    this.left = max;
  }

  spend(steps: number): void {
    this.left -= steps;
    if (this.left < 0) throw new SpaceTooLargeError(`more than ${this.max} steps`);
  }

  get used(): number {
    return this.max - this.left;
  }
}

/**
 * The globs' literal ends, read in walk direction, as one trie. It is built
 * from the ends in sorted order, so every node is made once and its children
 * in code order, and kept as flat arrays (first child, next sibling): the
 * walk reads every node of it, and with tens of thousands of long names a
 * node per map entry cost more than the walk itself.
 */
class Trie {
  /** Per node: the character code of the edge into it, its first child and its next sibling (-1 for none). */
  private readonly code: number[] = [0];
  private readonly firstChild: number[] = [-1];
  private readonly nextSibling: number[] = [-1];
  /** The globs without a star whose whole text ends at a node. */
  private readonly exactAt = new Map<number, number[]>();
  /** The globs whose literal end ends at a node (their rest starts there). */
  private readonly armedAt = new Map<number, number[]>();

  /** `ends[g]`: glob g's literal end in walk direction; `armed[g]`: whether a rest (a star) follows it. */
  constructor(ends: readonly string[] = [], armed: readonly boolean[] = []) {
    const order = ends.map((_, g) => g).sort((a, b) => (ends[a]! < ends[b]! ? -1 : ends[a]! > ends[b]! ? 1 : a - b));
    // The path from the root to the node of the last end inserted: path[d] is the node at depth d.
    const path = [0];
    let last = '';
    for (const g of order) {
      const end = ends[g]!;
      let shared = 0;
      while (shared < end.length && shared < last.length && end.charCodeAt(shared) === last.charCodeAt(shared)) shared += 1;
      path.length = shared + 1;
      for (let d = shared; d < end.length; d += 1) path.push(this.addChild(path[d]!, end.charCodeAt(d)));
      const at = armed[g] ? this.armedAt : this.exactAt;
      const node = path[end.length]!;
      const list = at.get(node);
      if (list) list.push(g);
      else at.set(node, [g]);
      last = end;
    }
  }

  /** A new last child: the ends come sorted, so it follows its siblings in code order. */
  private addChild(parent: number, code: number): number {
    const node = this.code.length;
    this.code.push(code);
    this.firstChild.push(-1);
    this.nextSibling.push(-1);
    let sibling = this.firstChild[parent]!;
    if (sibling < 0) this.firstChild[parent] = node;
    else {
      while (this.nextSibling[sibling]! >= 0) sibling = this.nextSibling[sibling]!;
      this.nextSibling[sibling] = node;
    }
    return node;
  }

  child(node: number, code: number): number | undefined {
    for (let child = this.firstChild[node]!; child >= 0; child = this.nextSibling[child]!) if (this.code[child] === code) return child;
    return undefined;
  }

  /** Sets `named[code] = mark` for the code of every child of a node. */
  markCodes(node: number, named: Int32Array, mark: number): void {
    for (let child = this.firstChild[node]!; child >= 0; child = this.nextSibling[child]!) named[this.code[child]!] = mark;
  }

  exact(node: number): readonly number[] {
    return this.exactAt.get(node) ?? NONE;
  }

  armed(node: number): readonly number[] {
    return this.armedAt.get(node) ?? NONE;
  }

  /** Whether anything can still be read through the node: a child, or a glob ending there. */
  leadsOn(node: number): boolean {
    return this.firstChild[node]! >= 0 || this.exactAt.has(node);
  }
}

export const NONE: readonly number[] = [];

export const OFF = -1;

export interface WalkContext {
  /** Per glob with a star: the automaton of its rest (remainderOf), which starts when the trie has read its literal end. */
  machines: readonly (GlobAutomaton | undefined)[];
  trie: Trie;
  alphabet: readonly string[];
  codes: readonly number[];
  validity: Tabled;
  /** Work still allowed across every walk of one space. */
  budget: Budget;
  /** Per validity state: the valid symbols grouped by where they lead. */
  groups: (readonly (readonly number[])[] | undefined)[];
}

export function walkContext(globs: readonly string[], reversed: boolean, alphabet: readonly string[], validity: Tabled, maxSteps: number): WalkContext {
  // A glob's literal end: the text after its last star (before its first, read forwards), in walk direction.
  const ends = globs.map((glob) => {
    if (!reversed) return glob.includes('*') ? glob.slice(0, glob.indexOf('*')) : glob;
    let end = '';
    for (let i = glob.length - 1; i >= 0 && glob[i] !== '*'; i -= 1) end += glob[i];
    return end;
  });
  const trie = new Trie(
    ends,
    globs.map((glob) => glob.includes('*')),
  );
  const machines = globs.map((glob) => (glob.includes('*') ? automatonFor(remainderOf(glob, reversed), reversed) : undefined));
  return { machines, trie, alphabet, codes: alphabet.map((ch) => ch.charCodeAt(0)), validity, budget: new Budget(maxSteps), groups: [] };
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
  return { ...ctx, machines, trie: new Trie() };
}

/** The valid symbols from a validity state, grouped by the state they lead to (cached per context's alphabet). */
export function validityGroups(ctx: WalkContext, valid: number): readonly (readonly number[])[] {
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

/**
 * Sorts numbers in place, ascending. The walk sorts many short lists (a
 * node's settled globs, a kind's globs, the symbols to try); an insertion
 * sort on them allocates nothing, where Array#sort with a comparator does.
 */
export function sortNumbers(list: number[]): number[] {
  if (list.length > 32) return list.sort((a, b) => a - b);
  for (let i = 1; i < list.length; i += 1) {
    const value = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]! > value) {
      list[j + 1] = list[j]!;
      j -= 1;
    }
    list[j + 1] = value;
  }
  return list;
}
