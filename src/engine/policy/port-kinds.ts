/**
 * Every kind of port (1–65535) with respect to a set of port globs: the
 * distinct vectors "which globs match", each with its least port as witness.
 *
 * There are only 65,535 ports, so the ports each glob matches are listed
 * rather than walked (glob-space.ts walks hosts): a walk keeps every glob it
 * has not decided in each of its states, and port globs open at the left
 * (`*443`, `*17`) stay undecided to the last digit, so thousands of them cost
 * millions of steps. A glob `P*S` matches only ports made of P, some digits
 * and S, which are generated directly; only `*` itself matches every port,
 * and the ports no other glob matches form one kind. The work is the number
 * of (glob, port) matches, and the kind of any port is one lookup.
 */
import { compileGlob, globMatches } from '../glob';
import type { SpaceType } from './glob-space';

const MAX_PORT = 65535;

export class PortKinds {
  /** Kind index per port (index = port number; 0 unused). */
  private readonly kindAt = new Int32Array(MAX_PORT + 1);
  /** In the order of their least port, which is the order of the walk (shortest first, then digit order). */
  readonly kinds: SpaceType[] = [];

  constructor(globs: readonly string[]) {
    const everywhere: number[] = [];
    const matchesAt = new Map<number, number[]>();
    globs.forEach((glob, index) => {
      if (glob === '*') everywhere.push(index);
      else for (const port of portsMatching(glob)) push(matchesAt, port, index);
    });
    // The kinds in port order: each port some glob matches, and the least port none does.
    const listed = [...matchesAt.keys()].sort((a, b) => a - b);
    let rest = 1;
    while (rest <= MAX_PORT && matchesAt.has(rest)) rest += 1;
    // Keyed by the globs other than `*`: those match every port, so they add the same to every kind. `own` is
    // ascending (globs are read in order), and tens of thousands of ports are listed when globs like `3*` are.
    const byKey = new Map<string, number>();
    const kindOf = (port: number, own: readonly number[]): number => {
      const key = own.join();
      let kind = byKey.get(key);
      if (kind === undefined) {
        kind = this.kinds.length;
        byKey.set(key, kind);
        this.kinds.push({ witness: String(port), matches: everywhere.length === 0 ? own : [...own, ...everywhere].sort((a, b) => a - b) });
      }
      return kind;
    };
    let restKind = -1;
    for (const port of listed) {
      if (restKind < 0 && rest < port) restKind = kindOf(rest, []);
      this.kindAt[port] = kindOf(port, matchesAt.get(port)!);
    }
    if (restKind < 0 && rest <= MAX_PORT) restKind = kindOf(rest, []);
    // Every port no glob but `*` matches is of the rest's kind.
    for (let port = 1; port <= MAX_PORT; port += 1) if (!matchesAt.has(port)) this.kindAt[port] = restKind;
  }

  /** The kind of a port given as its decimal text, or -1 for text that is not a port 1–65535. */
  kindOf(port: string): number {
    if (!/^[1-9][0-9]{0,4}$/.test(port)) return -1;
    return this.kindAt[Number(port)] ?? -1;
  }
}

/** The ports 1–65535 a port glob matches, ascending: its literal start, any digits, its literal end (then the middle checked). */
function portsMatching(glob: string): number[] {
  const first = glob.indexOf('*');
  if (first < 0) {
    const port = Number(glob);
    return /^[1-9][0-9]*$/.test(glob) && port <= MAX_PORT ? [port] : [];
  }
  const head = glob.slice(0, first);
  const tail = glob.slice(glob.lastIndexOf('*') + 1);
  const middle = first === glob.lastIndexOf('*') ? null : compileGlob(glob);
  const ports: number[] = [];
  for (let length = 0; head.length + length + tail.length <= 5; length += 1) {
    for (let fill = 0; fill < 10 ** length; fill += 1) {
      const text = head + (length === 0 ? '' : String(fill).padStart(length, '0')) + tail;
      if (text === '' || text[0] === '0' || Number(text) > MAX_PORT) continue;
      if (middle === null || globMatches(middle, text)) ports.push(Number(text));
    }
  }
  return ports.sort((a, b) => a - b);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
