import type { NormalizedRule } from './model';
import { DENY, emptyData, FILTER_FIELDS, hostAt, KEY_FIELDS, portAt, type IndexData } from './rule-index-data';

/** The version of SavedRuleIndex: a saved index of any other version is not loaded. */
export const INDEX_FORMAT = 5;

/**
 * A rule's kind, one byte: DENY | host kind << 1 | port kind << 3. Saved one
 * character per rule, KIND_BASE | kind ("`" to "w": no JSON escapes); the base
 * bits lie above KIND_BITS, so a loaded kind is read as it is.
 */
const KIND_BITS = 0x1f;
const KIND_BASE = 0x60;
const TYPED_FIELDS = ['next', 'tailMask', 'headMask'] as const;

/** The JSON form of an index: typed arrays as arrays. */
export type SavedRuleIndex = { v: typeof INDEX_FORMAT; count: number; gramMask: number } & {
  /** Per rule, in overall order: the host pattern, one per line. */
  hosts: string;
  /** The port pattern of each rule whose port is not 443, by rule number. */
  ports: Record<string, string>;
  /** Per rule, one character (KIND_BASE | kind). */
  kinds: string;
} & { [F in (typeof TYPED_FIELDS)[number]]: number[] } & { [F in (typeof KEY_FIELDS)[number]]: { keys: number[]; firsts: number[] } } & {
  [F in (typeof FILTER_FIELDS)[number]]: { bits: number[]; shift: number };
};

/** Makes the rule with this order number from its saved pattern (the saved index holds no source or index). */
export type RuleMaker = (order: number, pattern: Pick<NormalizedRule, 'host' | 'port' | 'action'>) => NormalizedRule;

/** The index as plain data for JSON (rule-index.ts RuleIndex.save). */
export function saveData(data: IndexData): SavedRuleIndex {
  let kinds = '';
  const ports: Record<number, string> = {};
  const hosts: string[] = [];
  for (let order = 0; order < data.count; order++) {
    kinds += String.fromCharCode(KIND_BASE | ((data.kind[order] as number) & KIND_BITS));
    hosts.push(hostAt(data, order));
    if (portAt(data, order) !== '443') ports[order] = portAt(data, order);
  }
  // One string, not an array: JSON.parse then makes one string, and split() the rest natively.
  const saved = { v: INDEX_FORMAT, count: data.count, hosts: hosts.join('\n'), ports, kinds, gramMask: data.gramMask } as SavedRuleIndex;
  for (const field of TYPED_FIELDS) saved[field] = [...data[field]];
  for (const field of KEY_FIELDS) saved[field] = { keys: [...data[field].keys], firsts: [...data[field].firsts] };
  for (const field of FILTER_FIELDS) saved[field] = { bits: [...data[field].bits], shift: data[field].shift };
  return saved;
}

/**
 * The data of a saved index (rule-index.ts RuleIndex.load), or null when
 * `saved` is not a SavedRuleIndex of this format. Only the shape is checked:
 * the lengths of what a lookup indexes, and that each table can be searched.
 */
export function loadData(saved: unknown, ruleOf: RuleMaker): IndexData | null {
  const data = saved as SavedRuleIndex | null;
  const count = data?.count;
  if (data?.v !== INDEX_FORMAT || !Number.isInteger(count) || !Number.isInteger(data.gramMask) || typeof data.hosts !== 'string' || data.next?.length !== count)
    return null;
  // Normalised host patterns never contain a line break.
  const hosts = count === 0 ? [] : data.hosts.split('\n');
  if (hosts.length !== count) return null;
  if (typeof data.kinds !== 'string' || typeof data.ports !== 'object' || data.ports === null || Array.isArray(data.ports)) return null;
  // Usually a few: most rules are on 443, which is not stored.
  if (!Object.values(data.ports).every((port) => typeof port === 'string')) return null;
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
  const loaded: IndexData = {
    ...emptyData(
      count,
      (order) =>
        // Made once, when a lookup first returns it.
        (made[order] ??= ruleOf(order, {
          host: hosts[order] as string,
          port: ports[order] ?? '443',
          action: ((kind[order] as number) & DENY) !== 0 ? 'noCertificate' : 'useEnrollmentCertificate',
        })),
    ),
    hosts,
    ports,
    kind,
    next: Int32Array.from(data.next),
    tailMask: Uint8Array.from(data.tailMask),
    headMask: Uint8Array.from(data.headMask),
    gramMask: data.gramMask,
  };
  for (const field of KEY_FIELDS) loaded[field] = { keys: Int32Array.from(data[field].keys), firsts: Int32Array.from(data[field].firsts) };
  for (const field of FILTER_FIELDS) loaded[field] = { bits: Int32Array.from(data[field].bits), shift: data[field].shift };
  return loaded;
}
