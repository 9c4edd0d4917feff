import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makeServerCertificate } from './tls';

/** Test hostnames, all mapped to 127.0.0.1 by Chromium's --host-resolver-rules. */
export const TEST_DOMAINS = ['acme.test', 'example.test'] as const;
export const HOST_RESOLVER_RULES = `--host-resolver-rules=${TEST_DOMAINS.flatMap((domain) => [`MAP *.${domain} 127.0.0.1`, `MAP ${domain} 127.0.0.1`]).join(', ')}`;

export interface LoggedRequest {
  server: 'site' | 'mtls' | 'plain';
  /** The Host header's host name (without port), lower-case. */
  host: string;
  path: string;
  at: number;
}

export interface TestSites {
  /** HTTPS, any test hostname (SNI picks the name; one certificate covers all). */
  sitePort: number;
  /** HTTPS that demands a client certificate and refuses every handshake without one. */
  mtlsPort: number;
  /** Plain HTTP. */
  plainPort: number;
  requests: LoggedRequest[];
  /** TLS handshakes the mTLS server refused, with OpenSSL's reason. */
  mtlsRejections: string[];
  site(host: string, path?: string): string;
  /** A page on `host` that loads an image from each URL in `embeds`. */
  pageWith(host: string, embeds: readonly string[], path?: string): string;
  mtls(host: string, path?: string): string;
  plain(host: string, path?: string): string;
  requestsTo(host: string): LoggedRequest[];
  close(): Promise<void>;
}

const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==', 'base64');

/**
 * The web sites the end-to-end tests navigate to: every request any of them
 * receives is logged, which is how a test proves that the guard stopped a
 * navigation before it reached the network.
 */
export async function startTestSites(): Promise<TestSites> {
  const names = TEST_DOMAINS.flatMap((domain) => [domain, `*.${domain}`]);
  const { key, cert } = makeServerCertificate(names);
  const requests: LoggedRequest[] = [];
  const mtlsRejections: string[] = [];

  const log = (server: LoggedRequest['server'], request: http.IncomingMessage) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    requests.push({ server, host, path: request.url ?? '/', at: Date.now() });
  };

  const respond = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? '/', 'https://placeholder');
    if (url.pathname.endsWith('.png')) {
      response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
      response.end(PIXEL);
      return;
    }
    const embeds = url.searchParams.getAll('embed');
    const images = embeds.map((src) => `<img alt="" src="${src.replace(/"/g, '&quot;')}">`).join('\n');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(`<!doctype html><html><head><title>${url.pathname}</title><link rel="icon" href="data:,"></head><body><h1 id="page">${request.headers.host ?? ''}${url.pathname}</h1>\n${images}</body></html>`);
  };

  const site = https.createServer({ key, cert }, (request, response) => {
    log('site', request);
    respond(request, response);
  });
  // TLS 1.2 only: a refused client-certificate handshake then fails inside
  // the handshake (a fatal alert), which Chromium reports as
  // ERR_BAD_SSL_CLIENT_AUTH_CERT every time. Under TLS 1.3 the client finishes
  // first and sees the alert, a reset or a closed socket, depending on timing.
  const mtls = https.createServer({ key, cert, requestCert: true, rejectUnauthorized: true, maxVersion: 'TLSv1.2' }, (request, response) => {
    log('mtls', request);
    respond(request, response);
  });
  mtls.on('tlsClientError', (error: Error & { code?: string }, _socket: TLSSocket) => mtlsRejections.push(error.code ?? error.message));
  const plain = http.createServer((request, response) => {
    log('plain', request);
    respond(request, response);
  });

  const listen = (server: http.Server | https.Server) =>
    new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const [sitePort, mtlsPort, plainPort] = await Promise.all([listen(site), listen(mtls), listen(plain)]);

  const withPath = (path: string) => (path.startsWith('/') ? path : `/${path}`);
  return {
    sitePort,
    mtlsPort,
    plainPort,
    requests,
    mtlsRejections,
    site: (host, path = '/') => `https://${host}:${sitePort}${withPath(path)}`,
    pageWith: (host, embeds, path = '/page') => {
      const query = embeds.map((src) => `embed=${encodeURIComponent(src)}`).join('&');
      return `https://${host}:${sitePort}${withPath(path)}${query ? `?${query}` : ''}`;
    },
    mtls: (host, path = '/') => `https://${host}:${mtlsPort}${withPath(path)}`,
    plain: (host, path = '/') => `http://${host}:${plainPort}${withPath(path)}`,
    requestsTo: (host) => requests.filter((request) => request.host === host.toLowerCase()),
    close: async () => {
      for (const server of [site, mtls, plain]) server.closeAllConnections();
      await Promise.all([site, mtls, plain].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
