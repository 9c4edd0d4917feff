import { CookieJar } from '../../src/console/cookie-jar';
import type { FetchLike } from '../../src/console/transport';

export interface BrowserLikeFetch {
  fetch: FetchLike;
  /** The browser's cookie jar: what `credentials: "include"` sends. */
  jar: CookieJar;
  /** Every request sent, in order, as "METHOD path". */
  sent: string[];
}

/**
 * Node's fetch made to behave as a browser's does for the extension's worker:
 * cookies kept in the browser's own jar (sent and stored with `credentials:
 * "include"`, also from redirect answers), and a redirect asked for with
 * `redirect: "manual"` answered as an opaque redirect, whose status, headers
 * and target the caller cannot see.
 */
export function browserLikeFetch(now: () => number = Date.now): BrowserLikeFetch {
  const jar = new CookieJar(now);
  const sent: string[] = [];
  // Node's own fetch, taken now: a test may then install this one as the global fetch.
  const nodeFetch = globalThis.fetch;
  return {
    jar,
    sent,
    async fetch(input, init) {
      const url = new URL(input);
      sent.push(`${init.method ?? 'GET'} ${url.pathname}`);
      const headers = new Headers(init.headers as Record<string, string>);
      const include = init.credentials === 'include';
      const cookie = include ? jar.header(url) : null;
      if (cookie) headers.set('cookie', cookie);
      const response = await nodeFetch(input, { ...init, headers, redirect: 'manual' });
      if (include) jar.store(url, response.headers.getSetCookie());
      if (init.redirect === 'manual' && response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        return Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' });
      }
      return response;
    },
  };
}
