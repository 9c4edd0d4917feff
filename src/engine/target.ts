import { parsePlainTlsUrl } from './fast-target';
import { DEFAULT_PORT } from './port-pattern';

/** What a URL means for client certificates (docs/rules.md §3). */
export type Target = { kind: 'tls'; host: string; port: string } | { kind: 'not-tls' } | { kind: 'invalid' };

const TLS_SCHEMES = new Set(['https:', 'wss:']);

export function normalizeTarget(input: string): Target {
  // Most URLs a browser asks about have a plain host: skip the full parser for
  // them (fast-target.ts says why the answer is the same; a property test checks it).
  return parsePlainTlsUrl(input) ?? normalizeWithUrlParser(input);
}

/** docs/rules.md §3 with the WHATWG URL parser, for every URL. */
export function normalizeWithUrlParser(input: string): Target {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { kind: 'invalid' };
  }
  if (!TLS_SCHEMES.has(url.protocol)) return { kind: 'not-tls' };
  return { kind: 'tls', host: normalizeHostname(url.hostname), port: url.port === '' ? DEFAULT_PORT : url.port };
}

/** The parser already lower-cases and IDNA-encodes; drop one trailing dot and IPv6 brackets. */
export function normalizeHostname(hostname: string): string {
  let host = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host;
}
