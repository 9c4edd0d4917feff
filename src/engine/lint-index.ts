import type { Glob } from './glob';
import type { LintEntry } from './lint';

/**
 * The wildcard rules whose host glob can cover a given host glob, found
 * without a scan of all of them. A starred glob covers a text only if the text
 * ends with its tail and starts with its head (globMatches), and a glob without
 * a star only its own text, so each is filed under its tail, or when that is
 * empty under its head (its whole text when it has no star); a host looks up
 * its suffixes and prefixes of the lengths filed. Every
 * rule that can cover is among the candidates (some that cannot are too): the
 * checks that follow give what checking every wildcard rule gives. A
 * CoverFinder (lint.ts): 5,000 rules lint in tens of milliseconds instead of
 * most of a second.
 */
export function coverIndex(entries: readonly LintEntry[]): (host: Glob) => LintEntry[] {
  const byTail = new Map<string, LintEntry[]>();
  const byHead = new Map<string, LintEntry[]>();
  for (const entry of entries) {
    const { head, tail } = entry.host;
    file(tail ? byTail : byHead, tail || head, entry);
  }
  const tails = lengths(byTail);
  const heads = lengths(byHead);
  // Plain loops, no spreads: this runs once per rule, often before the page's code is optimised.
  return ({ source }) => {
    const found: LintEntry[] = [];
    const size = source.length;
    for (const length of tails) if (length <= size) add(found, byTail.get(length === size ? source : source.slice(size - length)));
    for (const length of heads) if (length <= size) add(found, byHead.get(length === size ? source : source.slice(0, length)));
    // In list order, so that the first candidate a check accepts is the one a scan in list order finds.
    return found.length > 1 ? found.sort(byPosition) : found;
  };
}

function file(map: Map<string, LintEntry[]>, key: string, entry: LintEntry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

/** The lengths of the keys, each once. */
const lengths = (map: Map<string, unknown>): number[] => [...new Set([...map.keys()].map((key) => key.length))];

function add(found: LintEntry[], list: readonly LintEntry[] | undefined): void {
  if (list) for (const entry of list) found.push(entry);
}

const byPosition = (a: LintEntry, b: LintEntry) => a.position - b.position;
