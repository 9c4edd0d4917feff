import { compileGlob, globMatches, type Glob } from './glob';
import type { MatchIndex } from './match-index';
import type { Action, NormalizedRule } from './model';

/**
 * The compiled rule index (issue 7). Every rule keeps its overall order number
 * (its position in the concatenated rule list); a lookup gathers the candidate
 * rules whose host pattern can match and returns the smallest order number whose
 * host and port really match — so "deny beats allow" and "the first rule in
 * order is reported" stay exactly as in spec/rules.md §5, whatever the bucket.
 *
 * Host patterns are sorted into buckets by shape, each found without scanning:
 * - `acme.com` (no star): a map keyed by the host;
 * - `*.acme.com` (one leading star, the rest starts with a dot): a map keyed by
 *   the suffix, looked up at each dot of the host (walking its labels);
 * - `*acme.com`, `*` (one leading star otherwise): a map keyed by the suffix,
 *   looked up once per distinct suffix length;
 * - `intranet.*` (one trailing star): a map keyed by the prefix, once per
 *   distinct prefix length;
 * - every other glob: keyed by its most selective literal — the tail (at dots
 *   or by length), else the head (by length), else its longest middle piece
 *   (every substring of that length) — and verified with the linear-time glob
 *   matcher only when that literal is present.
 * Rules sharing a key are chained through one Int32Array in order, so a bucket
 * costs no array per key and a chain walk stops at the first rule in order
 * whose port matches. Ports are checked only after the host matched.
 */
export function createRuleIndex(rules: readonly NormalizedRule[]): MatchIndex {
  const count = rules.length;
  const next = new Int32Array(count).fill(-1);
  const portKind = new Uint8Array(count);
  const hostGlobs = new Map<number, Glob>();
  const portGlobs = new Map<number, Glob>();
  const byAction: Record<Action, Buckets> = { noCertificate: emptyBuckets(), useEnrollmentCertificate: emptyBuckets() };

  // Walk backwards so that pushing onto a chain's head leaves each chain in ascending order.
  for (let order = count - 1; order >= 0; order--) {
    const rule = rules[order] as NormalizedRule;
    portKind[order] = classifyPort(rule.port);
    if (portKind[order] === PORT_GLOB) portGlobs.set(order, compileGlob(rule.port));
    const buckets = byAction[rule.action];
    const host = rule.host;
    const star = host.indexOf('*');
    if (star < 0) {
      link(buckets.exact, host, order, next);
    } else if (star === 0 && host.indexOf('*', 1) < 0) {
      const suffix = host.slice(1);
      if (suffix.charCodeAt(0) === DOT) link(buckets.dotSuffix, suffix, order, next);
      else link(buckets.suffix.map, suffix, order, next);
    } else if (star === host.length - 1) {
      link(buckets.prefix.map, host.slice(0, -1), order, next);
    } else {
      const glob = compileGlob(host);
      hostGlobs.set(order, glob);
      const middle = longest(glob.middle);
      if (glob.tail.length >= glob.head.length && glob.tail.length > 0) {
        if (glob.tail.charCodeAt(0) === DOT) link(buckets.globDotTail, glob.tail, order, next);
        else link(buckets.globTail.map, glob.tail, order, next);
      } else if (glob.head.length > 0) {
        link(buckets.globHead.map, glob.head, order, next);
      } else if (middle.length > 0) {
        link(buckets.globMiddle.map, middle, order, next);
      } else {
        // Only `*` itself has no literal, and it is a suffix pattern; kept for safety.
        link(buckets.globTail.map, '', order, next);
      }
    }
  }
  for (const buckets of Object.values(byAction)) {
    for (const sized of [buckets.suffix, buckets.prefix, buckets.globTail, buckets.globHead, buckets.globMiddle]) {
      sized.lengths = [...new Set([...sized.map.keys()].map((key) => key.length))].sort((a, b) => a - b);
    }
  }

  const portMatches = (order: number, port: string): boolean => {
    const kind = portKind[order];
    if (kind === PORT_ANY) return true;
    if (kind === PORT_EXACT) return (rules[order] as NormalizedRule).port === port;
    return globMatches(portGlobs.get(order) as Glob, port);
  };
  const hostGlobMatches = (order: number, host: string): boolean => globMatches(hostGlobs.get(order) as Glob, host);

  /**
   * Visits candidate chains for the host. `visit` walks a chain and returns the
   * best order so far; `verify` says whether the chain's host still needs the glob check.
   */
  const search = (buckets: Buckets, host: string, port: string, collect: number[] | null): number => {
    let best = count;
    const walk = (start: number | undefined, verify: boolean): void => {
      for (let order = start ?? -1; order >= 0; order = next[order] as number) {
        if (collect === null && order >= best) return;
        if (verify && !hostGlobMatches(order, host)) continue;
        if (!portMatches(order, port)) continue;
        if (collect !== null) collect.push(order);
        else {
          best = order;
          return;
        }
      }
    };
    if (buckets.exact.size > 0) walk(buckets.exact.get(host), false);
    if (buckets.dotSuffix.size > 0 || buckets.globDotTail.size > 0) {
      for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
        const suffix = host.slice(dot);
        if (buckets.dotSuffix.size > 0) walk(buckets.dotSuffix.get(suffix), false);
        if (buckets.globDotTail.size > 0) walk(buckets.globDotTail.get(suffix), true);
      }
    }
    const size = host.length;
    for (const length of buckets.suffix.lengths) {
      if (length > size) break;
      walk(buckets.suffix.map.get(host.slice(size - length)), false);
    }
    for (const length of buckets.prefix.lengths) {
      if (length > size) break;
      walk(buckets.prefix.map.get(host.slice(0, length)), false);
    }
    for (const length of buckets.globTail.lengths) {
      if (length > size) break;
      walk(buckets.globTail.map.get(host.slice(size - length)), true);
    }
    for (const length of buckets.globHead.lengths) {
      if (length > size) break;
      walk(buckets.globHead.map.get(host.slice(0, length)), true);
    }
    for (const length of buckets.globMiddle.lengths) {
      for (let at = 0; at + length <= size; at++) walk(buckets.globMiddle.map.get(host.slice(at, at + length)), true);
    }
    return best;
  };

  return {
    firstMatch(host, port, action) {
      const best = search(byAction[action], host, port, null);
      return best < count ? (rules[best] as NormalizedRule) : null;
    },
    allMatches(host, port) {
      const found: number[] = [];
      search(byAction.noCertificate, host, port, found);
      search(byAction.useEnrollmentCertificate, host, port, found);
      // A middle piece can occur twice in a host, so a rule may be reached twice.
      return [...new Set(found)].sort((a, b) => a - b).map((order) => rules[order] as NormalizedRule);
    },
  };
}

const DOT = 0x2e;
const PORT_EXACT = 0;
const PORT_ANY = 1;
const PORT_GLOB = 2;

/** Keys of one bucket and the distinct key lengths a lookup has to try. */
interface Sized {
  map: Map<string, number>;
  lengths: number[];
}

interface Buckets {
  exact: Map<string, number>;
  dotSuffix: Map<string, number>;
  suffix: Sized;
  prefix: Sized;
  globDotTail: Map<string, number>;
  globTail: Sized;
  globHead: Sized;
  globMiddle: Sized;
}

function emptyBuckets(): Buckets {
  const sized = (): Sized => ({ map: new Map(), lengths: [] });
  return {
    exact: new Map(),
    dotSuffix: new Map(),
    suffix: sized(),
    prefix: sized(),
    globDotTail: new Map(),
    globTail: sized(),
    globHead: sized(),
    globMiddle: sized(),
  };
}

/** Puts `order` at the head of the key's chain (callers go from the last rule to the first). */
function link(map: Map<string, number>, key: string, order: number, next: Int32Array): void {
  const head = map.get(key);
  if (head !== undefined) next[order] = head;
  map.set(key, order);
}

function classifyPort(port: string): number {
  if (port === '*') return PORT_ANY;
  return port.includes('*') ? PORT_GLOB : PORT_EXACT;
}

function longest(pieces: readonly string[]): string {
  let best = '';
  for (const piece of pieces) if (piece.length > best.length) best = piece;
  return best;
}
