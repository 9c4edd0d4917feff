import { collapseStars } from './glob';
import { fail, ok, type Result } from './result';

const HOST_CHARS = /^[a-z0-9.\-_*]+$/;
const IPV6_CHARS = /^[0-9a-f:.*]+$/;
// The whole ASCII range, control characters included: anything else is a non-ASCII letter for IDNA.
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Normalises a host pattern exactly as docs/rules.md §2 says, or explains what
 * is wrong and what to write instead.
 */
export function normalizeHostPattern(input: unknown): Result<string> {
  if (typeof input !== 'string') {
    return fail(`the host must be a string, not ${describeType(input)}; write a host name such as "intranet.acme.com"`);
  }
  const trimmed = input.trim().toLowerCase();
  if (trimmed === '') return fail('the host is empty; write a host name such as "intranet.acme.com", or "*" for every host');
  const shapeProblem = explainShapeProblem(trimmed);
  if (shapeProblem) return fail(shapeProblem);

  if (looksLikeIpv6(trimmed)) return normalizeIpv6Pattern(trimmed);

  const withoutDot = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  const labels = withoutDot.split('.');
  const converted: string[] = [];
  for (const label of labels) {
    const result = toAsciiLabel(label);
    if (!result.ok) return result;
    converted.push(result.value);
  }
  const pattern = collapseStars(converted.join('.'));
  if (pattern === '') return fail('the host is empty; write a host name such as "intranet.acme.com"');
  if (pattern.split('.').some((label) => label === '')) {
    return fail(explainEmptyLabel(pattern));
  }
  if (!HOST_CHARS.test(pattern)) {
    const bad = [...pattern].find((ch) => !/[a-z0-9.\-_*]/.test(ch)) ?? '?';
    return fail(`the host contains "${bad}", which no host name can; use only letters, digits, ".", "-", "_" and "*"`);
  }
  return ok(pattern);
}

/** Problems that point at a URL or a port typed into the host field. */
function explainShapeProblem(host: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(host);
  if (scheme) {
    const rest = host.slice(scheme[0].length).split(/[/?#]/)[0] ?? '';
    return `the host must not contain a scheme ("${scheme[1]}://"); write just the host, e.g. "${rest || 'intranet.acme.com'}"`;
  }
  if (/[/?#\\]/.test(host)) {
    const before = host.split(/[/?#\\]/)[0] ?? '';
    return `the host must not contain a path, query or fragment; write just the host, e.g. "${before || 'intranet.acme.com'}"`;
  }
  if (/\s/.test(host)) return 'the host contains white space; a host name cannot, so remove it';
  if (host.includes('@')) return 'the host must not contain a user name ("@"); write just the host';
  const bracketed = /^\[([^\]]*)\](.*)$/.exec(host);
  if (bracketed) {
    if (bracketed[2] !== '') {
      return bracketed[2]?.startsWith(':')
        ? `the host must not contain a port ("${bracketed[2]}"); write "${bracketed[1]}" as the host and put the port in the port field`
        : `unexpected text "${bracketed[2]}" after the IPv6 address; write just "[${bracketed[1]}]"`;
    }
    return null;
  }
  const colons = host.split(':').length - 1;
  if (colons === 1) {
    const [name, port] = host.split(':');
    return `the host must not contain a port (":${port}"); write "${name}" as the host and "${port}" in the port field`;
  }
  return null;
}

function looksLikeIpv6(host: string): boolean {
  return host.startsWith('[') || host.split(':').length > 2;
}

function normalizeIpv6Pattern(host: string): Result<string> {
  const inner = host.startsWith('[') ? host.slice(1, -1) : host;
  if (!IPV6_CHARS.test(inner)) {
    return fail(`"${inner}" is not an IPv6 address; an IPv6 pattern uses only hex digits, ":", "." and "*"`);
  }
  if (inner.includes('*')) return ok(collapseStars(inner));
  try {
    const hostname = new URL(`https://[${inner}]/`).hostname;
    return ok(hostname.slice(1, -1));
  } catch {
    return fail(`"${inner}" is not a valid IPv6 address; write it as in "fe80::1" or "[::1]"`);
  }
}

function toAsciiLabel(label: string): Result<string> {
  if (ASCII.test(label)) return ok(label);
  if (label.includes('*')) {
    return fail(`the label "${label}" mixes non-ASCII letters and "*"; write the wildcard next to the label's ASCII (xn--) form instead`);
  }
  try {
    // The URL parser applies the same IDNA processing the browser applies to the
    // URL being visited, so pattern and host are compared in the same form.
    const hostname = new URL(`https://${label}/`).hostname;
    if (hostname.includes('.') || !HOST_CHARS.test(hostname)) {
      return fail(`the label "${label}" is not a valid internationalised host label`);
    }
    return ok(hostname);
  } catch {
    return fail(`the label "${label}" is not a valid internationalised host label`);
  }
}

function explainEmptyLabel(pattern: string): string {
  if (pattern.startsWith('.')) {
    return `the host starts with "."; for every subdomain write "*${pattern}", for the domain itself "${pattern.slice(1)}"`;
  }
  return `the host "${pattern}" has an empty label (".."); write each dot-separated part with at least one character`;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
