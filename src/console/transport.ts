import type { CookieJar } from './cookie-jar';
import { ConsoleError } from './failure';
import { readBodyLimited } from './read-body';

/**
 * How cookies reach the console:
 * - `browser`: the browser's own cookie jar (`credentials: "include"`), as in the
 *   extension's service worker; the client never sees the session cookie.
 * - `jar`: the client's own jar (Node, where fetch keeps no cookies); cookies set
 *   on redirect responses are kept too.
 */
export type CookieStrategy = { kind: 'browser' } | { kind: 'jar'; jar: CookieJar };

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  fetch: FetchLike;
  baseUrl: URL;
  cookies: CookieStrategy;
  /** Whole-call limit: every redirect hop and the body included. */
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  /** Extra headers on every request (the bearer token). */
  headers: Record<string, string>;
  /** Words for a failed connection; by default the error's message (all a browser's fetch gives). Node says more (node-network-error.ts). */
  describeError?: ((error: unknown) => string) | undefined;
}

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the base URL, e.g. `profile/catalog/client_certs`. */
  path: string;
  body?: string | FormData | URLSearchParams | undefined;
}

export interface RawResponse {
  status: number;
  /** The URL that finally answered (after same-origin redirects). */
  url: URL;
  headers: Headers;
  contentType: string;
  text: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * One console call over `fetch`, with the project's limits: one deadline for
 * the whole call, a body limit counted while reading, and redirects followed by
 * hand only within the console's origin, so neither credentials nor cookies can
 * be carried to another host and no request is ever sent there.
 */
export async function send(options: TransportOptions, request: TransportRequest): Promise<RawResponse> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    return await sendWithin(options, request, controller.signal);
  } catch (error) {
    if (timedOut) {
      throw new ConsoleError('timeout', `the console did not answer within ${formatSeconds(options.timeoutMs)} (${request.method} ${request.path})`);
    }
    if (error instanceof ConsoleError) throw error;
    const reason = options.describeError ? options.describeError(error) : error instanceof Error ? error.message : String(error);
    throw new ConsoleError('network', `the connection to the console at ${options.baseUrl.origin} failed: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}

async function sendWithin(options: TransportOptions, request: TransportRequest, signal: AbortSignal): Promise<RawResponse> {
  let url = new URL(request.path, options.baseUrl);
  let method: string = request.method;
  let body = request.body;
  for (let hop = 0; ; hop++) {
    assertSameOrigin(options.baseUrl, url);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.cookies.kind === 'jar') {
      const cookie = options.cookies.jar.header(url);
      if (cookie) headers['cookie'] = cookie;
    }
    const response = await options.fetch(url.href, {
      method,
      headers,
      body,
      redirect: 'manual',
      credentials: options.cookies.kind === 'browser' ? 'include' : 'omit',
      cache: 'no-store',
      signal,
    });
    if (options.cookies.kind === 'jar') options.cookies.jar.store(url, setCookieHeaders(response.headers));
    if (response.type === 'opaqueredirect') {
      // A browser hides the target of a manual redirect; following blindly could leave the origin.
      throw new ConsoleError(
        'redirect',
        'the console answered with a redirect the browser does not let the extension inspect (often its sign-in page); it was not followed',
      );
    }
    if (!REDIRECT_STATUSES.has(response.status)) {
      const text = await readBodyLimited(response, options.maxBodyBytes);
      return { status: response.status, url, headers: response.headers, contentType: response.headers.get('content-type') ?? '', text };
    }
    await response.body?.cancel().catch(() => undefined);
    const location = response.headers.get('location');
    if (!location)
      throw new ConsoleError('redirect', `the console answered ${response.status} (a redirect) without saying where to`, { status: response.status });
    if (hop >= options.maxRedirects)
      throw new ConsoleError('redirect', `the console redirected more than ${options.maxRedirects} times; stopped`, { status: response.status });
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new ConsoleError('redirect', `the console redirected to an unreadable address "${location}"`, { status: response.status });
    }
    url = next;
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}

function assertSameOrigin(base: URL, url: URL): void {
  if (url.origin !== base.origin) {
    throw new ConsoleError('redirect', `the console redirected to another origin (${url.origin}); the client does not follow it, so nothing was sent there`);
  }
}

function setCookieHeaders(headers: Headers): string[] {
  const withGetter = headers as Headers & { getSetCookie?: () => string[] };
  if (typeof withGetter.getSetCookie === 'function') return withGetter.getSetCookie();
  const single = headers.get('set-cookie');
  return single ? [single] : [];
}

function formatSeconds(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
