/**
 * One glob's automaton: sets of token positions, interned, with transitions
 * remembered per character. The walk (glob-walk.ts) reads the glob's literal
 * end through a trie shared by all globs and starts an automaton only at the
 * glob's last star. Automata are shared between calls (a compile runs the
 * walk more than once, and tests compile thousands of similar rule sets).
 */
export class GlobAutomaton {
  private readonly tokens: string[];
  private readonly sets: number[][] = [[]];
  private readonly ids = new Map<string, number>([['', 0]]);
  // One map keyed by set * 128 + character: a set is stepped on a few
  // characters only, and a row per set (many thousand per walk) would be
  // mostly empty.
  private readonly transitions = new Map<number, number>();
  private readonly accepting: boolean[] = [false];
  /** Per set: its one position when that is a literal (most sets: a name read letter by letter), else -1. */
  private readonly literalAt: number[] = [-1];
  /** Per position: the set of that position and the stars it skips, once interned. */
  private readonly fromPosition: number[] = [];
  readonly start: number;

  constructor(glob: string, reversed: boolean) {
    const tokens = [...glob];
    this.tokens = reversed ? tokens.reverse() : tokens;
    this.start = this.intern(this.closure([0]));
  }

  accepts(id: number): boolean {
    return this.accepting[id] === true;
  }

  /**
   * Whether the glob matches this string and every longer one: the last
   * token is a star and the set has reached it. (A set that is not dead can
   * always still go either way otherwise.)
   */
  matchesEveryExtension(id: number): boolean {
    const last = this.tokens.length - 1;
    return this.tokens[last] === '*' && this.sets[id]!.includes(last);
  }

  private readonly nextCache: ({ open: boolean; codes: readonly number[] } | undefined)[] = [];

  /**
   * How characters act on this set. `open`: a star is among its positions,
   * so every character keeps it alive. `codes`: the characters at its literal
   * positions; every other character acts alike (it kills the set, or leaves
   * only the stars). The walk steps a glob only on characters that can keep
   * it going, and steps once for all the characters no live glob names.
   */
  moves(id: number): { open: boolean; codes: readonly number[] } {
    let known = this.nextCache[id];
    if (known === undefined) {
      const positions = this.sets[id]!.filter((position) => position < this.tokens.length);
      const open = positions.some((position) => this.tokens[position] === '*');
      const codes = [...new Set(positions.filter((position) => this.tokens[position] !== '*').map((position) => this.tokens[position]!.charCodeAt(0)))];
      known = { open, codes };
      this.nextCache[id] = known;
    }
    return known;
  }

  /** `code` is the character's code, below 128 (host and port characters are ASCII). */
  step(id: number, code: number): number {
    if (id === 0) return 0;
    const at = this.literalAt[id]!;
    if (at >= 0) return this.tokens[at]!.charCodeAt(0) === code ? this.from(at + 1) : 0;
    const known = this.transitions.get(id * 128 + code);
    if (known !== undefined) return known;
    const ch = String.fromCharCode(code);
    const next: number[] = [];
    const set = this.sets[id]!;
    for (let k = 0; k < set.length; k += 1) {
      const position = set[k]!;
      const token = this.tokens[position];
      if (token === '*') next.push(position);
      else if (token === ch) next.push(position + 1);
    }
    const result = this.intern(this.closure(next));
    this.transitions.set(id * 128 + code, result);
    return result;
  }

  /** The set of one token position (with the stars after it skipped): where reading from there starts. */
  from(position: number): number {
    let id = this.fromPosition[position];
    if (id === undefined) {
      id = this.intern(this.closure([position]));
      this.fromPosition[position] = id;
    }
    return id;
  }

  private closure(positions: number[]): number[] {
    const out = new Set<number>();
    for (const start of positions) {
      let position = start;
      out.add(position);
      while (this.tokens[position] === '*') {
        position += 1;
        out.add(position);
      }
    }
    return [...out].sort((a, b) => a - b);
  }

  private intern(set: number[]): number {
    const key = set.join(',');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(set);
      this.ids.set(key, id);
      this.accepting.push(set.includes(this.tokens.length));
      const only = set.length === 1 ? set[0]! : -1;
      this.literalAt.push(only >= 0 && only < this.tokens.length && this.tokens[only] !== '*' ? only : -1);
    }
    return id;
  }
}

const automata = new Map<string, GlobAutomaton>();

export function automatonFor(glob: string, reversed: boolean): GlobAutomaton {
  const key = `${reversed ? 'r' : 'f'}${glob}`;
  let automaton = automata.get(key);
  if (!automaton) {
    if (automata.size >= 20_000) automata.clear();
    automaton = new GlobAutomaton(glob, reversed);
    automata.set(key, automaton);
  }
  return automaton;
}
