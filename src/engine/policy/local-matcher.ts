import { compileGlob, globMatches, type Glob } from '../glob';

/**
 * Which of the walked globs match one concrete host, without walking: the
 * globs are indexed by their literal end (the text after their last star, or
 * all of it), so a host meets only the globs whose end it ends with.
 */
export class LocalMatcher {
  private readonly compiled: readonly Glob[];
  private readonly byTail = new Map<string, number[]>();

  constructor(globs: readonly string[]) {
    this.compiled = globs.map((glob) => compileGlob(glob));
    this.compiled.forEach((glob, g) => {
      const tail = glob.hasStar ? glob.tail : glob.head;
      const list = this.byTail.get(tail);
      if (list) list.push(g);
      else this.byTail.set(tail, [g]);
    });
  }

  /** The globs (indexes, ascending) that match the host. */
  matching(host: string): number[] {
    const out: number[] = [];
    for (let from = 0; from <= host.length; from += 1) {
      for (const g of this.byTail.get(host.slice(from)) ?? []) if (globMatches(this.compiled[g]!, host)) out.push(g);
    }
    return out.sort((a, b) => a - b);
  }

  /** The host's kind as PolicySpace keys it: the matching globs, comma-joined. */
  kindKey(host: string): string {
    return this.matching(host).join();
  }
}
