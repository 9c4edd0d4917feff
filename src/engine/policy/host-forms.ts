import { compileGlob, globMatches } from '../glob';
import { normalizeHostname } from '../target';
import type { HostForm } from './chrome-pattern';

/**
 * The host as the URL parser writes it (what the engine compares rule hosts
 * with, and what Chrome canonicalises pattern hosts to), or null when it is
 * not a host at all. A rule host that differs from its canonical form can
 * never match a URL.
 */
export function canonicalHost(host: string): string | null {
  // A compile asks about each rule host and its forms several times; the URL parser is the costly part.
  let known = canonical.get(host);
  if (known === undefined) {
    known = parseHost(host);
    if (canonical.size >= 50_000) canonical.clear();
    canonical.set(host, known);
  }
  return known;
}

const canonical = new Map<string, string | null>();

function parseHost(host: string): string | null {
  try {
    if (host.includes(':')) {
      const hostname = new URL(`https://[${host}]/`).hostname;
      return hostname.slice(1, -1);
    }
    return normalizeHostname(new URL(`https://${host}/`).hostname);
  } catch {
    return null;
  }
}

const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

export function isIpLiteral(host: string): boolean {
  return host.includes(':') || IPV4.test(host);
}

/**
 * Whether `[*.]domain` is a pattern Chrome accepts and that means what it
 * says: a canonical name, not an IP address (Chrome rejects a domain wildcard
 * on an IP, content_settings_pattern.cc Canonicalize).
 */
export function isDomainForWildcard(domain: string): boolean {
  return domain !== '' && !domain.includes('*') && !hasEmptyLabel(domain) && canonicalHost(domain) === domain && !isIpLiteral(domain);
}

/**
 * A name the URL parser writes unchanged and that has no empty label. The
 * parser keeps "a..b", but no rule host has one (docs/rules.md §2) and the
 * export's walk does not check such names, so no pattern may name one:
 * `*.x.*.d` with its stars left out is not the host "x..d".
 */
export function isExactHost(host: string): boolean {
  return host !== '' && !host.includes('*') && !hasEmptyLabel(host) && canonicalHost(host) === host;
}

const hasEmptyLabel = (host: string) => !host.includes(':') && host.split('.').includes('');

export const globOf = (form: HostForm): string[] => {
  switch (form.kind) {
    case 'exact':
      return [form.host];
    case 'domain':
      return [form.domain, `*.${form.domain}`];
    case 'any':
      return ['*'];
  }
};

export interface DerivedForm {
  form: HostForm;
  /** True when the form matches exactly the hosts the glob matches (the `*.d` apex aside, see below). */
  same: boolean;
  /** For `*.d`: `[*.]d` also covers d itself, which the rule does not. */
  apexHole: string | null;
}

/**
 * The widest Chrome host form whose hosts the glob also matches (apart from a
 * `*.d` rule's apex, which the caller closes). `*.d` → `[*.]d`; `*d` →
 * `[*.]d` (narrower: not `xd`); a literal → itself; any other glob → the host
 * it matches with every `*` empty, when that is a host; otherwise null.
 */
export function deriveHostForm(glob: string): DerivedForm | null {
  if (!glob.includes('*')) return isExactHost(glob) ? { form: { kind: 'exact', host: glob }, same: true, apexHole: null } : null;
  if (glob === '*') return { form: { kind: 'any' }, same: true, apexHole: null };
  const compiled = compileGlob(glob);
  if (glob.startsWith('*')) {
    const rest = glob.slice(1);
    const domain = (rest.startsWith('.') ? rest.slice(1) : rest).replaceAll('*', '');
    // Every subdomain x.d matches "*…" exactly when ".d" does: the leading star takes "x".
    if (isDomainForWildcard(domain) && globMatches(compiled, `.${domain}`)) {
      const apexMatches = globMatches(compiled, domain);
      const same = !rest.slice(1).includes('*') && rest === `.${domain}`;
      return { form: { kind: 'domain', domain }, same, apexHole: apexMatches ? null : domain };
    }
    if (isExactHost(domain) && globMatches(compiled, domain)) return { form: { kind: 'exact', host: domain }, same: false, apexHole: null };
    return null;
  }
  const host = glob.replaceAll('*', '');
  if (isExactHost(host) && globMatches(compiled, host)) return { form: { kind: 'exact', host }, same: false, apexHole: null };
  return null;
}

/**
 * The longest domain d with every host the glob matches equal to d or ending
 * in ".d": a `[*.]d` entry then covers the whole rule (and maybe more).
 */
export function domainCover(glob: string): string | null {
  if (!glob.includes('*')) return isDomainForWildcard(glob) ? glob : null;
  let tail = glob.slice(glob.lastIndexOf('*') + 1);
  for (let dot = tail.indexOf('.'); dot >= 0; dot = tail.indexOf('.')) {
    tail = tail.slice(dot + 1);
    if (isDomainForWildcard(tail)) return tail;
  }
  return null;
}

/** IPv6 addresses to test IPv6 rules on: the walk in glob-space.ts covers names and IPv4 only. */
export function ipv6Probes(globs: readonly string[]): string[] {
  const probes = new Set<string>(['::1']);
  for (const glob of globs) {
    if (!glob.includes(':')) continue;
    for (const fill of ['', '0', '1', 'a', '0:0', '1:1', 'ffff']) {
      const candidate = canonicalHost(glob.replaceAll('*', fill));
      if (candidate && candidate.includes(':')) probes.add(candidate);
    }
  }
  return [...probes];
}
