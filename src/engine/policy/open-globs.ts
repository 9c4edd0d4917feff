/**
 * Host globs open at their right end (`mail123.*`, `10.1.2.*`, `*.sub.*`):
 * each reaches every domain there is, so walking them with the other globs
 * multiplies the kinds of host in every region by the number of such globs
 * (and their combinations). No Chrome pattern can express one, so they never
 * shape Chrome's choice: they only change the engine's verdict on the hosts
 * they match. The export keeps them out of the walk and checks them on
 * concrete hosts instead (policy-space.ts, open-probes.ts).
 */
import { compileGlob, globMatches, type Glob } from '../glob';
import { isExactHost } from './host-forms';

/** Whether a host glob is open at the right: it ends with `*` (not `*` alone, which the walk settles at once; IPv6 globs stay with the IPv6 probes). */
export function isRightOpen(glob: string): boolean {
  return glob.length > 1 && glob.endsWith('*') && !glob.includes(':');
}

/** The right-open globs of a rule set with the rules that use each, and which of them match a given host. */
export class OpenGlobs {
  readonly globs: readonly string[];
  private readonly compiled: readonly Glob[];
  /** Per glob: the rules (positions) whose host it is, ascending. */
  readonly rulesOf: readonly (readonly number[])[];
  /** Globs by the first character of their literal start; globs starting with `*` under ''. */
  private readonly byFirst = new Map<string, number[]>();

  constructor(hosts: readonly string[]) {
    const index = new Map<string, number>();
    const rulesOf: number[][] = [];
    hosts.forEach((host, r) => {
      if (!isRightOpen(host)) return;
      let g = index.get(host);
      if (g === undefined) {
        g = rulesOf.length;
        index.set(host, g);
        rulesOf.push([]);
      }
      rulesOf[g]!.push(r);
    });
    this.globs = [...index.keys()];
    this.compiled = this.globs.map((glob) => compileGlob(glob));
    this.rulesOf = rulesOf;
    this.compiled.forEach((glob, g) => {
      const first = glob.head.slice(0, 1);
      const list = this.byFirst.get(first);
      if (list) list.push(g);
      else this.byFirst.set(first, [g]);
    });
  }

  get size(): number {
    return this.globs.length;
  }

  /** The globs (indexes, ascending) that match a host. */
  matching(host: string): number[] {
    const out: number[] = [];
    for (const key of bucketsOf(host)) for (const g of this.byFirst.get(key) ?? []) if (globMatches(this.compiled[g]!, host)) out.push(g);
    return out.sort((a, b) => a - b);
  }

  /** Whether any of these globs matches the host. */
  matchesAny(host: string): boolean {
    for (const key of bucketsOf(host)) for (const g of this.byFirst.get(key) ?? []) if (globMatches(this.compiled[g]!, host)) return true;
    return false;
  }
}

const bucketsOf = (host: string) => (host === '' ? [''] : ['', host.slice(0, 1)]);

/**
 * Hosts the glob matches that end in `rest` (a canonical name whose last
 * label is not a number): the glob's text with its inner stars filled and
 * its last star standing for the labels in front of `rest`. The front part
 * is checked once per glob with the URL parser, which reads labels one by
 * one and decides about numbers on the last label alone, so what it accepts
 * in front of one such name it accepts in front of any.
 */
export function hostsOfOpenGlob(glob: string, rest: string): string[] {
  let fronts = frontsOf.get(glob);
  if (!fronts) {
    fronts = [];
    const compiled = compileGlob(glob);
    const stem = glob.slice(0, -1);
    for (const fill of ['a', '', '1']) {
      const start = stem.replaceAll('*', fill);
      for (const front of start.endsWith('.') ? [start] : [`${start}.`, `${start}a.`]) {
        const host = `${front}${PLAIN}`;
        if (!fronts.includes(front) && isExactHost(host) && globMatches(compiled, host)) fronts.push(front);
      }
      if (fronts.length > 0) break;
    }
    if (frontsOf.size >= 10_000) frontsOf.clear();
    frontsOf.set(glob, fronts);
  }
  return fronts.map((front) => front + rest);
}

/** A plain name to check a glob's front part with. */
const PLAIN = 'a.b';
const frontsOf = new Map<string, string[]>();

/** A label no glob contains (stars removed, so no join of a glob's pieces either): hosts built with it fall outside every named region. */
export function freshLabels(globs: Iterable<string>, count: number): string[] {
  const texts = [...globs].map((glob) => glob.replaceAll('*', ''));
  const out: string[] = [];
  for (let n = 0; out.length < count; n += 1) {
    const label = `zq${n.toString(36)}x`;
    if (!texts.some((text) => text.includes(label))) out.push(label);
  }
  return out;
}
