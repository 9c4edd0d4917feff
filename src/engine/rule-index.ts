import { compileGlob, globMatches, type Glob } from './glob';
import type { MatchIndex } from './match-index';
import type { NormalizedRule } from './model';
import {
  firstOf,
  gramCode,
  gramLength,
  GRAM_LENGTH_SHIFT,
  MAX_GRAM,
  mayHave,
  prefixHash,
  step,
  suffixHash,
  toFilter,
  toKeyTable,
  type Filter,
  type KeyTable,
} from './rule-index-keys';

/**
 * The compiled rule index. Every rule keeps its overall order number
 * (its position in the concatenated rule list); a lookup gathers the candidate
 * rules whose host pattern can match and keeps the smallest order number, per
 * action, whose host and port really match — so "deny beats allow" and "the
 * first rule in order is reported" stay exactly as in docs/rules.md §5,
 * whichever bucket a rule sits in. One pass over the host serves both actions.
 *
 * Host patterns are sorted by shape:
 * - `acme.com` (no star): keyed by the hash of the host (then compared whole);
 * - `*.acme.com`, `*acme.com`, `*` (one leading star): keyed by the suffix;
 * - `intranet.*` (one trailing star): keyed by the prefix;
 * - every other glob: keyed by its most selective literal — its tail (as a
 *   suffix) or its head (as a prefix), whichever is longer; else (`*.vpn.*`) a
 *   whole label its middle literal spells out between two dots, found by
 *   walking the host's labels; else a 1–4 character piece of its longest middle
 *   literal — and verified with the linear-time glob matcher
 *   (src/engine/glob.ts) only when that literal is present.
 * Suffix and prefix keys are hashed with a hash that extends one character at a
 * time, so one walk over the host from the right (from the left for prefixes)
 * yields the key of every suffix without building a string. A length is probed
 * only if some key has that length, a suffix key starting with "." (or a prefix
 * key ending with one) only where the host has a dot (walking its labels), and
 * a probe first tests a small Bloom filter, so most positions cost a few
 * integer operations and no table search. Candidates
 * are always verified: a hash collision costs time, never a wrong answer.
 *
 * Every key leads to the first rule of its chain in a table of sorted integer
 * keys (rule-index-keys.ts KeyTable). Rules sharing a key are chained through
 * one Int32Array in ascending order, so a bucket costs no array, and a walk stops once no later rule in the chain can
 * improve on what was found. Ports are checked only after the host matched.
 * Nothing here builds a regular expression, a substring or a closure per lookup.
 */
export function createRuleIndex(rules: readonly NormalizedRule[]): MatchIndex {
  return matcher(buildIndex(rules));
}

/** The internals behind each index this module made, for saveRuleIndex. */
const internals = new WeakMap<MatchIndex, Index>();

function matcher(index: Index): MatchIndex {
  const ruleAt = (order: number) => (order < index.count ? index.rule(order) : null);
  const matchIndex: MatchIndex = {
    firstMatch(host, port, action) {
      const deny = action === 'noCertificate';
      run(index, host, port, deny ? index.count : 0, deny ? 0 : index.count, null);
      return ruleAt(deny ? index.deny : index.allow);
    },
    deciding(host, port) {
      run(index, host, port, index.count, index.count, null);
      return ruleAt(index.deny < index.count ? index.deny : index.allow);
    },
    allMatches(host, port) {
      const found: number[] = [];
      run(index, host, port, index.count, index.count, found);
      // A hash collision or a repeated middle piece can reach a rule twice.
      return [...new Set(found)].sort((a, b) => a - b).map((order) => index.rule(order));
    },
  };
  internals.set(matchIndex, index);
  return matchIndex;
}

/** The rule with this order number in an index this module built or loaded. */
export function ruleOfIndex(matchIndex: MatchIndex, order: number): NormalizedRule {
  const index = internals.get(matchIndex);
  if (!index || order < 0 || order >= index.count) throw new RangeError(`no rule ${order} in this index`);
  return index.rule(order);
}

/**
 * The index as plain data for JSON, to store (the background's compiled-rules
 * cache): every rule's host, port and kind, the chains, and the key tables.
 * Loading it back is a native JSON.parse, a split and a few typed-array copies,
 * with no per-rule or per-key work in script: at a wake-up, building the index
 * again (hashing every host in not-yet-optimised code) took most of the time
 * with 10,000 rules, and even filling maps from saved keys cost milliseconds.
 * Null for an index this module did not build.
 */
export function saveRuleIndex(matchIndex: MatchIndex): SavedRuleIndex | null {
  const index = internals.get(matchIndex);
  if (!index) return null;
  let kinds = '';
  const ports: Record<number, string> = {};
  const hosts: string[] = [];
  for (let order = 0; order < index.count; order++) {
    kinds += String.fromCharCode(KIND_BASE | ((index.kind[order] as number) & KIND_BITS));
    hosts.push(hostAt(index, order));
    if (portAt(index, order) !== '443') ports[order] = portAt(index, order);
  }
  // One string, not an array: JSON.parse then makes one string, and split() the rest natively.
  const saved = { v: INDEX_FORMAT, count: index.count, hosts: hosts.join('\n'), ports, kinds, gramMask: index.gramMask } as SavedRuleIndex;
  for (const field of TYPED_FIELDS) saved[field] = [...index[field]];
  for (const field of KEY_FIELDS) saved[field] = { keys: [...index[field].keys], firsts: [...index[field].firsts] };
  for (const field of FILTER_FIELDS) saved[field] = { bits: [...index[field].bits], shift: index[field].shift };
  return saved;
}

/**
 * An index saved by saveRuleIndex (after a round trip through JSON), each rule
 * made on demand by `ruleOf` from its number and saved pattern; null when the
 * data is not a saved index of this format. The caller vouches that the data is
 * what saveRuleIndex gave (the background's own storage), so only the shape is
 * checked here — the lengths of what a lookup indexes, and that each table
 * can be searched — not each of the 10,000 entries (nor that keys are sorted).
 */
export function loadRuleIndex(
  saved: unknown,
  ruleOf: (order: number, pattern: Pick<NormalizedRule, 'host' | 'port' | 'action'>) => NormalizedRule,
): MatchIndex | null {
  const data = saved as SavedRuleIndex | null;
  const count = data?.count;
  if (data?.v !== INDEX_FORMAT || !Number.isInteger(count) || !Number.isInteger(data.gramMask) || typeof data.hosts !== 'string' || data.next?.length !== count)
    return null;
  // Normalised host patterns never contain a line break.
  const hosts = count === 0 ? [] : data.hosts.split('\n');
  if (hosts.length !== count) return null;
  if (typeof data.kinds !== 'string' || typeof data.ports !== 'object' || data.ports === null || Array.isArray(data.ports)) return null;
  // Natively, one byte per rule: kinds are saved as ASCII (anything else comes out longer and is refused).
  const kind = new TextEncoder().encode(data.kinds);
  if (kind.length !== count) return null;
  // A filter of 2^(32 - shift) bits: a shorter array would be read past its end.
  const fits = (filter: { bits: unknown; shift: unknown } | undefined) =>
    !!filter &&
    Array.isArray(filter.bits) &&
    Number.isInteger(filter.shift) &&
    (filter.shift as number) >= 5 &&
    (filter.shift as number) <= 27 &&
    filter.bits.length === 1 << (27 - (filter.shift as number));
  const isTable = (table: { keys: unknown; firsts: unknown } | undefined) =>
    !!table && Array.isArray(table.keys) && Array.isArray(table.firsts) && table.keys.length === table.firsts.length;
  if (
    !FILTER_FIELDS.every((field) => fits(data[field])) ||
    !KEY_FIELDS.every((field) => isTable(data[field])) ||
    !TYPED_FIELDS.every((field) => Array.isArray(data[field]))
  )
    return null;
  const ports = data.ports;
  const made: NormalizedRule[] = [];
  const index: Index = {
    ...idle(count),
    // Made once, when a lookup first returns it.
    rule: (order) =>
      (made[order] ??= ruleOf(order, {
        host: hosts[order] as string,
        port: ports[order] ?? '443',
        action: ((index.kind[order] as number) & DENY) !== 0 ? 'noCertificate' : 'useEnrollmentCertificate',
      })),
    hosts,
    ports,
    kind,
    next: Int32Array.from(data.next),
    tailMask: Uint8Array.from(data.tailMask),
    headMask: Uint8Array.from(data.headMask),
    gramMask: data.gramMask,
  };
  for (const field of KEY_FIELDS) index[field] = { keys: Int32Array.from(data[field].keys), firsts: Int32Array.from(data[field].firsts) };
  for (const field of FILTER_FIELDS) index[field] = { bits: Int32Array.from(data[field].bits), shift: data[field].shift };
  return matcher(index);
}

const INDEX_FORMAT = 5;
/**
 * A rule's kind, one byte: DENY | host kind << 1 | port kind << 3. Saved one
 * character per rule, KIND_BASE | kind ("`" to "w": no JSON escapes); the base
 * bits lie above KIND_BITS, so a loaded kind is read as it is.
 */
const DENY = 1;
const KIND_BITS = 0x1f;
const KIND_BASE = 0x60;
const TYPED_FIELDS = ['next', 'tailMask', 'headMask'] as const;
const KEY_FIELDS = ['exact', 'tails', 'heads', 'labels', 'grams'] as const;
const FILTER_FIELDS = ['tailFilter', 'headFilter', 'labelFilter', 'gramFilter'] as const;

/** The JSON form of an index: typed arrays as arrays. */
export type SavedRuleIndex = { v: number; count: number; gramMask: number } & {
  /** Per rule, in overall order: the host pattern, one per line. */
  hosts: string;
  /** The port pattern of each rule whose port is not 443, by rule number. */
  ports: Record<string, string>;
  /** Per rule, one character (KIND_BASE | kind). */
  kinds: string;
} & { [F in (typeof TYPED_FIELDS)[number]]: number[] } & { [F in (typeof KEY_FIELDS)[number]]: { keys: number[]; firsts: number[] } } & {
  [F in (typeof FILTER_FIELDS)[number]]: { bits: number[]; shift: number };
};

const DOT = 0x2e;
const HOST_EXACT = 0;
const HOST_SUFFIX = 1;
const HOST_PREFIX = 2;
const HOST_GLOB = 3;
const PORT_EXACT = 0;
const PORT_ANY = 1;
const PORT_GLOB = 2;

interface Index {
  /** The rule with this order number (made on demand when loaded). */
  rule: (order: number) => NormalizedRule;
  count: number;
  /**
   * Each rule's host and port pattern, for verifying candidates: from the rules
   * of a built index (no copy: memory per rule is a budget too), or, in an
   * index loaded from storage, from these arrays.
   */
  rules: readonly NormalizedRule[] | null;
  hosts: readonly string[];
  /** The port pattern of each rule whose port is not 443. */
  ports: Readonly<Record<number, string>>;
  /** Per rule: DENY | host kind << 1 | port kind << 3 (plus KIND_BASE when loaded). */
  kind: Uint8Array;
  next: Int32Array;
  hostGlobs: Map<number, Glob>;
  portGlobs: Map<number, Glob>;
  /** Hash of the whole host (suffixHash) → chain. */
  exact: KeyTable;
  /** Suffix hash → first rule of its chain. */
  tails: KeyTable;
  tailFilter: Filter;
  /** tailMask[length]: bit 1 = a key of that length starts with ".", bit 2 = one does not. */
  tailMask: Uint8Array;
  heads: KeyTable;
  headFilter: Filter;
  /** headMask[length]: bit 1 = a key of that length ends with ".", bit 2 = one does not. */
  headMask: Uint8Array;
  /** Hash of a whole label → chain. */
  labels: KeyTable;
  labelFilter: Filter;
  /** Code of a 1–4 character piece → chain; gramMask bit n-1 = a piece of length n exists. */
  grams: KeyTable;
  gramFilter: Filter;
  gramMask: number;
  // The state of one lookup (JavaScript runs one at a time): the best deny and
  // allow so far, and the order numbers above which a rule of each action no
  // longer matters. Kept here so a lookup allocates nothing.
  deny: number;
  allow: number;
  denyLimit: number;
  allowLimit: number;
  collect: number[] | null;
}

/** An index with no keys yet and the lookup state at rest. */
function idle(count: number): Index {
  const none = toFilter(new Map());
  const empty = toKeyTable(new Map());
  return {
    rule: () => {
      throw new Error('no rules');
    },
    count,
    rules: null,
    hosts: [],
    ports: {},
    kind: new Uint8Array(count),
    next: new Int32Array(count).fill(-1),
    hostGlobs: new Map(),
    portGlobs: new Map(),
    exact: empty,
    tails: empty,
    tailFilter: none,
    tailMask: new Uint8Array(0),
    heads: empty,
    headFilter: none,
    headMask: new Uint8Array(0),
    labels: empty,
    labelFilter: none,
    grams: empty,
    gramFilter: none,
    gramMask: 0,
    deny: count,
    allow: count,
    denyLimit: count,
    allowLimit: count,
    collect: null,
  };
}

function buildIndex(rules: readonly NormalizedRule[]): Index {
  const count = rules.length;
  const index = idle(count);
  index.rule = (order) => rules[order] as NormalizedRule;
  index.rules = rules;
  // Chains are linked through maps here, then each map becomes a sorted key table.
  const keys: Keys = {
    exact: new Map(),
    tails: new Map(),
    heads: new Map(),
    labels: new Map(),
    grams: new Map(),
    tailLengths: new Map(),
    headLengths: new Map(),
  };
  const gramUse = new Map<number, number>();
  // From the last rule to the first: pushing onto a chain's head keeps every chain ascending.
  for (let order = count - 1; order >= 0; order--) {
    const rule = rules[order] as NormalizedRule;
    const port = rule.port;
    let portKind = PORT_EXACT;
    if (port === '*') portKind = PORT_ANY;
    else if (port.includes('*')) {
      portKind = PORT_GLOB;
      index.portGlobs.set(order, compileGlob(port));
    }
    const host = rule.host;
    const star = host.indexOf('*');
    let hostKind = HOST_GLOB;
    if (star < 0) {
      hostKind = HOST_EXACT;
      link(index, keys.exact, suffixHash(host, host.length), order);
    } else if (star === 0 && host.indexOf('*', 1) < 0) {
      hostKind = HOST_SUFFIX;
      addTail(index, keys, host, host.length - 1, order);
    } else if (star === host.length - 1) {
      hostKind = HOST_PREFIX;
      addHead(index, keys, host, host.length - 1, order);
    } else {
      const glob = compileGlob(host);
      index.hostGlobs.set(order, glob);
      if (glob.tail.length > 0 && glob.tail.length >= glob.head.length) addTail(index, keys, glob.tail, glob.tail.length, order);
      else if (glob.head.length > 0) addHead(index, keys, glob.head, glob.head.length, order);
      else if (wholeLabel(glob.middle) !== '') link(index, keys.labels, prefixHash(wholeLabel(glob.middle), wholeLabel(glob.middle).length), order);
      else if (glob.middle.some((piece) => piece.length > 0)) {
        const code = pickGram(glob.middle, gramUse);
        gramUse.set(code, (gramUse.get(code) ?? 0) + 1);
        link(index, keys.grams, code, order);
        index.gramMask |= 1 << (gramLength(code) - 1);
      } else {
        addTail(index, keys, '', 0, order); // no literal at all: a star-only pattern that was not collapsed
      }
    }
    index.kind[order] = (rule.action === 'noCertificate' ? DENY : 0) | (hostKind << 1) | (portKind << 3);
  }
  index.tailMask = toMask(keys.tailLengths);
  index.headMask = toMask(keys.headLengths);
  index.tailFilter = toFilter(keys.tails);
  index.headFilter = toFilter(keys.heads);
  index.labelFilter = toFilter(keys.labels);
  index.gramFilter = toFilter(keys.grams);
  for (const field of KEY_FIELDS) index[field] = toKeyTable(keys[field]);
  return index;
}

/** The key maps of an index being built, and which key lengths occur (with or without a dot at the end nearest the host's middle). */
type Keys = { [F in (typeof KEY_FIELDS)[number]]: Map<number, number> } & { tailLengths: Map<number, number>; headLengths: Map<number, number> };

/** Keys a rule by the last `length` characters of `text`, noting whether that key starts with a dot. */
function addTail(index: Index, keys: Keys, text: string, length: number, order: number): void {
  link(index, keys.tails, suffixHash(text, length), order);
  const bit = length > 0 && text.charCodeAt(text.length - length) === DOT ? 1 : 2;
  keys.tailLengths.set(length, (keys.tailLengths.get(length) ?? 0) | bit);
}

/** Keys a rule by the first `length` characters of `text`, noting whether that key ends with a dot. */
function addHead(index: Index, keys: Keys, text: string, length: number, order: number): void {
  link(index, keys.heads, prefixHash(text, length), order);
  const bit = length > 0 && text.charCodeAt(length - 1) === DOT ? 1 : 2;
  keys.headLengths.set(length, (keys.headLengths.get(length) ?? 0) | bit);
}

/** The longest label a middle literal spells out whole, between two of its dots (`.vpn.` → `vpn`), or ''. */
function wholeLabel(middle: readonly string[]): string {
  let best = '';
  for (const piece of middle) {
    const labels = piece.split('.');
    // The first and last parts may continue into the star; only the inner ones are whole labels.
    for (let i = 1; i < labels.length - 1; i++) if ((labels[i] as string).length > best.length) best = labels[i] as string;
  }
  return best;
}

function toMask(lengths: Map<number, number>): Uint8Array {
  const mask = new Uint8Array(lengths.size === 0 ? 0 : Math.max(...lengths.keys()) + 1);
  for (const [length, bits] of lengths) mask[length] = bits;
  return mask;
}

/** Puts `order` at the head of the key's chain (callers go from the last rule to the first). */
function link(index: Index, map: Map<number, number>, key: number, order: number): void {
  const head = map.get(key);
  if (head !== undefined) index.next[order] = head;
  map.set(key, order);
}

/**
 * A piece of the longest middle literal: the one fewest rules use so far (spreads
 * floating globs out), and among those the one with most digits, "-" and "_",
 * which host names contain less often than letters and dots.
 */
function pickGram(middle: readonly string[], use: Map<number, number>): number {
  let piece = '';
  for (const candidate of middle) if (candidate.length > piece.length) piece = candidate;
  const length = Math.min(MAX_GRAM, piece.length);
  const cost = (at: number) => {
    let rare = 0;
    for (let i = at; i < at + length; i++) if (!/[a-z.]/.test(piece[i] as string)) rare += 1;
    return (use.get(gramCode(piece, at, length)) ?? 0) * 8 - rare;
  };
  let best = 0;
  for (let at = 1; at + length <= piece.length; at++) if (cost(at) < cost(best)) best = at;
  return gramCode(piece, best, length);
}

/**
 * One lookup. Rules of an action at or past its limit are skipped: a limit of
 * `count` wants every such rule, 0 wants none. Leaves the first matching deny and
 * allow rule in `index.deny` / `index.allow`, or every match in `collect`.
 */
function run(index: Index, host: string, port: string, denyLimit: number, allowLimit: number, collect: number[] | null): void {
  index.deny = index.count;
  index.allow = index.count;
  index.denyLimit = denyLimit;
  index.allowLimit = allowLimit;
  index.collect = collect;
  const size = host.length;

  // One walk from the right: the hash of each suffix for the suffix keys, and
  // at the end the hash of the whole host, which keys exact hosts.
  const tailMask = index.tailMask;
  if (tailMask.length > 0 && (tailMask[0] as number) !== 0) walk(index, firstOf(index.tails, 0), host, port);
  const longest = Math.min(size, tailMask.length - 1);
  let hash = 0;
  for (let length = 1; length <= longest; length++) {
    const char = host.charCodeAt(size - length);
    hash = step(hash, char);
    const bits = tailMask[length] as number;
    if (bits === 0 || (bits === 1 && char !== DOT) || !mayHave(index.tailFilter, hash)) continue;
    walk(index, firstOf(index.tails, hash), host, port);
  }
  if (index.exact.keys.length > 0) {
    for (let length = Math.max(longest, 0) + 1; length <= size; length++) hash = step(hash, host.charCodeAt(size - length));
    walk(index, firstOf(index.exact, hash), host, port);
  }

  const headMask = index.headMask;
  if (headMask.length > 0) {
    const longest = Math.min(size, headMask.length - 1);
    let hash = 0;
    for (let length = 1; length <= longest; length++) {
      const char = host.charCodeAt(length - 1);
      hash = step(hash, char);
      const bits = headMask[length] as number;
      if (bits === 0 || (bits === 1 && char !== DOT) || !mayHave(index.headFilter, hash)) continue;
      walk(index, firstOf(index.heads, hash), host, port);
    }
  }

  if (index.labels.keys.length > 0) {
    let hash = 0;
    for (let at = 0; at <= size; at++) {
      const char = at < size ? host.charCodeAt(at) : DOT;
      if (char !== DOT) {
        hash = step(hash, char);
        continue;
      }
      if (mayHave(index.labelFilter, hash)) walk(index, firstOf(index.labels, hash), host, port);
      hash = 0;
    }
  }

  if (index.gramMask !== 0) {
    for (let length = 1; length <= MAX_GRAM; length++) {
      if ((index.gramMask & (1 << (length - 1))) === 0 || length > size) continue;
      const top = (length - 1) << GRAM_LENGTH_SHIFT;
      const keep = (1 << (7 * length)) - 1;
      let window = gramCode(host, 0, length - 1) & keep;
      for (let at = length - 1; at < size; at++) {
        window = ((window << 7) | (host.charCodeAt(at) & 0x7f)) & keep;
        const code = window | top;
        if (mayHave(index.gramFilter, code)) walk(index, firstOf(index.grams, code), host, port);
      }
    }
  }
}

/** Walks one chain (none for -1) in ascending order, recording matches that improve on what was found. */
function walk(index: Index, start: number, host: string, port: string): void {
  const next = index.next;
  const kind = index.kind;
  for (let order = start; order >= 0; order = next[order] as number) {
    if (order >= index.denyLimit && order >= index.allowLimit) return;
    const deny = ((kind[order] as number) & DENY) !== 0;
    if (order >= (deny ? index.denyLimit : index.allowLimit)) continue;
    if (!hostMatches(index, order, host) || !portMatches(index, order, port)) continue;
    if (index.collect !== null) index.collect.push(order);
    else if (deny) {
      index.deny = order;
      index.denyLimit = order;
      index.allowLimit = 0; // a deny decides whatever the allow rules say
    } else {
      index.allow = order;
      index.allowLimit = order;
    }
  }
}

function hostMatches(index: Index, order: number, host: string): boolean {
  switch (((index.kind[order] as number) >> 1) & 3) {
    case HOST_EXACT:
      return hostAt(index, order) === host; // keyed by a hash of the host: another host may share it
    case HOST_SUFFIX:
      return endsWithRest(host, hostAt(index, order));
    case HOST_PREFIX:
      return startsWithHead(host, hostAt(index, order));
    default:
      return globMatches(index.hostGlobs.get(order) ?? compiled(index.hostGlobs, order, hostAt(index, order)), host);
  }
}

function portMatches(index: Index, order: number, port: string): boolean {
  const kind = ((index.kind[order] as number) >> 3) & 3;
  if (kind === PORT_ANY) return true;
  if (kind === PORT_EXACT) return portAt(index, order) === port;
  return globMatches(index.portGlobs.get(order) ?? compiled(index.portGlobs, order, portAt(index, order)), port);
}

const hostAt = (index: Index, order: number): string => (index.rules !== null ? (index.rules[order] as NormalizedRule).host : (index.hosts[order] as string));
const portAt = (index: Index, order: number): string => (index.rules !== null ? (index.rules[order] as NormalizedRule).port : (index.ports[order] ?? '443'));

/** A glob of a loaded index, compiled the first time a lookup reaches its rule (a built index compiled them all). */
function compiled(globs: Map<number, Glob>, order: number, pattern: string): Glob {
  const glob = compileGlob(pattern);
  globs.set(order, glob);
  return glob;
}

/** Whether `host` ends with `pattern` minus its leading star (no substring is built). */
function endsWithRest(host: string, pattern: string): boolean {
  let at = host.length - (pattern.length - 1);
  if (at < 0) return false;
  for (let i = 1; i < pattern.length; i++, at++) if (host.charCodeAt(at) !== pattern.charCodeAt(i)) return false;
  return true;
}

/** Whether `host` starts with `pattern` minus its trailing star. */
function startsWithHead(host: string, pattern: string): boolean {
  const length = pattern.length - 1;
  if (host.length < length) return false;
  for (let i = 0; i < length; i++) if (host.charCodeAt(i) !== pattern.charCodeAt(i)) return false;
  return true;
}
