// The naive reference matcher: one anchored regular expression per rule
// pattern, and the rules tried in turn — every deny rule in order, then every
// allow rule — exactly as docs/rules.md §5 reads. Written independently of
// src/engine (it imports none of it), so the tests can hold the engine to it
// (test/engine/differential.test.ts, test/engine/rule-index.test.ts) and the
// benchmarks can measure the engine against it (scripts/bench). Honest, not
// absurd: each expression is built once. Plain JavaScript, so that
// scripts/bench/naive-check.mjs runs it in a bare `node` process; the types
// are in naive-matcher.d.mts.

const DENY = 'noCertificate';
const ALLOW = 'useEnrollmentCertificate';

/** `*` matches any run of characters (none included); everything else stands for itself. */
export function globToRegExp(pattern) {
  return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\-]/g, (ch) => (ch === '*' ? '.*' : `\\${ch}`))}$`);
}

/**
 * A rule as written in a file, normalised as far as the generated rules of
 * the tests and benchmarks need: host trimmed, lower case, no trailing dot,
 * runs of `*` as one; port missing or empty → 443, leading zeros dropped.
 * No IDNA, IPv6 forms or validation: not a replacement for the engine.
 */
export function naiveNormalize(raw) {
  const host = String(raw.host).trim().toLowerCase().replace(/\.$/, '').replace(/\*+/g, '*');
  const text = raw.port === undefined || raw.port === null ? '' : String(raw.port).trim();
  const port = text === '' ? '443' : text.replace(/\*+/g, '*').replace(/^0+(?=\d)/, '');
  return { host, port, action: raw.action };
}

/** Over normalised rules; every answer names rules by their position in `rules`. */
export function createNaiveMatcher(rules) {
  const compiled = rules.map((rule, order) => ({ order, action: rule.action, host: globToRegExp(rule.host), port: globToRegExp(rule.port) }));
  const byAction = { [DENY]: compiled.filter((entry) => entry.action === DENY), [ALLOW]: compiled.filter((entry) => entry.action === ALLOW) };
  const first = (host, port, action) => {
    for (const entry of byAction[action] ?? []) {
      if (entry.host.test(host) && entry.port.test(port)) return entry.order;
    }
    return null;
  };
  return {
    first,
    all: (host, port) => compiled.filter((entry) => entry.host.test(host) && entry.port.test(port)).map((entry) => entry.order),
    decide(host, port) {
      const deny = first(host, port, DENY);
      if (deny !== null) return { decision: DENY, reason: 'deny-rule', rule: deny };
      const allow = first(host, port, ALLOW);
      if (allow !== null) return { decision: ALLOW, reason: 'allow-rule', rule: allow };
      return { decision: DENY, reason: 'no-match', rule: null };
    },
  };
}

/** The decision for a URL: its host and port (443 when none), for https: and wss: only. */
export function naiveDecideUrl(matcher, url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return { decision: DENY, reason: 'invalid-url', rule: null };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'wss:') return { decision: 'notApplicable', reason: 'not-tls', rule: null };
  const host = parsed.hostname.replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  return matcher.decide(host, parsed.port || '443');
}
