import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureVersion } from 'node:tls';
import { makeServerCertificate } from './tls';

export interface MtlsSite {
  port: number;
  url(host: string, path?: string): string;
  /** Requests that got through (none can: every handshake without a client certificate is refused). */
  requests: string[];
  /** Handshakes refused, with OpenSSL's reason. */
  rejections: string[];
  close(): Promise<void>;
}

/**
 * An HTTPS server that demands a client certificate and refuses every
 * handshake without one, as a Node server with requestCert and
 * rejectUnauthorized does. The TLS version matters to what a browser can
 * report: under TLS 1.3 OpenSSL sends a `certificate_required` alert, which
 * names the cause; under TLS 1.2 it sends a generic `handshake_failure`.
 * (sites.ts has a TLS 1.2 one: Chromium reports that case precisely.)
 */
export async function startMtlsSite(names: readonly string[], version: SecureVersion = 'TLSv1.3'): Promise<MtlsSite> {
  const { key, cert } = makeServerCertificate(names);
  const requests: string[] = [];
  const rejections: string[] = [];
  const server = https.createServer(
    { key, cert, requestCert: true, rejectUnauthorized: true, minVersion: version, maxVersion: version },
    (request, response) => {
      requests.push(`${request.headers.host ?? ''}${request.url ?? ''}`);
      response.end('a client certificate was accepted');
    },
  );
  server.on('tlsClientError', (error: Error & { code?: string }) => rejections.push(error.code ?? error.message));
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  return {
    port,
    url: (host, path = '/') => `https://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`,
    requests,
    rejections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
