import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { makeServerCertificate } from './tls';

/** Test hostnames, all mapped to 127.0.0.1 by Chromium's --host-resolver-rules. */
export const TEST_DOMAINS = ['acme.test', 'example.test'] as const;
export const HOST_RESOLVER_RULES = hostResolverRules(null);

/**
 * Chromium's --host-resolver-rules for the test names (and `extraHosts`, with
 * their subdomains), with and without the trailing dot a URL may carry (Chromium matches the rules against the name as
 * written). With `defaultPort`, a connection to port 443 (a URL that names no
 * port, or `:443`) goes to that port instead: nothing here may listen on 443.
 */
export function hostResolverRules(defaultPort: number | null, extraHosts: readonly string[] = []): string {
  const names = [...TEST_DOMAINS, ...extraHosts].flatMap((domain) => [`*.${domain}`, domain, `*.${domain}.`, `${domain}.`]);
  const to443 = defaultPort === null ? [] : names.map((name) => `MAP ${name}:443 127.0.0.1:${defaultPort}`);
  return `--host-resolver-rules=${[...to443, ...names.map((name) => `MAP ${name} 127.0.0.1`)].join(', ')}`;
}

/** A host name as the test logs compare it: lower case, without the one trailing dot a URL may carry. */
export function comparableHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

export interface LoggedRequest {
  server: 'site' | 'alt' | 'mtls' | 'plain';
  /** The Host header's host name (without port), lower-case. */
  host: string;
  path: string;
  at: number;
}

/** A TLS handshake the site servers saw begin: the name the client asked for (SNI), before any HTTP. */
export interface LoggedHandshake {
  server: 'site' | 'alt';
  servername: string;
  at: number;
}

export interface TestSites {
  /** HTTPS, any test hostname (SNI picks the name; one certificate covers all). */
  sitePort: number;
  /** The same site on a second port (for rules that name a port). */
  altPort: number;
  /** HTTPS that demands a client certificate and refuses every handshake without one. */
  mtlsPort: number;
  /** Plain HTTP. */
  plainPort: number;
  requests: LoggedRequest[];
  /** Every TLS handshake the two site servers saw begin, with its SNI: a preconnect shows here without any request. */
  handshakes: LoggedHandshake[];
  /** TLS handshakes the mTLS server refused, with OpenSSL's reason. */
  mtlsRejections: string[];
  site(host: string, path?: string): string;
  /** A URL on the site that answers 302 to `target`. */
  redirect(host: string, target: string): string;
  /** A page on `host` that loads an image from each URL in `embeds`. */
  pageWith(host: string, embeds: readonly string[], path?: string): string;
  mtls(host: string, path?: string): string;
  plain(host: string, path?: string): string;
  /** Requests for `host`, however the Host header spelled it (case, trailing dot). */
  requestsTo(host: string): LoggedRequest[];
  /** Handshakes that named `host` (SNI), however spelled. */
  handshakesTo(host: string): LoggedHandshake[];
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
  const handshakes: LoggedHandshake[] = [];
  const mtlsRejections: string[] = [];
  const context = tls.createSecureContext({ key, cert });
  // Called with the ClientHello, before the handshake can complete or fail: every attempt that names a host is logged.
  const sniLogger =
    (server: LoggedHandshake['server']) =>
    (servername: string, done: (error: Error | null, context?: tls.SecureContext) => void): void => {
      handshakes.push({ server, servername, at: Date.now() });
      done(null, context);
    };

  const log = (server: LoggedRequest['server'], request: http.IncomingMessage) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    requests.push({ server, host, path: request.url ?? '/', at: Date.now() });
  };

  const respond = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? '/', 'https://placeholder');
    const target = url.pathname === '/redirect' ? url.searchParams.get('to') : null;
    if (target) {
      response.writeHead(302, { location: target, 'cache-control': 'no-store' });
      response.end();
      return;
    }
    if (url.pathname.endsWith('.png')) {
      response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
      response.end(PIXEL);
      return;
    }
    const embeds = url.searchParams.getAll('embed');
    const images = embeds.map((src) => `<img alt="" src="${src.replace(/"/g, '&quot;')}">`).join('\n');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(
      `<!doctype html><html><head><title>${url.pathname}</title><link rel="icon" href="data:,"></head><body><h1 id="page">${request.headers.host ?? ''}${url.pathname}</h1>\n${images}</body></html>`,
    );
  };

  const site = https.createServer({ key, cert, SNICallback: sniLogger('site') }, (request, response) => {
    log('site', request);
    respond(request, response);
  });
  const alt = https.createServer({ key, cert, SNICallback: sniLogger('alt') }, (request, response) => {
    log('alt', request);
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
  const [sitePort, altPort, mtlsPort, plainPort] = await Promise.all([listen(site), listen(alt), listen(mtls), listen(plain)]);

  const withPath = (path: string) => (path.startsWith('/') ? path : `/${path}`);
  return {
    sitePort,
    altPort,
    mtlsPort,
    plainPort,
    requests,
    handshakes,
    mtlsRejections,
    site: (host, path = '/') => `https://${host}:${sitePort}${withPath(path)}`,
    redirect: (host, target) => `https://${host}:${sitePort}/redirect?to=${encodeURIComponent(target)}`,
    pageWith: (host, embeds, path = '/page') => {
      const query = embeds.map((src) => `embed=${encodeURIComponent(src)}`).join('&');
      return `https://${host}:${sitePort}${withPath(path)}${query ? `?${query}` : ''}`;
    },
    mtls: (host, path = '/') => `https://${host}:${mtlsPort}${withPath(path)}`,
    plain: (host, path = '/') => `http://${host}:${plainPort}${withPath(path)}`,
    requestsTo: (host) => requests.filter((request) => comparableHost(request.host) === comparableHost(host)),
    handshakesTo: (host) => handshakes.filter((handshake) => comparableHost(handshake.servername) === comparableHost(host)),
    close: async () => {
      for (const server of [site, alt, plain, mtlsHttp]) server.closeAllConnections();
      for (const socket of mtlsSockets) socket.destroy();
      await Promise.all([site, alt, mtls, plain].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
