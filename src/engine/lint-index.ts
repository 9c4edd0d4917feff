import type { Glob } from './glob';
import type { LintEntry } from './lint';

/**
 * The wildcard rules whose host and port globs can cover a given rule's,
 * found without a scan of all of them. A starred glob covers a text only if
 * the text ends with its tail and starts with its head (globMatches), and a
 * glob without a star only its own text, so each is filed under its tail, or
 * when that is empty under its head (its whole text when it has no star); a
 * host looks up its suffixes and prefixes of the lengths filed. Under each,
 * rules are filed by port: an exact port covers only itself, so a rule meets
 * the starred ports and its own. Every rule that can cover is among the
 * candidates (some that cannot are too): the checks that follow give what
 * checking every wildcard rule gives. A CoverFinder (lint.ts): 5,000 rules
 * lint in tens of milliseconds instead of most of a second, hundreds of `*`
 * rules on ports of their own among them.
 */
export function coverIndex(entries: readonly LintEntry[]): (rule: { host: Glob; port: Glob }) => LintEntry[] {
  const byTail = new Map<string, ByPort>();
  const byHead = new Map<string, ByPort>();
  for (const entry of entries) {
    const { head, tail } = entry.host;
    file(tail ? byTail : byHead, tail || head, entry);
  }
  const tails = lengths(byTail);
  const heads = lengths(byHead);
  // Plain loops, no spreads: this runs once per rule, often before the page's code is optimised.
  return ({ host: { source }, port }) => {
    const found: LintEntry[] = [];
    const size = source.length;
    for (const length of tails) if (length <= size) add(found, byTail.get(length === size ? source : source.slice(size - length)), port);
    for (const length of heads) if (length <= size) add(found, byHead.get(length === size ? source : source.slice(0, length)), port);
    // In list order, so that the first candidate a check accepts is the one a scan in list order finds.
    return found.length > 1 ? found.sort(byPosition) : found;
  };
}

/** The rules filed under one host key: those with a starred port, and per exact port those with it. */
interface ByPort {
  starred: LintEntry[];
  exact: Map<string, LintEntry[]>;
}

function file(map: Map<string, ByPort>, key: string, entry: LintEntry): void {
  let filed = map.get(key);
  if (!filed) map.set(key, (filed = { starred: [], exact: new Map() }));
  if (entry.port.hasStar) filed.starred.push(entry);
  else {
    const list = filed.exact.get(entry.port.source);
    if (list) list.push(entry);
    else filed.exact.set(entry.port.source, [entry]);
  }
}

/** The lengths of the keys, each once. */
const lengths = (map: Map<string, unknown>): number[] => [...new Set([...map.keys()].map((key) => key.length))];

/** The rules filed that may cover a port: every starred port, and the port itself when it is exact (an exact port covers no starred one). */
function add(found: LintEntry[], filed: ByPort | undefined, port: Glob): void {
  if (!filed) return;
  for (const entry of filed.starred) found.push(entry);
  if (port.hasStar) return;
  const own = filed.exact.get(port.source);
  if (own) for (const entry of own) found.push(entry);
}

const byPosition = (a: LintEntry, b: LintEntry) => a.position - b.position;
