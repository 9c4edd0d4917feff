/**
 * What right-open globs (open-globs.ts) do to the policy, checked on concrete
 * hosts rather than walked. Such a glob reaches every domain: `mail1.*`
 * matches `mail1.<any label>.d` for every d, and no entry more specific than
 * `[*.]d` holds a label nobody named. So a right-open deny rule meets every
 * `[*.]d` and `*` allow entry at its ports, and a right-open allow rule
 * decides on hosts under no entry at all; one host built that way per
 * entry (or per rule) shows it, and the engine itself is asked there.
 */
import { compileGlob, globMatches } from '../glob';
import type { NormalizedRule } from '../model';
import { formatPattern, type HostForm } from './chrome-pattern';
import { isIpLiteral } from './host-forms';
import { hostsOfOpenGlob, type OpenGlobs } from './open-globs';
import type { SpaceEntry } from './policy-choice';
import type { PairOutcome } from './policy-space';

export interface ProbeInput<E extends SpaceEntry> {
  rules: readonly NormalizedRule[];
  open: OpenGlobs;
  entries: ReadonlyMap<string, E>;
  /** The engine's deciding rule at a host and port (first deny, else first allow), as a position in rules, or -1. */
  decide: (host: string, port: string) => number;
  /** One port of every port kind (the space's witnesses). */
  ports: readonly string[];
  /** Two labels no glob contains. */
  fresh: readonly string[];
}

/** The entry Chrome chooses at a host and port: the most specific matching pattern (exact host, then longer [*.] domains, then `*`; an exact port before any port). */
export function chromeAt<E extends SpaceEntry>(entries: ReadonlyMap<string, E>, host: string, port: string): E | null {
  const forms: HostForm[] = [{ kind: 'exact', host }];
  if (!isIpLiteral(host)) for (let at = 0; at >= 0; at = host.indexOf('.', at) + 1 || -1) forms.push({ kind: 'domain', domain: host.slice(at) });
  forms.push({ kind: 'any' });
  for (const form of forms) {
    const entry = entries.get(formatPattern({ host: form, port })) ?? entries.get(formatPattern({ host: form, port: null }));
    if (entry) return entry;
  }
  return null;
}

/**
 * Allow entries Chrome chooses on some host a right-open deny rule matches,
 * each with one such host and port (the engine says no there): at most one
 * per entry and deny port pattern, so that one round of repair makes every
 * cut an entry needs. Only `[*.]d` and `*` entries are probed: an exact host
 * is a kind of its own, checked in the space. One deny per port pattern is
 * enough: any deny there makes the entry wrong, and fixing it against one is
 * fixing it.
 */
export function openDenyOffences<E extends SpaceEntry>(input: ProbeInput<E>): [string, PairOutcome][] {
  const { rules, open, entries, decide, ports, fresh } = input;
  const byPort = new Map<string, { glob: string; rule: number }>();
  open.rulesOf.forEach((list, g) => {
    for (const r of list) {
      const rule = rules[r]!;
      const known = byPort.get(rule.port);
      if (rule.action === 'noCertificate' && (!known || r < known.rule)) byPort.set(rule.port, { glob: open.globs[g]!, rule: r });
    }
  });
  const offences: [string, PairOutcome][] = [];
  if (byPort.size === 0) return offences;
  // Port patterns with a star first: an entry cut against one of those is left out whole, and nothing more is tried on it.
  const denies = [...byPort]
    .map(([port, deny]) => {
      const glob = compileGlob(port);
      return { ...deny, port: glob, wide: port.includes('*'), ports: port.includes('*') ? ports.filter((p) => globMatches(glob, p)) : [port] };
    })
    .sort((a, b) => Number(b.wide) - Number(a.wide));
  const probes = new Map<string, string[]>();
  const probesOf = (glob: string, rest: string) => {
    const key = `${glob} ${rest}`;
    let list = probes.get(key);
    if (!list) probes.set(key, (list = hostsOfOpenGlob(glob, rest)));
    return list;
  };
  for (const entry of entries.values()) {
    const host = entry.pattern.host;
    if (entry.kind !== 'allow' || host.kind === 'exact') continue;
    const rest = host.kind === 'domain' ? `${fresh[0]}.${host.domain}` : `${fresh[0]}.${fresh[1]}`;
    const own = entry.pattern.port;
    entry: for (const deny of denies) {
      const tried = own === null ? deny.ports : globMatches(deny.port, own) ? [own] : [];
      for (const probe of probesOf(deny.glob, rest)) {
        for (const port of tried) {
          const chosen = chromeAt(entries, probe, port);
          if (chosen?.kind !== 'allow') continue;
          const r = decide(probe, port);
          if (r >= 0 && rules[r]!.action === 'useEnrollmentCertificate') continue;
          offences.push([chosen.key, { host: probe, port, deny: r >= 0 ? r : null, allow: null }]);
          // The cut has the entry's host and the port of one of the two (cut-out.ts): all of the entry, so it is left out.
          if (chosen === entry && (own !== null || deny.wide)) break entry;
          continue entry;
        }
      }
    }
  }
  return offences;
}

/**
 * Per right-open allow rule: a host and port where it decides (the engine's
 * deciding rule is this one) and Chrome does not auto-select, on hosts under
 * no named domain; port 443 first, then the rule's own port, then the rest.
 * A rule with no such host found is not in the map.
 */
export function openAllowExamples<E extends SpaceEntry>(input: ProbeInput<E>): Map<number, PairOutcome> {
  const { rules, open, entries, decide, ports, fresh } = input;
  const examples = new Map<number, PairOutcome>();
  // The ports a rule with a starred port tries, in order (filtered by its port); a rule with an exact port tries that one only.
  let anyOrder: string[] | null = null;
  open.rulesOf.forEach((list, g) => {
    const allows = list.filter((r) => rules[r]!.action === 'useEnrollmentCertificate');
    if (allows.length === 0) return;
    const probes = [...hostsOfOpenGlob(open.globs[g]!, `${fresh[0]}.${fresh[1]}`), ...hostsOfOpenGlob(open.globs[g]!, fresh[1]!)];
    for (const r of allows) {
      const own = rules[r]!.port;
      const ownGlob = compileGlob(own);
      const tried = own.includes('*') ? (anyOrder ??= [...new Set(['443', ...ports])]).filter((port) => globMatches(ownGlob, port)) : [own];
      search: for (const probe of probes) {
        for (const port of tried) {
          if (decide(probe, port) !== r || chromeAt(entries, probe, port)?.kind === 'allow') continue;
          examples.set(r, { host: probe, port, deny: null, allow: r });
          break search;
        }
      }
    }
  });
  return examples;
}
