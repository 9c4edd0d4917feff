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
import { automatonFor } from './glob-automaton';
import { DIGITS, HOST_CLASSES, HOST_VALIDITY, PORT_VALIDITY, type Tabled } from '../../../../src/engine/policy/name-validity';

export interface SpaceType {
  witness: string;
  /** matches[i]: whether globs[i] matches the witness (and every string of this type). */
  matches: boolean[];
}

export class SpaceTooLargeError extends Error {}

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
