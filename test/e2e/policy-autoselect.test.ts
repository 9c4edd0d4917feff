import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium';
import { makeTestPki, type TestPki } from './support/client-certificates';
import { acquirePolicyLock, CHROMIUM_POLICY_DIR } from './support/policy';

/**
 * The exported AutoSelectCertificateForUrls policy in a real Chromium: the
 * device certificate sits in the NSS database with a second, unrelated one;
 * two HTTPS servers on loopback ask every client for a certificate and record
 * what they get. Chromium runs headless (--headless=new): it honours the
 * policy there (tried on Chromium 156, no Xvfb needed). Where no entry selects
 * a certificate, Chromium waits on its certificate picker, so the handshake
 * never completes: the servers see the ClientHello (SNI) and no certificate.
 */
const ALLOWED = ['allowed.test', 'www.allowed.test', 'app.allowed.test', 'deny.allowed.test', 'other.test'];
const POLICY_FILE = path.join(CHROMIUM_POLICY_DIR, 'cert-rules-autoselect-e2e.json');

interface Seen {
  /** Hosts that sent a ClientHello, by port. */
  hello: string[];
  /** Per host: the certificate CNs the server received (null: connected without one). */
  certs: Map<string, (string | null)[]>;
}

interface TestServer {
  server: Server;
  port: number;
  seen: Seen;
}

async function startServer(pki: TestPki): Promise<TestServer> {
  const seen: Seen = { hello: [], certs: new Map() };
  const record = (host: string, cn: string | null) => seen.certs.set(host, [...(seen.certs.get(host) ?? []), cn]);
  const server = createServer(
    {
      key: pki.serverKey,
      cert: pki.serverCert,
      requestCert: true,
      rejectUnauthorized: false,
      SNICallback: (name, done) => {
        seen.hello.push(name);
        done(null);
      },
    },
    (request, response) => {
      const peer = (request.socket as TLSSocket).getPeerCertificate();
      const cn = peer && typeof peer.subject?.CN === 'string' ? peer.subject.CN : null;
      response.end(JSON.stringify({ cn }));
    },
  );
  server.on('secureConnection', (socket: TLSSocket) => {
    const peer = socket.getPeerCertificate();
    record(String((socket as TLSSocket & { servername?: string }).servername), peer && typeof peer.subject?.CN === 'string' ? peer.subject.CN : null);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

describe('exported policy in Chromium with a client certificate in NSS', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-policy-e2e-'));
  let pki: TestPki;
  let main: TestServer;
  let second: TestServer;
  let context: BrowserContext | null = null;
  let releaseLock: (() => void) | null = null;
  let report = '';

  beforeAll(async () => {
    pki = makeTestPki(dir, ALLOWED);
    main = await startServer(pki);
    second = await startServer(pki);
    const rules = path.join(dir, 'rules.json');
    writeFileSync(
      rules,
      JSON.stringify([
        { host: '*.allowed.test', port: String(main.port), action: 'useEnrollmentCertificate' },
        { host: 'deny.allowed.test', port: '*', action: 'noCertificate' },
      ]),
    );
    const exported = await runCli(['export', '--format', 'chrome-json', '--rules', rules, '--issuer-cn', pki.enrollmentCaName]);
    expect(exported.code, exported.stderr).toBe(0);
    report = exported.stderr;
    releaseLock = await acquirePolicyLock();
    mkdirSync(CHROMIUM_POLICY_DIR, { recursive: true });
    writeFileSync(POLICY_FILE, exported.stdout);
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: false,
      args: [...CHROMIUM_FLAGS, '--host-resolver-rules=MAP *.test 127.0.0.1'],
      env: { ...process.env, HOME: pki.home },
    });
  });

  afterAll(async () => {
    try {
      rmSync(POLICY_FILE, { force: true });
      await context?.close();
      await new Promise((resolve) => main?.server.close(resolve));
      await new Promise((resolve) => second?.server.close(resolve));
    } finally {
      releaseLock?.();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the report names the outcomes', () => {
    expect(report).toMatch(/file rule 1 \(index 0\) allow \*\.allowed\.test:\d+ {2}Exact: /);
    expect(report).toMatch(/file rule 2 \(index 1\) deny {2}deny\.allowed\.test:\* {2}Asks the user: /);
  });

  it('sends the enrollment certificate, unprompted, where the rules allow', async () => {
    const page = await context!.newPage();
    for (const host of ['www.allowed.test', 'app.allowed.test']) {
      const response = await page.goto(`https://${host}:${main.port}/`, { timeout: 20_000 });
      expect(response?.status()).toBe(200);
      expect(JSON.parse(await response!.text())).toEqual({ cn: pki.enrollmentClientName });
      expect(main.seen.certs.get(host)?.every((cn) => cn === pki.enrollmentClientName)).toBe(true);
    }
    await page.close();
  });

  it('sends no certificate on the deny rule host, the uncovered apex, an unmatched host and another port', async () => {
    const targets = [
      { host: 'deny.allowed.test', server: main },
      { host: 'allowed.test', server: main },
      { host: 'other.test', server: main },
      { host: 'www.allowed.test', server: second },
    ];
    const pages = await Promise.all(targets.map(() => context!.newPage()));
    // Without auto-selection Chromium waits on its picker: give it time, then look at what the servers got.
    await Promise.all(targets.map(({ host, server }, i) => pages[i]!.goto(`https://${host}:${server.port}/`, { timeout: 6_000 }).catch(() => null)));
    for (const { host, server } of targets) {
      expect(server.seen.hello, `${host}:${server.port} was reached`).toContain(host);
      expect(
        (server.seen.certs.get(host) ?? []).filter((cn) => cn !== null),
        `${host}:${server.port}`,
      ).toEqual([]);
    }
    await Promise.all(pages.map((page) => page.close()));
  });
});
