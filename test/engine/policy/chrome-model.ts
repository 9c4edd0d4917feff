/**
 * A model of how Chrome picks a client certificate from the
 * AutoSelectCertificateForUrls policy, written for the tests from Chromium's
 * code, independently of src/engine/policy:
 * - content_settings_policy_provider.cc GetAutoSelectCertificateSettingsFromPreferences:
 *   each string is JSON {pattern, filter}; invalid JSON, or a missing pattern or
 *   filter, is skipped; filters of entries with the same pattern string are
 *   collected into one list (alternatives); invalid patterns are skipped.
 * - content_settings_pattern_parser.cc Parse + content_settings_pattern.cc
 *   Builder::Canonicalize/Validate: `*`, `[scheme://]host[:port][/path]`, host
 *   `[*.]domain`, `*`, or a name without `*`; port digits or `*`, omitted = any.
 * - ContentSettingsPattern::Matches: scheme, then host (exact, or
 *   IsSubDomainOrEqual for `[*.]`), then port (the URL's or its scheme default).
 * - Compare / CompareHost / ComparePort / CompareScheme: the most specific
 *   matching pattern wins (host, then port, then scheme); only its filters count.
 * - managed_browser_utils.cc: the lookup URL is https://host:port of the
 *   server; certificate_principal_pattern.cc: CN and L equal, O and OU contained.
 */
export interface ModelPrincipal {
  CN: string;
  L: string;
  O: string[];
  OU: string[];
}

export interface ModelCertificate {
  issuer: ModelPrincipal;
  subject: ModelPrincipal;
}

interface Pattern {
  schemeWildcard: boolean;
  scheme: string;
  domainWildcard: boolean;
  /** Canonical host; '' with domainWildcard means every host. IPv6 keeps its brackets, as GURL's host does. */
  host: string;
  portWildcard: boolean;
  port: string;
}

type Relation = 'identity' | 'predecessor' | 'successor' | 'disjoint';

export function parsePattern(spec: string): Pattern | null {
  if (spec === '*') return { schemeWildcard: true, scheme: '', domainWildcard: true, host: '', portWildcard: true, port: '' };
  if (spec === '') return null;
  let rest = spec;
  let scheme: string | null = null;
  const sep = rest.indexOf('://');
  if (sep >= 0) {
    scheme = rest.slice(0, sep);
    rest = rest.slice(sep + 3);
  }
  if (rest === '') return null;
  let hostEnd = 0;
  if (rest.startsWith('[')) {
    hostEnd = rest.indexOf(']');
    if (hostEnd < 0) return null;
  }
  const cut = rest.slice(hostEnd).search(/[:/]/);
  let hostPiece = cut < 0 ? rest : rest.slice(0, hostEnd + cut);
  let portPiece = '';
  if (cut >= 0 && rest[hostEnd + cut] === ':') {
    const after = rest.slice(hostEnd + cut + 1);
    portPiece = after.split('/')[0] ?? '';
  }
  const pattern: Pattern = { schemeWildcard: true, scheme: '', domainWildcard: false, host: '', portWildcard: true, port: '' };
  if (scheme !== null && scheme !== '' && scheme !== '*') {
    pattern.schemeWildcard = false;
    pattern.scheme = scheme.toLowerCase();
  }
  if (hostPiece === '*') {
    pattern.domainWildcard = true;
    hostPiece = '';
  } else if (hostPiece.startsWith('[*.]')) {
    pattern.domainWildcard = true;
    hostPiece = hostPiece.slice(4);
  } else if (hostPiece.includes('*')) {
    return null;
  }
  if (portPiece !== '') {
    if (portPiece !== '*') {
      if (!/^[0-9]+$/.test(portPiece)) return null;
      pattern.portWildcard = false;
      pattern.port = portPiece;
    }
  }
  if (hostPiece !== '') {
    let canonical: string;
    try {
      canonical = new URL(`https://${hostPiece}/`).hostname;
    } catch {
      return null;
    }
    const isIp = canonical.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(canonical);
    if (isIp && pattern.domainWildcard) return null;
    if (pattern.domainWildcard && canonical.startsWith('.')) return null;
    if (canonical.endsWith('..')) return null;
    if (canonical.length >= 2 && canonical.endsWith('.')) canonical = canonical.slice(0, -1);
    pattern.host = canonical;
  } else if (!pattern.domainWildcard) {
    return null;
  }
  if (!pattern.schemeWildcard && pattern.scheme !== 'http' && pattern.scheme !== 'https') return null;
  return pattern;
}

function isSubDomainOrEqual(sub: string, domain: string): boolean {
  if (domain === '') return true;
  if (sub === domain) return true;
  return sub.length > domain.length && sub[sub.length - domain.length - 1] === '.' && sub.endsWith(domain);
}

function matches(pattern: Pattern, url: URL): boolean {
  const scheme = url.protocol.slice(0, -1);
  if (!pattern.schemeWildcard && pattern.scheme !== scheme) return false;
  let host = url.hostname;
  if (host.length > 1 && host.endsWith('.')) host = host.slice(0, -1);
  if (!pattern.domainWildcard ? pattern.host !== host : !isSubDomainOrEqual(host, pattern.host)) return false;
  const port = url.port !== '' ? url.port : scheme === 'https' ? '443' : scheme === 'http' ? '80' : '';
  return pattern.portWildcard || pattern.port === port;
}

function compareHost(a: Pattern, b: Pattern): Relation {
  if (!a.domainWildcard && !b.domainWildcard) return a.host === b.host ? 'identity' : 'disjoint';
  if (a.domainWildcard && !b.domainWildcard) return isSubDomainOrEqual(b.host, a.host) ? 'successor' : 'disjoint';
  if (!a.domainWildcard && b.domainWildcard) return isSubDomainOrEqual(a.host, b.host) ? 'predecessor' : 'disjoint';
  if (a.host === b.host) return 'identity';
  if (isSubDomainOrEqual(b.host, a.host)) return 'successor';
  if (isSubDomainOrEqual(a.host, b.host)) return 'predecessor';
  return 'disjoint';
}

function compareWildcard(aWild: boolean, a: string, bWild: boolean, b: string): Relation {
  if (aWild && !bWild) return 'successor';
  if (!aWild && bWild) return 'predecessor';
  return a === b ? 'identity' : 'disjoint';
}

/** ContentSettingsPattern::Compare: disjoint if any part is; else the first part that differs decides. */
export function compare(a: Pattern, b: Pattern): Relation {
  const relations = [
    compareHost(a, b),
    compareWildcard(a.portWildcard, a.port, b.portWildcard, b.port),
    compareWildcard(a.schemeWildcard, a.scheme, b.schemeWildcard, b.scheme),
  ];
  if (relations.includes('disjoint')) return 'disjoint';
  return relations.find((relation) => relation !== 'identity') ?? 'identity';
}

function principalMatches(filter: unknown, principal: ModelPrincipal): boolean {
  if (typeof filter !== 'object' || filter === null) return true;
  const field = (key: string) => {
    const value = (filter as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : '';
  };
  if (field('CN') !== '' && field('CN') !== principal.CN) return false;
  if (field('L') !== '' && field('L') !== principal.L) return false;
  if (field('O') !== '' && !principal.O.includes(field('O'))) return false;
  if (field('OU') !== '' && !principal.OU.includes(field('OU'))) return false;
  return true;
}

function filterMatches(filter: unknown, certificate: ModelCertificate): boolean {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) return false;
  const record = filter as Record<string, unknown>;
  return principalMatches(record['ISSUER'], certificate.issuer) && principalMatches(record['SUBJECT'], certificate.subject);
}

export interface ModelPolicy {
  rules: { spec: string; pattern: Pattern; filters: unknown[] }[];
  /** Distinct pattern strings that Chrome canonicalises to the same pattern: which one survives is unspecified. */
  collisions: [string, string][];
}

export function loadPolicy(entries: readonly unknown[]): ModelPolicy {
  const byString = new Map<string, unknown[]>();
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    let value: unknown;
    try {
      value = JSON.parse(entry);
    } catch {
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const pattern = (value as Record<string, unknown>)['pattern'];
    if (typeof pattern !== 'string' || !('filter' in value)) continue;
    const list = byString.get(pattern) ?? [];
    list.push((value as Record<string, unknown>)['filter']);
    byString.set(pattern, list);
  }
  const rules: ModelPolicy['rules'] = [];
  const collisions: [string, string][] = [];
  for (const [spec, filters] of byString) {
    const pattern = parsePattern(spec);
    if (!pattern) continue;
    const same = rules.find((rule) => compare(rule.pattern, pattern) === 'identity');
    if (same) collisions.push([same.spec, spec]);
    rules.push({ spec, pattern, filters });
  }
  return { rules, collisions };
}

export interface ModelChoice {
  /** The pattern string that decides, or null when none matches (no auto-selection). */
  spec: string | null;
  autoSelect: boolean;
}

/** What Chrome does when the server at https://host:port asks for a certificate and `certificate` fits its request. */
export function chromeChoice(policy: ModelPolicy, url: string, certificate: ModelCertificate): ModelChoice {
  const parsed = new URL(url);
  const requesting = new URL(`https://${parsed.host}/`);
  if (parsed.port !== '') requesting.port = parsed.port;
  const matching = policy.rules.filter((rule) => matches(rule.pattern, requesting));
  const best = matching.find((rule) => matching.every((other) => other === rule || compare(rule.pattern, other.pattern) === 'predecessor'));
  if (!best) {
    if (matching.length > 0) throw new Error(`model: no single most specific pattern among ${matching.map((rule) => rule.spec).join(', ')}`);
    return { spec: null, autoSelect: false };
  }
  return { spec: best.spec, autoSelect: best.filters.some((filter) => filterMatches(filter, certificate)) };
}
