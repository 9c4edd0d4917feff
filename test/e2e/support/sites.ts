import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
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

const mtlsSockets = new Set<net.Socket>();

/**
 * An HTTPS server that demands a client certificate and refuses every
 * handshake without one — and closes like a production server does: it keeps
 * reading what the client still sends and closes with a FIN after its alert.
 * A plain Node TLS server closes at once with the client's last flight
 * unread, so the kernel sends a reset, which discards the alert before the
 * browser reads it: Chromium then reports a socket error
 * (ERR_SOCKET_NOT_CONNECTED) instead of ERR_BAD_SSL_CLIENT_AUTH_CERT, at
 * random. TLS 1.2: the refusal happens inside the handshake.
 */
function startRefusingMtlsServer(context: tls.SecureContext, http1: http.Server, refused: (reason: string) => void): net.Server {
  return net.createServer((raw) => {
    mtlsSockets.add(raw);
    raw.on('close', () => mtlsSockets.delete(raw));
    raw.on('error', () => undefined);
    let tlsAlive = true;
    const carrier = new Duplex({
      read() {},
      write(chunk, _encoding, done) {
        if (raw.destroyed) done();
        else raw.write(chunk, () => done());
      },
    });
    raw.on('data', (chunk) => {
      if (tlsAlive) carrier.push(chunk);
    });
    raw.on('end', () => {
      if (tlsAlive) carrier.push(null);
    });
    const secure = new tls.TLSSocket(carrier, { isServer: true, secureContext: context, requestCert: true, rejectUnauthorized: true });
    secure.on('error', (error: Error & { code?: string }) => {
      refused(error.code ?? error.message);
      tlsAlive = false;
      // Keep draining what the client sends; close gracefully once the alert is out.
      setTimeout(() => raw.end(), 100);
      setTimeout(() => raw.destroy(), 2_000);
    });
    secure.on('secure', () => http1.emit('connection', secure));
  });
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
  const mtlsHttp = http.createServer((request, response) => {
    log('mtls', request);
    respond(request, response);
  });
  const mtls = startRefusingMtlsServer(tls.createSecureContext({ key, cert, maxVersion: 'TLSv1.2' }), mtlsHttp, (reason) => mtlsRejections.push(reason));
  const plain = http.createServer((request, response) => {
    log('plain', request);
    respond(request, response);
  });

  const listen = (server: http.Server | https.Server | net.Server) =>
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
      for (const server of [site, plain, mtlsHttp]) server.closeAllConnections();
      for (const socket of mtlsSockets) socket.destroy();
      await Promise.all([site, mtls, plain].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
