import { DEFAULT_PORT } from './port-pattern';

/**
 * A fast path for the commonest URL shape, `https://host[:port][/?#…]` with a
 * plain lower-case ASCII host, that gives exactly what the WHATWG URL parser
 * gives (docs/rules.md §3) — or null, and the caller asks the parser. It answers
 * only where the URL standard makes the answer certain:
 * - the input starts with exactly `https://` or `wss://` (no leading white space,
 *   no upper case, no missing slashes, both schemes default to port 443);
 * - the host is made of non-empty labels of `a-z 0-9 - _`, none starting with
 *   `xn--`: the standard's "domain to ASCII" is then plain lower-casing, and no
 *   such character is a forbidden host code point;
 * - the last label starts with a letter, so the host never "ends in a number"
 *   and is never parsed as IPv4;
 * - the host ends at the end, `/`, `?`, `#` or `\` (special schemes treat `\`
 *   as `/`), or at `:` followed by digits ending the same way (an empty port or
 *   443 is the default; leading zeros vanish; above 65535 is left to the parser).
 * Anything else — `@` (user info), `%`, brackets, tabs or new lines (which the
 * parser strips), a trailing dot, IP addresses, IDNA — goes to the parser. What
 * comes after the host cannot make the parse fail, so it is not read.
 */
export function parsePlainTlsUrl(input: string): { kind: 'tls'; host: string; port: string } | null {
  let at: number;
  if (input.startsWith('https://')) at = 8;
  else if (input.startsWith('wss://')) at = 6;
  else return null;
  const hostStart = at;
  const end = input.length;
  let labelStart = at;
  let char = -1;
  for (; at < end; at++) {
    char = input.charCodeAt(at);
    if ((char >= 0x61 && char <= 0x7a) || (char >= 0x30 && char <= 0x39) || char === 0x2d || char === 0x5f) continue;
    if (char !== 0x2e) break;
    if (at === labelStart || isPunycode(input, labelStart, at)) return null;
    labelStart = at + 1;
  }
  if (at === labelStart || isPunycode(input, labelStart, at)) return null;
  const first = input.charCodeAt(labelStart);
  if (first < 0x61 || first > 0x7a) return null;
  const host = input.slice(hostStart, at);
  if (at === end || isTerminator(char)) return { kind: 'tls', host, port: DEFAULT_PORT };
  if (char !== 0x3a) return null;
  const portStart = ++at;
  let port = 0;
  for (; at < end; at++) {
    char = input.charCodeAt(at);
    if (char < 0x30 || char > 0x39) break;
    port = port * 10 + (char - 0x30);
    if (port > 65535) return null;
  }
  if (at < end && !isTerminator(char)) return null;
  return { kind: 'tls', host, port: at === portStart || port === 443 ? DEFAULT_PORT : String(port) };
}

function isTerminator(char: number): boolean {
  return char === 0x2f || char === 0x3f || char === 0x23 || char === 0x5c;
}

function isPunycode(input: string, from: number, to: number): boolean {
  return to - from >= 4 && input.startsWith('xn--', from);
}
