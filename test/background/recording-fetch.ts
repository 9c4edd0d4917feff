import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar } from '../../src/console/cookie-jar';

/** One request as it left the extension: where to, and everything that could carry a secret. */
export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** Node's own fetch, taken before a test puts the recorder in its place. */
const nodeFetch = globalThis.fetch;

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof FormData) return [...body.entries()].map(([name, value]) => `${name}=${String(value)}`).join('&');
  return String(body);
}

/**
 * A fetch for the background's console client in Node: it records every
 * request (URL, method, headers, body) and, like the browser with
 * `credentials: "include"`, keeps the cookies the console sets.
 */
export function recordingFetch() {
  const sent: SentRequest[] = [];
  const jar = new CookieJar();
  const fetchLike = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const headers = new Headers(init.headers);
    if (init.credentials === 'include') {
      const cookie = jar.header(url);
      if (cookie) headers.set('cookie', cookie);
    }
    sent.push({ url: url.href, method: init.method ?? 'GET', headers: Object.fromEntries(headers.entries()), body: bodyText(init.body) });
    const response = await nodeFetch(url, { ...init, headers });
    if (init.credentials === 'include') jar.store(url, response.headers.getSetCookie());
    return response;
  };
  return { fetch: fetchLike, sent };
}

/** Whether any recorded request carries this text anywhere: URL, headers or body. */
export function carries(sent: readonly SentRequest[], secret: string): SentRequest[] {
  return sent.filter((request) => JSON.stringify(request).includes(secret) || decodeURIComponent(request.body).includes(secret));
}

/** A loopback listener standing for a console a user typed in: it records every request and its body. */
export async function startListener(): Promise<{ url: string; received: SentRequest[]; close: () => Promise<void> }> {
  const received: SentRequest[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      received.push({ url: request.url ?? '', method: request.method ?? '', headers, body: Buffer.concat(chunks).toString('utf8') });
      // Answers like a console that accepts anything, so a client that did send would carry on.
      response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'JSESSIONID=listener; Path=/' });
      response.end('{"status":"OK","message":"","user":[{"email":"x@example.com","id":"9","ua_admin":"1"}]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mocana-app-control/rest/`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
