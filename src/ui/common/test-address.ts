/**
 * What the tester sends for what a person typed: a URL as typed, or, for a
 * bare host, `host:port` or `host/path` (no scheme), the same address as
 * https — the scheme a client certificate is sent over, and what a browser
 * assumes for a typed host. `assumed` says the scheme was added, so the page
 * can say so. Nothing typed: null.
 *
 * "www.acme.com:8443" parses as a URL whose scheme is "www.acme.com:", so a
 * scheme counts only when "//" follows it, or when it is one of the schemes
 * written without it (mailto:, data:, …), which are then tested as typed.
 */
const SCHEMES_WITHOUT_SLASHES = /^(?:about|blob|data|file|javascript|mailto|tel|view-source):/i;
const WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export function addressToTest(typed: string): { url: string; assumed: boolean } | null {
  const text = typed.trim();
  if (text === '') return null;
  if (WITH_SCHEME.test(text) || SCHEMES_WITHOUT_SLASHES.test(text)) return { url: text, assumed: false };
  return { url: `https://${text}`, assumed: true };
}
