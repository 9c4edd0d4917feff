/**
 * Every kind of port (1–65535) with respect to a set of port globs: the
 * distinct vectors "which globs match", each with its least port as witness.
 *
 * There are only 65,535 ports, so they are read one by one rather than walked
 * (glob-space.ts walks hosts): a walk keeps every glob it has not decided in
 * each of its states, and port globs open at the left (`*443`, `*17`) stay
 * undecided to the last digit, so thousands of them cost millions of steps,
 * where the ports themselves cost a fixed 65,535 lookups. Each port looks up
 * the globs by their literal ends (the text before the first `*` and after
 * the last), a handful of lookups whatever the number of globs, and the kind
 * of any port is one such lookup.
 */
import { compileGlob, globMatches, type Glob } from '../glob';
import type { SpaceType } from './glob-space';

const MAX_PORT = 65535;

interface Starred {
  index: number;
  /** Only for globs with a star between their ends; the ends are checked by the lookup. */
  middle: Glob | null;
}

export class PortKinds {
  private readonly exact = new Map<string, number[]>();
  /** Literal start → literal end → the globs with those ends. */
  private readonly starred = new Map<string, Map<string, Starred[]>>();
  /** Kind index per port (index = port number; 0 unused). */
  private readonly kindAt = new Int32Array(MAX_PORT + 1).fill(-1);
  /** In the order of their least port, which is the order of the walk (shortest first, then digit order). */
  readonly kinds: SpaceType[] = [];

  constructor(globs: readonly string[]) {
    globs.forEach((glob, index) => {
      const first = glob.indexOf('*');
      if (first < 0) {
        push(this.exact, glob, index);
        return;
      }
      const last = glob.lastIndexOf('*');
      const head = glob.slice(0, first);
      const bySuffix = this.starred.get(head) ?? new Map<string, Starred[]>();
      this.starred.set(head, bySuffix);
      push(bySuffix, glob.slice(last + 1), { index, middle: first === last ? null : compileGlob(glob) });
    });
    const byKey = new Map<string, number>();
    const matches: number[] = [];
    for (let port = 1; port <= MAX_PORT; port += 1) {
      const text = String(port);
      this.matching(text, matches);
      const key = matches.join();
      let kind = byKey.get(key);
      if (kind === undefined) {
        kind = this.kinds.length;
        byKey.set(key, kind);
        this.kinds.push({ witness: text, matches: [...matches] });
      }
      this.kindAt[port] = kind;
    }
  }

  /** The kind of a port given as its decimal text, or -1 for text that is not a port 1–65535. */
  kindOf(port: string): number {
    if (!/^[1-9][0-9]{0,4}$/.test(port)) return -1;
    return this.kindAt[Number(port)] ?? -1;
  }

  /** The globs matching a port, ascending, into `out`. */
  private matching(text: string, out: number[]): void {
    out.length = 0;
    for (const index of this.exact.get(text) ?? []) out.push(index);
    // The head is a prefix of the port and the tail a suffix after it: at most 21 lookups for five digits.
    for (let start = 0; start <= text.length; start += 1) {
      const bySuffix = this.starred.get(text.slice(0, start));
      if (!bySuffix) continue;
      for (let cut = start; cut <= text.length; cut += 1) {
        for (const glob of bySuffix.get(text.slice(cut)) ?? []) {
          if (glob.middle === null || globMatches(glob.middle, text)) out.push(glob.index);
        }
      }
    }
    out.sort((a, b) => a - b);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
