/**
 * The address the guard stopped, from the guard page's query string.
 *
 * declarativeNetRequest's regexSubstitution inserts the matched URL as it is,
 * unencoded, so `?url=https://a.example/x?y=1&z=2` must be read as everything
 * after "url=" (the URL may itself contain "&" and "="). An encoded value
 * (`?url=https%3A%2F%2F…`, e.g. from a link) is decoded. Only https/wss URLs
 * are returned: the page navigates to it on "continue", so nothing else may pass.
 */
export function blockedUrlFrom(search: string): string | null {
  const query = search.startsWith('?') ? search.slice(1) : search;
  const start = query.startsWith('url=') ? 4 : query.indexOf('&url=') >= 0 ? query.indexOf('&url=') + 5 : -1;
  if (start < 0) return null;
  const raw = query.slice(start);
  let candidate: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    candidate = raw;
  } else {
    const encoded = raw.split('&')[0] ?? '';
    try {
      candidate = decodeURIComponent(encoded);
    } catch {
      return null;
    }
  }
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'wss:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The address as the page shows it: without a user name or password typed
 * into it (`https://user:secret@host/`), which the page must never display.
 * Continuing still goes to the address as given.
 */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}
