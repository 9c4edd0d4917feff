/**
 * The subset of Chrome's content-setting patterns the policy export writes:
 * always scheme `https` (the key Chrome looks certificates up with is
 * `https://<host>:<port>` of the server asking, managed_browser_utils.cc
 * GetRequestingUrl), a host that is exact, `[*.]domain` or `*`, and a port
 * that is exact or any (omitted). Facts checked against Chromium's
 * components/content_settings/core/common/content_settings_pattern.cc and
 * content_settings_pattern_parser.cc; see docs/chrome-autoselect.md.
 */
export type HostForm = { kind: 'exact'; host: string } | { kind: 'domain'; domain: string } | { kind: 'any' };

export interface ChromePattern {
  host: HostForm;
  /** Decimal port without leading zeros, or null for any port. */
  port: string | null;
}

/** The pattern string as written into the policy; one canonical spelling per pattern. */
export function formatPattern(pattern: ChromePattern): string {
  const port = pattern.port === null ? '' : `:${pattern.port}`;
  return `https://${formatHost(pattern.host)}${port}`;
}

export function formatHost(host: HostForm): string {
  switch (host.kind) {
    case 'exact':
      return host.host.includes(':') ? `[${host.host}]` : host.host;
    case 'domain':
      return `[*.]${host.domain}`;
    case 'any':
      return '*';
  }
}

/**
 * Whether a normalised host (as the engine's normalizeTarget gives it: no
 * brackets, no trailing dot) matches. `[*.]d` is d itself and every name
 * ending in `.d` (IsSubDomainOrEqual).
 */
export function hostFormMatches(form: HostForm, host: string): boolean {
  switch (form.kind) {
    case 'exact':
      return host === form.host;
    case 'domain':
      return host === form.domain || host.endsWith(`.${form.domain}`);
    case 'any':
      return true;
  }
}

export function patternMatches(pattern: ChromePattern, host: string, port: string): boolean {
  return hostFormMatches(pattern.host, host) && (pattern.port === null || pattern.port === port);
}

/**
 * Rank of a host form among forms that match one and the same host (Compare /
 * CompareHost): an exact host beats any `[*.]` form, a longer domain beats a
 * shorter one, `*` is last. Forms that match one host are nested, so comparing
 * the domain's length in labels orders them.
 */
export function hostRank(form: HostForm): number {
  switch (form.kind) {
    case 'exact':
      return Number.MAX_SAFE_INTEGER;
    case 'domain':
      return form.domain.split('.').length;
    case 'any':
      return -1;
  }
}

/**
 * Positive when `a` is more specific than `b`, for two patterns that both
 * match some URL: host first, then port (an exact port beats any port). The
 * scheme is always https here, so Chromium's scheme step never decides.
 */
export function compareSpecificity(a: ChromePattern, b: ChromePattern): number {
  const host = hostRank(a.host) - hostRank(b.host);
  if (host !== 0) return Math.sign(host);
  return (a.port === null ? 0 : 1) - (b.port === null ? 0 : 1);
}

export function sameHostForm(a: HostForm, b: HostForm): boolean {
  return formatHost(a) === formatHost(b);
}
