/**
 * Enumerates every way a host (or port) can relate to a set of `*`-globs: the
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
export interface SpaceType {
  witness: string;
  /** matches[i]: whether globs[i] matches the witness (and every string of this type). */
  matches: boolean[];
}

export class SpaceTooLargeError extends Error {}

interface Validity {
  start: string;
  step(state: string, ch: string): string | null;
  accept(state: string): boolean;
}

/**
 * One glob's automaton: sets of token positions, interned, with transitions
 * remembered per character. Automata are shared between calls (a compile runs
 * the walk more than once, and tests compile thousands of similar rule sets).
 */
class GlobAutomaton {
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

function automatonFor(glob: string, reversed: boolean): GlobAutomaton {
  const key = `${reversed ? 'r' : 'f'}${glob}`;
  let automaton = automata.get(key);
  if (!automaton) {
    if (automata.size >= 20_000) automata.clear();
    automaton = new GlobAutomaton(glob, reversed);
    automata.set(key, automaton);
  }
  return automaton;
}

/** A validity automaton with its states numbered and transitions tabled, shared across calls. */
class Tabled {
  private readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly rows: Int32Array[] = [];
  private readonly accepting: boolean[] = [];
  readonly start: number;

  constructor(private readonly validity: Validity) {
    this.start = this.intern(validity.start);
  }

  private intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
      this.rows.push(new Int32Array(128).fill(-2));
      this.accepting.push(this.validity.accept(name));
    }
    return id;
  }

  accepts(id: number): boolean {
    return this.accepting[id] === true;
  }

  /** Next state, or -1 when the character makes the name invalid. */
  step(id: number, code: number): number {
    const row = this.rows[id]!;
    let next = row[code]!;
    if (next === -2) {
      const name = this.validity.step(this.names[id]!, String.fromCharCode(code));
      next = name === null ? -1 : this.intern(name);
      row[code] = next;
    }
    return next;
  }
}

/**
 * The walk keeps, per node, only the globs still undecided: a glob whose set is
 * dead is left out, and one that can no longer change (absorbing) is kept in a
 * list of settled matches. Deep in a name most globs are one or the other, so
 * a step costs what is still undecided, not the number of globs.
 */
function explore(globs: readonly string[], reversed: boolean, alphabet: readonly string[], validity: Tabled, maxStates: number): SpaceType[] {
  const machines = globs.map((glob) => automatonFor(glob, reversed));
  const count = machines.length;
  const codes = alphabet.map((ch) => ch.charCodeAt(0));
  // live: [glob, set, glob, set, …] in glob order; settled: globs that match whatever follows.
  const valids: number[] = [];
  const lives: Int32Array[] = [];
  const settleds: Int32Array[] = [];
  const parents: number[] = [];
  const chars: string[] = [];
  const seen = new Set<string>();
  const types = new Map<string, SpaceType>();

  const add = (valid: number, live: number[], settled: Int32Array, parent: number, ch: string) => {
    const key = `${valid}|${live.join(',')}|${settled.join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (valids.length >= maxStates) throw new SpaceTooLargeError(`more than ${maxStates} states`);
    valids.push(valid);
    lives.push(Int32Array.from(live));
    settleds.push(settled);
    parents.push(parent);
    chars.push(ch);
  };

  /** Sorts (glob, set) into live and settled; `code` < 0 keeps the sets, else steps them first. */
  const advance = (globsAndSets: ArrayLike<number>, code: number, settledBefore: Int32Array): [number[], Int32Array] => {
    const live: number[] = [];
    let settled: number[] | null = null;
    for (let i = 0; i < globsAndSets.length; i += 2) {
      const glob = globsAndSets[i]!;
      const machine = machines[glob]!;
      const set = code < 0 ? globsAndSets[i + 1]! : machine.step(globsAndSets[i + 1]!, code);
      if (set === 0) continue;
      if (machine.absorbing(set)) {
        if (machine.accepts(set)) (settled ??= [...settledBefore]).push(glob);
        continue;
      }
      live.push(glob, set);
    }
    return [live, settled ? Int32Array.from(settled.sort((a, b) => a - b)) : settledBefore];
  };

  const [rootLive, rootSettled] = advance(
    machines.flatMap((machine, glob) => [glob, machine.start]),
    -1,
    new Int32Array(0),
  );
  add(validity.start, rootLive, rootSettled, -1, '');

  for (let at = 0; at < valids.length; at += 1) {
    const valid = valids[at]!;
    const live = lives[at]!;
    const settled = settleds[at]!;
    if (validity.accepts(valid)) {
      const matches: boolean[] = new Array<boolean>(count).fill(false);
      for (const glob of settled) matches[glob] = true;
      for (let i = 0; i < live.length; i += 2) if (machines[live[i]!]!.accepts(live[i + 1]!)) matches[live[i]!] = true;
      const key = matches.map((match) => (match ? '1' : '0')).join('');
      if (!types.has(key)) types.set(key, { witness: spell(parents, chars, at, reversed), matches });
      // Longer names can only repeat this kind: nothing left to find below.
      if (live.length === 0) continue;
    }
    for (let symbol = 0; symbol < alphabet.length; symbol += 1) {
      const code = codes[symbol]!;
      const nextValid = validity.step(valid, code);
      if (nextValid < 0) continue;
      const [nextLive, nextSettled] = advance(live, code, settled);
      add(nextValid, nextLive, nextSettled, at, alphabet[symbol]!);
    }
  }
  return [...types.values()];
}

function spell(parents: readonly number[], chars: readonly string[], at: number, reversed: boolean): string {
  const out: string[] = [];
  for (let i = at; i > 0; i = parents[i]!) out.push(chars[i]!);
  // Walking parents yields the characters last-read first.
  return reversed ? out.join('') : out.reverse().join('');
}

const DIGITS = '0123456789';
const HEX_LETTERS = 'abcdef';
/**
 * Host characters grouped by how the name automaton treats them (domain label
 * classes; IPv4 digit ranges 0 | 1 | 2 | 3–4 | 5 | 6–9 read backwards),
 * readable letters first.
 */
const HOST_CLASSES = ['x', 'qzjkwvyutsrponmlihg-_', 'abcdef', '0', '1', '2', '34', '5', '6789', '.'];
const HOST_CHAR = /^[a-z0-9\-_]$/;

/**
 * Valid host names read right to left: a domain name (non-empty labels, last
 * label neither all digits nor `0x`+hex: the URL parser would treat it as a
 * number) or a canonical IPv4 address (four decimal labels 0–255 without
 * leading zeros).
 */
const HOST_VALIDITY = new Tabled({
  start: 'Fs0|I0000',
  step(state, ch) {
    const [domain = 'x', ip = 'x'] = state.split('|');
    const nextDomain = domain === 'x' ? 'x' : domainStep(domain, ch);
    const nextIp = ip === 'x' ? 'x' : ipv4Step(ip, ch);
    if (nextDomain === 'x' && nextIp === 'x') return null;
    return `${nextDomain}|${nextIp}`;
  },
  accept(state) {
    const [domain = 'x', ip = 'x'] = state.split('|');
    return domainAccepts(domain) || ipv4Accepts(ip);
  },
});

// Domain state: 'F' + class + length flag while reading the last label, 'R' + length flag after it.
// Classes: s start, d all digits, h hex digits, X "x"+hex (read backwards), Z "0x"+hex, o other.
function domainStep(state: string, ch: string): string {
  const inFirst = state[0] === 'F';
  const length = state[state.length - 1];
  if (ch === '.') {
    if (length === '0') return 'x';
    if (inFirst && (state[1] === 'd' || state[1] === 'Z')) return 'x';
    return 'R0';
  }
  if (!HOST_CHAR.test(ch)) return 'x';
  if (!inFirst) return 'R1';
  return `F${nextClass(state[1] ?? 's', ch)}1`;
}

function nextClass(cls: string, ch: string): string {
  const digit = DIGITS.includes(ch);
  const hex = digit || HEX_LETTERS.includes(ch);
  switch (cls) {
    case 's':
    case 'd':
      if (digit) return 'd';
      if (hex) return 'h';
      return ch === 'x' ? 'X' : 'o';
    case 'h':
      if (hex) return 'h';
      return ch === 'x' ? 'X' : 'o';
    case 'X':
      return ch === '0' ? 'Z' : 'o';
    default:
      return 'o';
  }
}

function domainAccepts(state: string): boolean {
  if (state === 'x' || state.endsWith('0')) return false;
  return state[0] === 'R' || (state[1] !== 'd' && state[1] !== 'Z');
}

// IPv4 state: 'I' + completed labels + digits in the current label + flag + last digit read was 0.
// Read backwards, the flag after one digit is "ones ≤ 5", after two "last two digits ≤ 55".
function ipv4Step(state: string, ch: string): string {
  const labels = Number(state[1]);
  const length = Number(state[2]);
  const flag = state[3] === '1';
  const lastZero = state[4] === '1';
  if (ch === '.') {
    if (length === 0 || labels === 3) return 'x';
    if (length >= 2 && lastZero) return 'x';
    return `I${labels + 1}000`;
  }
  if (!DIGITS.includes(ch)) return 'x';
  const digit = Number(ch);
  if (length === 0) return `I${labels}1${digit <= 5 ? 1 : 0}${digit === 0 ? 1 : 0}`;
  if (length === 1) return `I${labels}2${digit < 5 || (digit === 5 && flag) ? 1 : 0}${digit === 0 ? 1 : 0}`;
  if (length === 2) return digit === 1 || (digit === 2 && flag) ? `I${labels}300` : 'x';
  return 'x';
}

function ipv4Accepts(state: string): boolean {
  if (state === 'x') return false;
  const length = Number(state[2]);
  return state[1] === '3' && length >= 1 && !(length >= 2 && state[4] === '1');
}

/** Decimal ports 1–65535 without leading zeros, read left to right; the flag compares with 65535. */
const PORT_VALIDITY = new Tabled({
  start: '0e',
  step(state, ch) {
    if (!DIGITS.includes(ch)) return null;
    const length = Number(state[0]);
    if (length === 0 && ch === '0') return null;
    if (length === 5) return null;
    let cmp = state[1] ?? 'e';
    if (cmp === 'e') {
      const limit = '65535'[length] ?? '0';
      cmp = ch < limit ? 'l' : ch > limit ? 'g' : 'e';
    }
    return `${length + 1}${cmp}`;
  },
  accept(state) {
    const length = Number(state[0]);
    return length >= 1 && !(length === 5 && state[1] === 'g');
  },
});

export interface ExploreOptions {
  maxStates?: number;
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
  return explore(globs, true, [...alphabet], HOST_VALIDITY, options.maxStates ?? 200_000);
}

/** Every kind of port (1–65535) with respect to `globs`. */
export function portTypes(globs: readonly string[], options: ExploreOptions = {}): SpaceType[] {
  return explore(globs, false, [...DIGITS], PORT_VALIDITY, options.maxStates ?? 200_000);
}
