import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createConsoleClient } from '../../src/console/client';
import { describeNodeNetworkError } from '../../src/console/node-network-error';
import { adminAuth, failureOf, nodeClient } from './helpers';

/** A loopback address where nothing listens: a port just freed. */
async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/mocana-app-control/rest/`;
}

describe("a failed connection, in Node's words and in a browser's", () => {
  it('Node (the CLI): what the error code means', async () => {
    const error = await failureOf(nodeClient(await refusingUrl(), { auth: { kind: 'bearer', token: 't' } }).client.ping());
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/failed: the connection was refused \(is the console running at this address\?\)$/);
  });

  it("a browser's fetch gives no code: its own message, as it is", async () => {
    const client = createConsoleClient({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      baseUrl: 'https://console.example.com/rest/',
      cookies: { kind: 'browser' },
      auth: adminAuth,
    });
    const error = await failureOf(client.ping());
    expect(error).toMatchObject({ kind: 'network', message: 'the connection to the console at https://console.example.com failed: Failed to fetch' });
  });

  it('codes Node does not name are shown with the message; a body cut short is said plainly', () => {
    expect(describeNodeNetworkError(new TypeError('fetch failed', { cause: Object.assign(new Error('boom'), { code: 'EWHATEVER' }) }))).toBe(
      'boom (EWHATEVER)',
    );
    expect(describeNodeNetworkError(new TypeError('terminated'))).toBe('the connection closed before the whole answer arrived');
    expect(describeNodeNetworkError('plain')).toBe('plain');
  });
});
