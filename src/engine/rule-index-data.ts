import { compileGlob, type Glob } from './glob';
import type { NormalizedRule } from './model';
import { gramCode, gramLength, MAX_GRAM, prefixHash, suffixHash, toFilter, toKeyTable, type Filter, type KeyTable } from './rule-index-keys';

/**
 * What a rule index (rule-index.ts) is made of: per rule its kind and the next
 * rule of its chain, and per kind of key a table leading to the first rule of
 * each chain. Built here from rules, or loaded from its saved form
 * (rule-index-saved.ts); never changed after that, except that the globs of a
 * loaded index are compiled when a lookup first reaches their rule.
 */
export interface IndexData {
  count: number;
  /** The rule with this order number (made on first use when loaded). */
  rule: (order: number) => NormalizedRule;
  /**
   * Each rule's host and port pattern, for verifying candidates: from the rules
   * of a built index (no copy: memory per rule is a budget too), or, in an
   * index loaded from storage, from `hosts` and `ports`.
   */
  rules: readonly NormalizedRule[] | null;
  hosts: readonly string[];
  /** The port pattern of each rule whose port is not 443. */
  ports: Readonly<Record<number, string>>;
  /** Per rule: DENY | host kind << 1 | port kind << 3 (plus the saved form's base bits when loaded). */
  kind: Uint8Array;
  /** The next rule of the same chain, always a later one; -1 at a chain's end. */
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
}

export const DENY = 1;
export const HOST_EXACT = 0;
export const HOST_SUFFIX = 1;
export const HOST_PREFIX = 2;
export const PORT_EXACT = 0;
export const PORT_ANY = 1;
export const PORT_GLOB = 2;
const HOST_GLOB = 3;
export const DOT = 0x2e;
export const KEY_FIELDS = ['exact', 'tails', 'heads', 'labels', 'grams'] as const;
export const FILTER_FIELDS = ['tailFilter', 'headFilter', 'labelFilter', 'gramFilter'] as const;

export const hostAt = (data: IndexData, order: number): string =>
  data.rules !== null ? (data.rules[order] as NormalizedRule).host : (data.hosts[order] as string);
export const portAt = (data: IndexData, order: number): string =>
  data.rules !== null ? (data.rules[order] as NormalizedRule).port : (data.ports[order] ?? '443');

/** Data with no keys yet, every chain empty. */
export function emptyData(count: number, rule: IndexData['rule']): IndexData {
  const none = toFilter(new Map());
  const empty = toKeyTable(new Map());
  return {
    count,
    rule,
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
  };
}

/** The key maps of an index being built, and which key lengths occur (with or without a dot at the end nearest the host's middle). */
type Keys = { [F in (typeof KEY_FIELDS)[number]]: Map<number, number> } & { tailLengths: Map<number, number>; headLengths: Map<number, number> };

/** Sorts the rules' host patterns by shape and keys each (rule-index.ts says how). */
export function buildData(rules: readonly NormalizedRule[]): IndexData {
  const count = rules.length;
  const data = emptyData(count, (order) => rules[order] as NormalizedRule);
  data.rules = rules;
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
      data.portGlobs.set(order, compileGlob(port));
    }
    const host = rule.host;
    const star = host.indexOf('*');
    let hostKind = HOST_GLOB;
    if (star < 0) {
      hostKind = HOST_EXACT;
      link(data, keys.exact, suffixHash(host, host.length), order);
    } else if (star === 0 && host.indexOf('*', 1) < 0) {
      hostKind = HOST_SUFFIX;
      addTail(data, keys, host, host.length - 1, order);
    } else if (star === host.length - 1) {
      hostKind = HOST_PREFIX;
      addHead(data, keys, host, host.length - 1, order);
    } else {
      const glob = compileGlob(host);
      data.hostGlobs.set(order, glob);
      if (glob.tail.length > 0 && glob.tail.length >= glob.head.length) addTail(data, keys, glob.tail, glob.tail.length, order);
      else if (glob.head.length > 0) addHead(data, keys, glob.head, glob.head.length, order);
      else if (wholeLabel(glob.middle) !== '') link(data, keys.labels, prefixHash(wholeLabel(glob.middle), wholeLabel(glob.middle).length), order);
      else if (glob.middle.some((piece) => piece.length > 0)) {
        const code = pickGram(glob.middle, gramUse);
        gramUse.set(code, (gramUse.get(code) ?? 0) + 1);
        link(data, keys.grams, code, order);
        data.gramMask |= 1 << (gramLength(code) - 1);
      } else {
        addTail(data, keys, '', 0, order); // no literal at all: a star-only pattern that was not collapsed
      }
    }
    data.kind[order] = (rule.action === 'noCertificate' ? DENY : 0) | (hostKind << 1) | (portKind << 3);
  }
  data.tailMask = toMask(keys.tailLengths);
  data.headMask = toMask(keys.headLengths);
  data.tailFilter = toFilter(keys.tails);
  data.headFilter = toFilter(keys.heads);
  data.labelFilter = toFilter(keys.labels);
  data.gramFilter = toFilter(keys.grams);
  for (const field of KEY_FIELDS) data[field] = toKeyTable(keys[field]);
  return data;
}

/** Keys a rule by the last `length` characters of `text`, noting whether that key starts with a dot. */
function addTail(data: IndexData, keys: Keys, text: string, length: number, order: number): void {
  link(data, keys.tails, suffixHash(text, length), order);
  const bit = length > 0 && text.charCodeAt(text.length - length) === DOT ? 1 : 2;
  keys.tailLengths.set(length, (keys.tailLengths.get(length) ?? 0) | bit);
}

/** Keys a rule by the first `length` characters of `text`, noting whether that key ends with a dot. */
function addHead(data: IndexData, keys: Keys, text: string, length: number, order: number): void {
  link(data, keys.heads, prefixHash(text, length), order);
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
function link(data: IndexData, map: Map<number, number>, key: number, order: number): void {
  const head = map.get(key);
  if (head !== undefined) data.next[order] = head;
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
