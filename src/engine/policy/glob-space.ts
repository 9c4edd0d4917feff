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
import { OFF_TRIE, remainderOf, slotContext, SpaceTooLargeError, startNode, walk, walkContext, type Walked } from './glob-walk';
import { DIGITS, HOST_CLASSES, HOST_VALIDITY, PORT_VALIDITY, type Tabled } from './name-validity';

export interface SpaceType {
  witness: string;
  /** The indexes of the globs that match the witness (and every string of this type), ascending. */
  matches: readonly number[];
}

export { SpaceTooLargeError } from './glob-walk';

/**
 * The walk stops where only open globs are left undecided (after a region's
 * literal names, typically: `mail*.d` or `*.x.*.d` past `.d`, or nothing at
 * all). Such a node's future depends on its validity and live sets only, so
 * it is walked once however many regions reach it, and its kinds are joined
 * with each region's settled globs. A kind's witness is the least of
 * region path + future path, which is the least string of that kind: the
 * same witnesses, in the same order, as one walk over everything.
 */
function explore(globs: readonly string[], reversed: boolean, alphabet: readonly string[], validity: Tabled, maxStates: number): SpaceType[] {
  const ctx = walkContext(globs, reversed, alphabet, validity, maxStates);
  const rank = new Map(alphabet.map((ch, i) => [ch, i]));
  const before = (a: string, b: string) => {
    if (a.length !== b.length) return a.length < b.length;
    for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return rank.get(a[i]!)! < rank.get(b[i]!)!;
    return false;
  };
  const best = new Map<string, { ids: number[]; path: string }>();
  const offer = (ids: number[], path: string) => {
    const key = ids.join(',');
    const known = best.get(key);
    if (!known) {
      if (best.size >= maxStates) throw new SpaceTooLargeError(`more than ${maxStates} kinds`);
      best.set(key, { ids, path });
    } else if (before(path, known.path)) known.path = path;
  };
  const main = walk(ctx, startNode(ctx), true);
  const mainStates = maxStates - ctx.budget.left;
  for (const kind of main.kinds) offer(kind.ids, kind.path);
  // Futures by the rests still undecided, not by which globs they belong to: `*.x.*.a.com` past `.a.com` and `*.x.*.b.com` past `.b.com` share one.
  const futures = new Map<string, Walked['kinds']>();
  for (const node of main.open) {
    const slots: { glob: number; rest: string; set: number }[] = [];
    for (let i = 0; i < node.live.length; i += 2) slots.push({ glob: node.live[i]!, rest: remainderOf(globs[node.live[i]!]!, reversed), set: node.live[i + 1]! });
    slots.sort((a, b) => (a.rest < b.rest ? -1 : a.rest > b.rest ? 1 : a.set - b.set));
    const key = `${node.valid}|${slots.map((slot) => `${slot.rest}:${slot.set}`).join('|')}`;
    let future = futures.get(key);
    if (!future) {
      const slotCtx = slotContext(
        ctx,
        slots.map((slot) => ctx.machines[slot.glob]!),
      );
      future = walk(slotCtx, { node: OFF_TRIE, live: slots.flatMap((slot, i) => [i, slot.set]), settled: [], valid: node.valid }, false).kinds;
      futures.set(key, future);
    }
    for (const kind of future) offer(mergeIds(node.settled, kind.ids.map((slot) => slots[slot]!.glob).sort((a, b) => a - b)), node.path + kind.path);
  }
  if (process.env.DBG) console.error('states', maxStates - ctx.budget.left, 'main', mainStates, 'mainKinds', main.kinds.length, 'open', main.open.length, 'futures', futures.size, 'kinds', best.size);
  return [...best.values()]
    .sort((a, b) => (before(a.path, b.path) ? -1 : before(b.path, a.path) ? 1 : 0))
    .map(({ ids, path }) => ({ witness: reversed ? [...path].reverse().join('') : path, matches: ids }));
}

/** Two ascending lists of distinct globs as one. */
function mergeIds(a: readonly number[], b: readonly number[]): number[] {
  if (a.length === 0) return b as number[];
  if (b.length === 0) return a as number[];
  return [...a, ...b].sort((x, y) => x - y);
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
