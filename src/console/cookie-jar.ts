import { isLoopbackHost } from '../engine/loopback-host';

/**
 * A minimal cookie jar for Node, where fetch keeps no cookies. It only ever
 * serves one console origin (the client never follows a redirect elsewhere),
 * so it keeps host-only cookies and honours Path, Max-Age/Expires and Secure.
 */
export interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
  secure: boolean;
  /** Epoch ms, or null for a session cookie. */
  expiresAt: number | null;
}

export class CookieJar {
  private cookies: StoredCookie[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the cookies one response set (`headers.getSetCookie()`), for the URL that answered. */
  store(url: URL, setCookieHeaders: readonly string[]): void {
    for (const header of setCookieHeaders) {
      const cookie = parseSetCookie(header, url, this.now());
      if (!cookie) continue;
      const alive = cookie.expiresAt === null || cookie.expiresAt > this.now();
      const at = this.cookies.findIndex((c) => c.name === cookie.name && c.host === cookie.host && c.path === cookie.path);
      // A replaced cookie keeps its place (RFC 6265 keeps its creation time), so the header order is stable.
      if (at >= 0 && alive) this.cookies[at] = cookie;
      else if (at >= 0) this.cookies.splice(at, 1);
      else if (alive) this.cookies.push(cookie);
    }
  }

  /** The Cookie header for a request to `url`, or null when no cookie applies. */
  header(url: URL): string | null {
    const now = this.now();
    this.cookies = this.cookies.filter((c) => c.expiresAt === null || c.expiresAt > now);
    const matching = this.cookies
      .filter((c) => c.host === url.hostname && pathMatches(url.pathname, c.path) && (!c.secure || url.protocol === 'https:' || isLoopbackHost(url.hostname)))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length === 0 ? null : matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  clear(): void {
    this.cookies = [];
  }

  get size(): number {
    return this.cookies.length;
  }
}

function parseSetCookie(header: string, url: URL, now: number): StoredCookie | null {
  const [pair, ...attributes] = header.split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq <= 0) return null;
  const cookie: StoredCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    host: url.hostname,
    path: defaultPath(url.pathname),
    secure: false,
    expiresAt: null,
  };
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? '' : attribute.slice(at + 1).trim();
    if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'max-age' && /^-?\d+$/.test(value)) {
      maxAgeSeen = true;
      cookie.expiresAt = now + Number(value) * 1000;
    } else if (key === 'expires' && !maxAgeSeen) {
      const time = Date.parse(value);
      if (!Number.isNaN(time)) cookie.expiresAt = time;
    }
  }
  return cookie;
}

/** RFC 6265 §5.1.4 default-path. */
function defaultPath(pathname: string): string {
  if (!pathname.startsWith('/')) return '/';
  const last = pathname.lastIndexOf('/');
  return last <= 0 ? '/' : pathname.slice(0, last);
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
