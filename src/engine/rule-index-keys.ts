/**
 * The integer keys of the compiled rule index (rule-index.ts): hashes that grow
 * one character at a time, short pieces packed into one number, and a one-probe
 * Bloom filter over such keys. Kept small and allocation-free: they run for
 * every character of every host looked up.
 */
export const MAX_GRAM = 4;
/** Where a piece's length sits in its code: above 7 bits per character. */
export const GRAM_LENGTH_SHIFT = 7 * MAX_GRAM;
const HASH_MASK = 0x3fffffff;

/**
 * A one-probe Bloom filter over a map's integer keys (about 16 bits per key), so
 * the many lengths and positions a host offers cost a bit test, not a map lookup.
 */
export interface Filter {
  bits: Int32Array;
  shift: number;
}

export function toFilter(map: ReadonlyMap<number, number>): Filter {
  let log2 = 5;
  while (log2 < 24 && 1 << log2 < map.size * 16) log2++;
  const filter = { bits: new Int32Array(1 << (log2 - 5)), shift: 32 - log2 };
  for (const key of map.keys()) {
    const bit = filterBit(filter, key);
    filter.bits[bit >>> 5] = (filter.bits[bit >>> 5] as number) | (1 << (bit & 31));
  }
  return filter;
}

/**
 * An integer key → first rule of its chain, as two typed arrays sorted by key
 * and searched by halving. Unlike a Map it is saved and loaded as it is — a
 * native typed-array copy, no insertion per key in not-yet-optimised code at a
 * wake-up — and it holds 8 bytes per key.
 */
export interface KeyTable {
  keys: Int32Array;
  firsts: Int32Array;
}

export function toKeyTable(map: ReadonlyMap<number, number>): KeyTable {
  const keys = Int32Array.from(map.keys()).sort();
  return { keys, firsts: keys.map((key) => map.get(key) as number) };
}

/** The first rule of the key's chain, or -1. */
export function firstOf(table: KeyTable, key: number): number {
  const keys = table.keys;
  let low = 0;
  let high = keys.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = keys[middle] as number;
    if (at < key) low = middle + 1;
    else if (at > key) high = middle - 1;
    else return table.firsts[middle] as number;
  }
  return -1;
}

/** Fibonacci hashing: the top bits of the product spread even nearby keys. */
function filterBit(filter: Filter, key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> filter.shift;
}

export function mayHave(filter: Filter, key: number): boolean {
  const bit = filterBit(filter, key);
  return ((filter.bits[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
}

/** One FNV-1a step, kept to 30 bits so the key stays a small integer in V8. */
export function step(hash: number, char: number): number {
  return Math.imul(hash ^ char, 0x01000193) & HASH_MASK;
}

/** Hash of the last `length` characters of `text`, taken from the right. */
export function suffixHash(text: string, length: number): number {
  let hash = 0;
  for (let i = text.length - 1; i >= text.length - length; i--) hash = step(hash, text.charCodeAt(i));
  return hash;
}

/** Hash of the first `length` characters of `text`, taken from the left. */
export function prefixHash(text: string, length: number): number {
  let hash = 0;
  for (let i = 0; i < length; i++) hash = step(hash, text.charCodeAt(i));
  return hash;
}

/**
 * A 1–4 character piece as a number: 7 bits per character (host characters are
 * ASCII; anything else only collides, which verification absorbs), length on top,
 * so a window can slide over the host one shift at a time.
 */
export function gramCode(text: string, at: number, length: number): number {
  let code = 0;
  for (let i = at; i < at + length; i++) code = (code << 7) | (text.charCodeAt(i) & 0x7f);
  return code | ((length - 1) << GRAM_LENGTH_SHIFT);
}

export function gramLength(code: number): number {
  return (code >>> GRAM_LENGTH_SHIFT) + 1;
}
