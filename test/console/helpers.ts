import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar } from '../../src/console/cookie-jar';
import { createConsoleClient, type ConsoleAuth, type ConsoleClientOptions } from '../../src/console/client';
import { describeNodeNetworkError } from '../../src/console/node-network-error';
import { DEMO_ADMIN } from './emulator/seed';

/** Another origin that must never be contacted: it counts every request it gets. */
export async function startTrap(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"OK","message":"trap"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // "localhost" vs the emulator's "127.0.0.1", and another port: another origin twice over.
    url: `http://localhost:${port}/mocana-app-control/rest/user/ping`,
    count: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const adminAuth: ConsoleAuth = { kind: 'form', username: DEMO_ADMIN.email, password: DEMO_ADMIN.password };

/** A Node client with its own cookie jar; the jar is returned so tests can inspect it. */
export function nodeClient(baseUrl: string, overrides: Partial<ConsoleClientOptions> = {}) {
  const jar = new CookieJar();
  const client = createConsoleClient({
    fetch,
    baseUrl,
    cookies: { kind: 'jar', jar },
    auth: adminAuth,
    describeNetworkError: describeNodeNetworkError,
    ...overrides,
  });
  return { client, jar };
}

/** Runs a promise expected to reject and returns the error. */
export async function failureOf(promise: Promise<unknown>): Promise<{ kind: string; message: string; status?: number; path?: string; retryAfterMs?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { kind: string; message: string };
  }
  throw new Error('expected a failure, got success');
}
