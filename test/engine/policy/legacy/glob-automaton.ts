/**
 * One glob's automaton: sets of token positions, interned, with transitions
 * remembered per character. Automata are shared between calls (a compile runs
 * the walk more than once, and tests compile thousands of similar rule sets).
 */
export class GlobAutomaton {
  private readonly tokens: string[];
  private readonly sets: number[][] = [[]];
  private readonly ids = new Map<string, number>([['', 0]]);
  private readonly transitions: Int32Array[] = [];
  private readonly accepting: boolean[] = [false];
  readonly start: number;

  constructor(glob: string, reversed: boolean) {
    const tokens = [...glob];
    this.tokens = reversed ? tokens.reverse() : tokens;
    this.start = this.intern(this.closure([0]));
  }

  accepts(id: number): boolean {
    return this.accepting[id] === true;
  }

  private readonly absorbingCache: (boolean | undefined)[] = [];

  /** Whether no further character can change this set (dead, or past the last literal behind a star). */
  absorbing(id: number): boolean {
    let known = this.absorbingCache[id];
    if (known === undefined) {
      // Characters outside the glob's literals all act alike: one stands for them.
      const codes = [1, ...new Set(this.tokens.filter((token) => token !== '*').map((token) => token.charCodeAt(0)))];
      known = codes.every((code) => this.step(id, code) === id);
      this.absorbingCache[id] = known;
    }
    return known;
  }

  /** `code` is the character's code, below 128 (host and port characters are ASCII). */
  step(id: number, code: number): number {
    if (id === 0) return 0;
    let row = this.transitions[id];
    if (!row) {
      row = new Int32Array(128).fill(-1);
      this.transitions[id] = row;
    }
    const known = row[code]!;
    if (known >= 0) return known;
    const ch = String.fromCharCode(code);
    const next: number[] = [];
    for (const position of this.sets[id]!) {
      const token = this.tokens[position];
      if (token === '*') next.push(position);
      else if (token === ch) next.push(position + 1);
    }
    const result = this.intern(this.closure(next));
    row[code] = result;
    return result;
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
