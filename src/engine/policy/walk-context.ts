/**
 * What the walk (glob-walk.ts) works with: the globs' literal ends as one
 * trie, the automata of what follows them, the name alphabet and validity,
 * and a bound on the work.
 */
import { automatonFor, type GlobAutomaton } from './glob-automaton';
import type { Tabled } from './name-validity';

export class SpaceTooLargeError extends Error {}

/**
 * A bound on the work of one space, so that a rule set too large to check
 * exactly fails soon and in little memory: a node costs one step plus one per
 * glob it keeps undecided, a kind one step.
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

/** The globs' literal ends, read in walk direction, as one trie (flat: one map for every edge, lists only where there is something). */
class Trie {
  /** node * 128 + character code → child. */
  private readonly edges = new Map<number, number>();
  /** Per node: the characters it has children for. */
  readonly codes: number[][] = [[]];
  /** The globs without a star whose whole text ends at a node. */
  private readonly exactAt = new Map<number, number[]>();
  /** The globs whose literal end ends at a node (their rest starts there). */
  private readonly armedAt = new Map<number, number[]>();

  child(node: number, code: number): number | undefined {
    return this.edges.get(node * 128 + code);
  }

  exact(node: number): readonly number[] {
    return this.exactAt.get(node) ?? NONE;
  }

  armed(node: number): readonly number[] {
    return this.armedAt.get(node) ?? NONE;
  }

  /** Whether anything can still be read through the node: a child, or a glob ending there. */
  leadsOn(node: number): boolean {
    return this.codes[node]!.length > 0 || this.exactAt.has(node);
  }

  insert(tokens: readonly string[], glob: number, armed: boolean): void {
    let node = 0;
    for (const token of tokens) {
      const code = token.charCodeAt(0);
      let next = this.child(node, code);
      if (next === undefined) {
        next = this.codes.length;
        this.codes.push([]);
        this.codes[node]!.push(code);
        this.edges.set(node * 128 + code, next);
      }
      node = next;
    }
    const at = armed ? this.armedAt : this.exactAt;
    const list = at.get(node);
    if (list) list.push(glob);
    else at.set(node, [glob]);
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
  const trie = new Trie();
  globs.forEach((glob, g) => {
    const tokens = reversed ? [...glob].reverse() : [...glob];
    const star = tokens.indexOf('*');
    trie.insert(star < 0 ? tokens : tokens.slice(0, star), g, star >= 0);
  });
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
