/**
 * Where the repair gives a host back under a never-match entry
 * (CompileState.specialize): an exact allow entry for the host on a port
 * changes Chrome's choice only where a never-match entry matches that host
 * and port, or no allow entry does; and it survives only where the engine
 * does not say no. Elsewhere Chrome already auto-selects, or the entry would
 * be dropped again.
 */
import { compileGlob, globMatches } from '../glob';
import type { NormalizedRule } from '../model';
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

/**
 * Ports a host may get back, waiting: per candidate, the rule and the index of
 * the port among its entries' ports (`portForms[r][i]`), flat
 * ([r, i, r, i, …]). A host under never-match entries can wait on thousands
 * of `*` rules' ports for the whole repair: eight bytes each, not an object.
 */
export type RestoreCandidates = Int32Array;

/**
 * The allow rules' ports (in rule order) a host may get back, of the rules
 * matching it, as lists each in rule order with a rule in one of them (the
 * rules of each glob the host matches); `portForms[r]`: the ports rule r's
 * entries take (null: any port). Where the engine says no, a restored entry
 * would only be dropped again. Thousands of rules can match one host (`*` on
 * ports of their own) and few of their ports are left, so the lists are read
 * as they are and only what is left is put in order.
 */
export function portsToRestore(
  rules: readonly NormalizedRule[],
  portForms: readonly (readonly (string | null)[])[],
  matching: readonly (readonly number[])[],
): RestoreCandidates {
  // Indexed loops: this runs once per such host, mostly before the engine optimises it, and for-of allocates there.
  const denyPorts: string[] = [];
  for (const list of matching) {
    for (let k = 0; k < list.length; k += 1) {
      const rule = rules[list[k]!]!;
      if (rule.action === 'noCertificate') denyPorts.push(rule.port);
    }
  }
  const denied = deniedPorts(denyPorts);
  const left: number[] = [];
  for (const list of matching) {
    for (let k = 0; k < list.length; k += 1) {
      const r = list[k]!;
      if (rules[r]!.action !== 'useEnrollmentCertificate') continue;
      const ports = portForms[r]!;
      for (let i = 0; i < ports.length; i += 1) {
        const port = ports[i] as string | null;
        if (port === null || !denied(port)) left.push(r, i);
      }
    }
  }
  if (matching.length <= 1) return Int32Array.from(left);
  // By rule, stably (a rule is in one list, and its ports keep their order).
  const order = Array.from({ length: left.length / 2 }, (_, c) => c).sort((a, b) => left[2 * a]! - left[2 * b]!);
  const out = new Int32Array(left.length);
  order.forEach((c, k) => {
    out[2 * k] = left[2 * c]!;
    out[2 * k + 1] = left[2 * c + 1]!;
  });
  return out;
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
