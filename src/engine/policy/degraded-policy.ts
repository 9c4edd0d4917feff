/**
 * The export for a rule set too large to check exactly (the walk passed its
 * bound): instead of refusing, a narrower policy whose every entry is
 * provably right by a cheap check. Only rules naming one host are written,
 * as `https://host:port` (or `https://host` for any port), and only where the
 * engine itself allows that host at every port the entry covers (one port
 * per port kind stands for all, as every rule's port pattern treats the
 * ports of a kind alike). With nothing but such entries, Chrome auto-selects
 * only on those hosts and ports, so never where the engine says no. Every
 * other rule is reported with nothing written and why.
 */
import { compileGlob, globMatches } from '../glob';
import type { NormalizedRule } from '../model';
import { formatPattern } from './chrome-pattern';
import { formatHostPort, portForms } from './compile-forms';
import type { Entry } from './compile-state';
import { isExactHost } from './host-forms';
import { chromeAt } from './open-probes';
import { portTypes } from './glob-space';
import type { PolicyRuleReport } from './policy-report';

export interface DegradedInput {
  rules: readonly NormalizedRule[];
  /** The ports port globs stand for (`--ports`), or null. */
  ports: readonly string[] | null;
  /** The engine's deciding rule at a host and port (first deny, else first allow), as a position in rules, or -1. */
  decide: (host: string, port: string) => number;
  /** Why the exact check gave up, e.g. "more than 1500000 steps". */
  why: string;
  /** Lint's warnings per rule position, repeated on its line. */
  warnings: ReadonlyMap<number, readonly string[]>;
}

export interface Degraded {
  entries: Entry[];
  report: PolicyRuleReport[];
  note: string;
  portKinds: number;
}

export function degradedPolicy({ rules, ports, decide, why, warnings }: DegradedInput): Degraded {
  const listed = ports ? [...new Set(ports)] : null;
  const portGlobs = [...new Set([...rules.map((rule) => rule.port), ...(listed ?? []), '*'])];
  const witnesses = portTypes(portGlobs).map((type) => type.witness);
  const isWitness = new Set(witnesses);
  const allowsAt = (host: string, port: string) => {
    const r = decide(host, port);
    return r >= 0 && rules[r]!.action === 'useEnrollmentCertificate';
  };
  const entries = new Map<string, Entry>();
  const forms = rules.map((rule) => portForms(rule, listed));
  rules.forEach((rule, r) => {
    if (rule.action !== 'useEnrollmentCertificate' || !isExactHost(rule.host)) return;
    for (const port of forms[r]!.ports) {
      const covered = port === null ? witnesses : [port];
      if (!covered.every((p) => allowsAt(rule.host, p))) continue;
      const pattern = { host: { kind: 'exact' as const, host: rule.host }, port };
      const key = formatPattern(pattern);
      const known = entries.get(key);
      if (known) known.origins.add(r);
      else entries.set(key, { key, pattern, kind: 'allow', role: 'rule', origins: new Set([r]), narrows: new Set() });
    }
  });
  const ownEntries = rules.map((): string[] => []);
  for (const entry of entries.values()) for (const r of entry.origins) ownEntries[r]!.push(entry.key);
  const unchecked = `the rule set is too large to check exactly (${why}), so only rules naming one host are written, where the engine allows that host at every port the entry covers`;
  const report = rules.map((rule, r): PolicyRuleReport => {
    const own = ownEntries[r]!;
    const base = { source: rule.source, index: rule.index, host: rule.host, port: rule.port, action: rule.action, patterns: own };
    const lint = (warnings.get(r) ?? []).map((message) => `; lint warns: ${message}`).join('');
    if (rule.action === 'noCertificate') {
      return { ...base, outcome: 'asks', note: `nothing written: ${unchecked}; Chrome auto-selects nowhere this rule matches (it asks)${lint}`, example: null };
    }
    const missed = isExactHost(rule.host)
      ? missedPort(rule, r, witnesses, isWitness, decide, (port) => chromeAt(entries, rule.host, port)?.kind === 'allow')
      : null;
    const written = own.length > 0 ? `written: ${own.join(', ')}` : 'nothing written';
    const reason = forms[r]!.reason;
    if (missed === null && isExactHost(rule.host)) {
      const note = own.length > 0 ? written : `${written}: deny rules or earlier rules decide every host and port it covers`;
      return { ...base, outcome: 'exact', note: `${note}${reason ? `; ${reason}` : ''}${lint}`, example: null };
    }
    const example = missed === null ? null : formatHostPort(rule.host, missed);
    const parts = [own.length > 0 ? written : `${written}: ${unchecked}`];
    if (own.length > 0) parts.push(`Chrome will not auto-select on ${example}, which the rule covers`, unchecked);
    if (reason) parts.push(reason);
    if (own.length === 0 && example) parts.push(`e.g. ${example} gets no auto-selection`);
    return { ...base, outcome: own.length > 0 ? 'narrower' : 'not-expressible', note: `${parts.join('; ')}${lint}`, example };
  });
  return {
    entries: [...entries.values()],
    report,
    note: `The rule set is too large to check exactly (${why}): only rules naming one host are written, where the engine allows that host at every port the entry covers, so the policy is narrower than the rules.`,
    portKinds: witnesses.length,
  };
}

/** A port (443 first, else a port kind's) where the rule decides on its one host and Chrome does not auto-select, or null. */
function missedPort(
  rule: NormalizedRule,
  r: number,
  witnesses: readonly string[],
  isWitness: ReadonlySet<string>,
  decide: (host: string, port: string) => number,
  selects: (port: string) => boolean,
): string | null {
  const misses = (port: string) => decide(rule.host, port) === r && !selects(port);
  if (!rule.port.includes('*')) {
    // A port of its own is its kind's only port: no need to try every kind (thousands, with port globs like `84*`).
    if (rule.port === '443' && misses('443')) return '443';
    return isWitness.has(rule.port) && misses(rule.port) ? rule.port : null;
  }
  const glob = compileGlob(rule.port);
  for (const port of ['443', ...witnesses]) if (globMatches(glob, port) && misses(port)) return port;
  return null;
}
