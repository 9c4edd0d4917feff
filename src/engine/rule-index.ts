import { globMatches, compileGlob, type Glob } from './glob';
import type { Action, NormalizedRule } from './model';
import { buildData, DENY, DOT, HOST_EXACT, HOST_PREFIX, HOST_SUFFIX, hostAt, PORT_ANY, PORT_EXACT, portAt, type IndexData } from './rule-index-data';
import { firstOf, gramCode, GRAM_LENGTH_SHIFT, MAX_GRAM, mayHave, step } from './rule-index-keys';
import { loadData, saveData, type RuleMaker, type SavedRuleIndex } from './rule-index-saved';

export { INDEX_FORMAT, type RuleMaker, type SavedRuleIndex } from './rule-index-saved';

/**
 * The compiled rule index: finds the rules that match a normalised host and
 * port. Every rule keeps its overall order number (its position in the
 * concatenated rule list); a lookup gathers the candidate rules whose host
 * pattern can match and keeps the smallest order number, per action, whose
 * host and port really match — so "deny beats allow" and "the first rule in
 * order is reported" stay exactly as in docs/rules.md §5, whichever bucket a
 * rule sits in. One pass over the host serves both actions.
 *
 * Host patterns are sorted by shape (rule-index-data.ts builds them):
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
 * integer operations and no table search. Candidates are always verified: a
 * hash collision costs time, never a wrong answer.
 *
 * Every key leads to the first rule of its chain in a table of sorted integer
 * keys (rule-index-keys.ts KeyTable). Rules sharing a key are chained through
 * one Int32Array in ascending order, so a bucket costs no array, and a walk
 * stops once no later rule in the chain can improve on what was found. Ports
 * are checked only after the host matched. Nothing here builds a regular
 * expression, a substring or a closure per lookup.
 *
 * Saved (`save()`) and loaded (`RuleIndex.load`) as plain JSON data for the
 * background's compiled-rules cache (rule-index-saved.ts): loading is a native
 * JSON.parse, a split and a few typed-array copies, with no per-rule or per-key
 * work in script — building the index again at a wake-up, hashing every host in
 * not-yet-optimised code, would take most of the wake-up with 10,000 rules.
 */
export class RuleIndex {
  private constructor(private readonly data: IndexData) {}

  static build(rules: readonly NormalizedRule[]): RuleIndex {
    return new RuleIndex(buildData(rules));
  }

  /**
   * An index saved by `save()` (after a round trip through JSON), each rule
   * made on demand by `ruleOf` from its number and saved pattern; null when the
   * data is not a saved index of this format (INDEX_FORMAT), so that the caller
   * builds the index again from its rules. The caller vouches that the data is
   * what `save()` gave (the background's own storage), so only the shape is
   * checked, not each of the 10,000 entries: lookups in well-shaped data that
   * was altered still end, and read nothing outside the index.
   */
  static load(saved: unknown, ruleOf: RuleMaker): RuleIndex | null {
    const data = loadData(saved, ruleOf);
    return data && new RuleIndex(data);
  }

  /** Every rule's host, port and kind, the chains and the key tables, as plain data for JSON. */
  save(): SavedRuleIndex {
    return saveData(this.data);
  }

  /** How many rules the index holds: order numbers run from 0 to count - 1. */
  get count(): number {
    return this.data.count;
  }

  /** The rule with this order number (a loaded index makes it now, once). */
  rule(order: number): NormalizedRule {
    if (!Number.isInteger(order) || order < 0 || order >= this.data.count) throw new RangeError(`no rule ${order} in this index`);
    return this.data.rule(order);
  }

  /** The first rule in overall order with this action that matches, or null. */
  firstMatch(host: string, port: string, action: Action): NormalizedRule | null {
    const count = this.data.count;
    const deny = action === 'noCertificate';
    const found = this.lookup(host, port, deny ? count : 0, deny ? 0 : count, null);
    return this.ruleAt(deny ? found.deny : found.allow);
  }

  /**
   * The rule that decides (docs/rules.md §5): the first matching noCertificate
   * rule if there is one, else the first matching useEnrollmentCertificate rule,
   * else null. The decision's hot path, answered in one pass.
   */
  deciding(host: string, port: string): NormalizedRule | null {
    const count = this.data.count;
    const found = this.lookup(host, port, count, count, null);
    return this.ruleAt(found.deny < count ? found.deny : found.allow);
  }

  /** Every matching rule in overall order (for explanations, not the hot path). */
  allMatches(host: string, port: string): NormalizedRule[] {
    const count = this.data.count;
    const found = this.lookup(host, port, count, count, []);
    // A hash collision or a repeated middle piece can reach a rule twice.
    return [...new Set(found.all)].sort((a, b) => a - b).map((order) => this.data.rule(order));
  }

  private ruleAt(order: number): NormalizedRule | null {
    return order < this.data.count ? this.data.rule(order) : null;
  }

  /**
   * One lookup. Rules of an action at or past its limit are skipped: a limit of
   * `count` wants every such rule, 0 wants none. Returns the first matching deny
   * and allow rule (count: none), or, given `all`, every match in it.
   */
  private lookup(host: string, port: string, denyLimit: number, allowLimit: number, all: number[] | null): Lookup {
    const data = this.data;
    const found: Lookup = { deny: data.count, allow: data.count, denyLimit, allowLimit, all };
    const size = host.length;

    // One walk from the right: the hash of each suffix for the suffix keys, and
    // at the end the hash of the whole host, which keys exact hosts.
    const tailMask = data.tailMask;
    if (tailMask.length > 0 && (tailMask[0] as number) !== 0) walk(data, found, firstOf(data.tails, 0), host, port);
    const longest = Math.min(size, tailMask.length - 1);
    let hash = 0;
    for (let length = 1; length <= longest; length++) {
      const char = host.charCodeAt(size - length);
      hash = step(hash, char);
      const bits = tailMask[length] as number;
      if (bits === 0 || (bits === 1 && char !== DOT) || !mayHave(data.tailFilter, hash)) continue;
      walk(data, found, firstOf(data.tails, hash), host, port);
    }
    if (data.exact.keys.length > 0) {
      for (let length = Math.max(longest, 0) + 1; length <= size; length++) hash = step(hash, host.charCodeAt(size - length));
      walk(data, found, firstOf(data.exact, hash), host, port);
    }

    const headMask = data.headMask;
    if (headMask.length > 0) {
      const longest = Math.min(size, headMask.length - 1);
      let hash = 0;
      for (let length = 1; length <= longest; length++) {
        const char = host.charCodeAt(length - 1);
        hash = step(hash, char);
        const bits = headMask[length] as number;
        if (bits === 0 || (bits === 1 && char !== DOT) || !mayHave(data.headFilter, hash)) continue;
        walk(data, found, firstOf(data.heads, hash), host, port);
      }
    }

    if (data.labels.keys.length > 0) {
      let hash = 0;
      for (let at = 0; at <= size; at++) {
        const char = at < size ? host.charCodeAt(at) : DOT;
        if (char !== DOT) {
          hash = step(hash, char);
          continue;
        }
        if (mayHave(data.labelFilter, hash)) walk(data, found, firstOf(data.labels, hash), host, port);
        hash = 0;
      }
    }

    if (data.gramMask !== 0) {
      for (let length = 1; length <= MAX_GRAM; length++) {
        if ((data.gramMask & (1 << (length - 1))) === 0 || length > size) continue;
        const top = (length - 1) << GRAM_LENGTH_SHIFT;
        const keep = (1 << (7 * length)) - 1;
        let window = gramCode(host, 0, length - 1) & keep;
        for (let at = length - 1; at < size; at++) {
          window = ((window << 7) | (host.charCodeAt(at) & 0x7f)) & keep;
          const code = window | top;
          if (mayHave(data.gramFilter, code)) walk(data, found, firstOf(data.grams, code), host, port);
        }
      }
    }
    return found;
  }
}

/**
 * What one lookup has found so far: the best deny and allow rule (count: none),
 * the order numbers from which a rule of each action can no longer improve on
 * them, and, when every match is wanted, the matches.
 */
interface Lookup {
  deny: number;
  allow: number;
  denyLimit: number;
  allowLimit: number;
  all: number[] | null;
}

/**
 * Walks one chain (none for -1) in ascending order, recording matches that
 * improve on what was found. The limits never exceed the rule count, and a
 * step that does not go to a later rule ends the chain: a walk ends, and stays
 * inside the index, whatever numbers a loaded index holds.
 */
function walk(data: IndexData, found: Lookup, start: number, host: string, port: string): void {
  const next = data.next;
  const kind = data.kind;
  for (let order = start, after = 0; order >= 0; after = next[order] as number, order = after > order ? after : -1) {
    if (order >= found.denyLimit && order >= found.allowLimit) return;
    const deny = ((kind[order] as number) & DENY) !== 0;
    if (order >= (deny ? found.denyLimit : found.allowLimit)) continue;
    if (!hostMatches(data, order, host) || !portMatches(data, order, port)) continue;
    if (found.all !== null) found.all.push(order);
    else if (deny) {
      found.deny = order;
      found.denyLimit = order;
      found.allowLimit = 0; // a deny decides whatever the allow rules say
    } else {
      found.allow = order;
      found.allowLimit = order;
    }
  }
}

function hostMatches(data: IndexData, order: number, host: string): boolean {
  switch (((data.kind[order] as number) >> 1) & 3) {
    case HOST_EXACT:
      return hostAt(data, order) === host; // keyed by a hash of the host: another host may share it
    case HOST_SUFFIX:
      return endsWithRest(host, hostAt(data, order));
    case HOST_PREFIX:
      return startsWithHead(host, hostAt(data, order));
    default:
      return globMatches(data.hostGlobs.get(order) ?? compiled(data.hostGlobs, order, hostAt(data, order)), host);
  }
}

function portMatches(data: IndexData, order: number, port: string): boolean {
  const kind = ((data.kind[order] as number) >> 3) & 3;
  if (kind === PORT_ANY) return true;
  if (kind === PORT_EXACT) return portAt(data, order) === port;
  return globMatches(data.portGlobs.get(order) ?? compiled(data.portGlobs, order, portAt(data, order)), port);
}

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
