/**
 * Where the repair gives a host back under a never-match entry
 * (CompileState.specialize): an exact allow entry for the host on a port
 * changes Chrome's choice only where a never-match entry matches that host
 * and port, or no allow entry does; and it survives only where the engine
 * does not say no. Elsewhere Chrome already auto-selects, or the entry would
 * be dropped again.
 */
import { compileGlob, globMatches } from '../glob';
import { formatHost, type HostForm } from './chrome-pattern';
import type { SpaceEntry } from './policy-choice';

/** Per exact host, whether an exact entry for it on `port` (null: any port) could change Chrome's choice, given these entries. */
export function restoreNeeded(entries: Iterable<SpaceEntry>): (host: string) => (port: string | null) => boolean {
  const list = [...entries];
  const never = portsByHost(list, 'never');
  const allow = portsByHost(list, 'allow');
  return (host) => {
    const forms = formsAbove(host).map(formatHost);
    const neverAbove = forms.flatMap((form) => never.get(form) ?? []);
    const allowAbove = forms.flatMap((form) => allow.get(form) ?? []);
    return (port) => coversPort(neverAbove, port) || !coversPort(allowAbove, port);
  };
}

/** Whether one of these port patterns (the deny rules at a host) matches a port. */
export function deniedPorts(patterns: readonly string[]): (port: string) => boolean {
  if (patterns.includes('*')) return () => true;
  const exact = new Set(patterns.filter((pattern) => !pattern.includes('*')));
  const globs = patterns.filter((pattern) => pattern.includes('*')).map(compileGlob);
  return (port) => exact.has(port) || globs.some((glob) => globMatches(glob, port));
}

/** The ports of the entries of one kind, by host form (formatHost); null is any port. */
function portsByHost(entries: readonly SpaceEntry[], kind: SpaceEntry['kind']): Map<string, Set<string | null>> {
  const out = new Map<string, Set<string | null>>();
  for (const entry of entries) {
    if (entry.kind !== kind) continue;
    const key = formatHost(entry.pattern.host);
    const ports = out.get(key) ?? new Set();
    ports.add(entry.pattern.port);
    out.set(key, ports);
  }
  return out;
}

/** Whether entries with these ports match somewhere an entry on `port` would (null: any port). */
function coversPort(ports: readonly ReadonlySet<string | null>[], port: string | null): boolean {
  return ports.some((set) => (port === null ? set.size > 0 : set.has(null) || set.has(port)));
}

/** The host forms that match an exact host: its own name, every domain above it (and itself), and `*`. */
function formsAbove(host: string): HostForm[] {
  const labels = host.includes(':') ? [] : host.split('.');
  const domains = labels.map((_, i): HostForm => ({ kind: 'domain', domain: labels.slice(i).join('.') }));
  return [{ kind: 'exact', host }, ...domains, { kind: 'any' }];
}
