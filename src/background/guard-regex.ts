import { compileGlob, globMatches } from '../engine/index';

/**
 * Host and port patterns as RE2 regular expressions over the URL exactly as
 * Chromium and Firefox hand it to declarativeNetRequest: canonical, so the
 * scheme and host are lower-case ASCII (IDNA done), the default port 443 is
 * never written, an IPv6 host is in brackets, a path always follows the
 * authority, and a user name may precede the host (`https://u:p@host/`).
 *
 * The expressions must decide exactly what the engine decides
 * (docs/rules.md §3–4): `*` is any run of characters, the host loses one
 * trailing dot before matching, a missing port means 443. They use only
 * constructs RE2 and JavaScript agree on (classes, `?`, `*`, `(?:…)`), so a
 * JavaScript RegExp is a faithful model of them in tests.
 *
 * Classes are written as ASCII ranges rather than `[^/:@]`: a canonical URL
 * is ASCII, and negated classes compile to many UTF-8 byte ranges, which eats
 * into Chrome's 2 KB-per-regex memory limit.
 */

/** Any character a canonical host can contain (printable ASCII except `/`, `:` and `@`). */
export const HOST_CHAR = '[!-.0-9;-?A-~]';
/** HOST_CHAR without the dot. */
const HOST_CHAR_NOT_DOT = '[!-\\x2d0-9;-?A-~]';
/** Any character of a canonical user-info part (printable ASCII except `/` and `@`). */
const USERINFO_CHAR = '[!-.0-?A-~]';
/** Characters of an IPv6 literal inside the brackets. */
const IPV6_CHAR = '[0-9a-f:.]';

export const URL_PREFIX = `^https://(?:${USERINFO_CHAR}*@)?`;
/** The rest of the URL: a path always follows the authority in a canonical https URL. */
export const URL_SUFFIX = '/.*';

const RE2_SPECIAL = /[\\^$.|?*+()[\]{}]/g;

export function escapeRegex(literal: string): string {
  return literal.replace(RE2_SPECIAL, '\\$&');
}

function globToRegex(pattern: string, anyChar: string): string {
  return pattern.split('*').map(escapeRegex).join(`${anyChar}*`);
}

export function isIpv6Pattern(host: string): boolean {
  return host.includes(':');
}

/** Could a (non-IPv6) host pattern also match an IPv6 address? Only when it has a star and nothing but hex digits, dots and stars. */
function mayMatchIpv6(host: string): boolean {
  return host.includes('*') && /^[0-9a-f.*]+$/.test(host);
}

/**
 * The host part: a name (with the one optional trailing dot the engine
 * ignores) or a bracketed IPv6 literal.
 */
export function hostRegex(host: string): string {
  if (isIpv6Pattern(host)) return `\\[${globToRegex(host, IPV6_CHAR)}\\]`;
  const name = nameRegex(host);
  if (!mayMatchIpv6(host)) return name;
  return `(?:${name}|\\[${globToRegex(host, IPV6_CHAR)}\\])`;
}

/**
 * A host name pattern against the written host, whose one trailing dot the
 * engine drops before matching. A pattern that ends in a literal can never
 * swallow that dot, so "pattern, then an optional dot" is exact. A pattern
 * ending in `*` could (`*.org.*` must not match `acme.org.`, which the engine
 * reads as `acme.org`), so it becomes two alternatives: the written host
 * without a trailing dot, matched by the pattern and not ending in a dot; or
 * the pattern followed by the dot.
 */
function nameRegex(host: string): string {
  const whole = globToRegex(host, HOST_CHAR);
  if (!host.endsWith('*')) return `${whole}\\.?`;
  // Stars are collapsed, so what precedes the last star is empty or ends in a literal.
  const head = host.slice(0, -1);
  const tailNotDot = `${HOST_CHAR}*${HOST_CHAR_NOT_DOT}`;
  const withoutDot =
    head === '' ? tailNotDot : head.endsWith('.') ? `${globToRegex(head, HOST_CHAR)}${tailNotDot}` : `${globToRegex(head, HOST_CHAR)}(?:${tailNotDot})?`;
  return `(?:${withoutDot}|${whole}\\.)`;
}

/** Several literal hosts (no star, not IPv6) as one alternation. */
export function exactHostsRegex(hosts: readonly string[]): string {
  const body = hosts.map(escapeRegex).join('|');
  return hosts.length === 1 ? `${body}\\.?` : `(?:${body})\\.?`;
}

/** Several `*.suffix` patterns (the suffix without a star) as one alternation. */
export function suffixHostsRegex(suffixes: readonly string[]): string {
  const body = suffixes.map(escapeRegex).join('|');
  return `${HOST_CHAR}*\\.${suffixes.length === 1 ? body : `(?:${body})`}\\.?`;
}

/**
 * The port part. The canonical URL omits 443, so a pattern that matches 443
 * also matches "no port written"; any other port is written as `:digits`.
 */
export function portRegex(port: string): string {
  const matches443 = globMatches(compileGlob(port), '443');
  if (!port.includes('*')) return port === '443' ? '' : `:${port}`;
  const digits = globToRegex(port, '[0-9]');
  return matches443 ? `(?::${digits})?` : `:${digits}`;
}

/** The suffix of a `*.suffix` pattern, or null when the pattern has another shape. */
export function dotSuffix(host: string): string | null {
  if (!host.startsWith('*.')) return null;
  const rest = host.slice(2);
  return rest.length > 0 && !rest.includes('*') ? rest : null;
}

export function fullRegex(hostPart: string, portPart: string): string {
  return `${URL_PREFIX}${hostPart}${portPart}${URL_SUFFIX}`;
}
