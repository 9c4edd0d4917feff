import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A test PKI made with openssl at test time: an enrollment CA issuing the
 * device's client certificate and the test servers' certificate, plus an
 * unrelated CA with a second client certificate (so the policy's filter has
 * something to choose against). The client certificates go into an NSS
 * database under a temporary HOME, where Chromium on Linux looks for them
 * ($HOME/.pki/nssdb), and the enrollment CA is trusted there for TLS servers.
 */
export interface TestPki {
  home: string;
  enrollmentCaName: string;
  enrollmentClientName: string;
  otherClientName: string;
  serverKey: Buffer;
  serverCert: Buffer;
}

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: 'pipe' });

function makeCa(dir: string, name: string, cn: string): { key: string; cert: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${cn}/O=Cert Rules Test`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  return { key, cert };
}

function issue(dir: string, name: string, ca: { key: string; cert: string }, subject: string, extensions: string[]): { key: string; cert: string } {
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.pem`);
  const ext = path.join(dir, `${name}.ext`);
  writeFileSync(ext, `${extensions.join('\n')}\n`);
  run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', subject, '-keyout', key, '-out', csr]);
  run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', cert]);
  return { key, cert };
}

function importClient(dir: string, db: string, name: string, client: { key: string; cert: string }): void {
  const p12 = path.join(dir, `${name}.p12`);
  run('openssl', ['pkcs12', '-export', '-in', client.cert, '-inkey', client.key, '-name', name, '-passout', 'pass:', '-out', p12]);
  run('pk12util', ['-i', p12, '-d', db, '-W', '']);
}

export function makeTestPki(dir: string, serverNames: readonly string[]): TestPki {
  const home = path.join(dir, 'home');
  const db = `sql:${path.join(home, '.pki', 'nssdb')}`;
  mkdirSync(path.join(home, '.pki', 'nssdb'), { recursive: true });
  const enrollmentCaName = 'Cert Rules Test Enrollment CA';
  const enrollmentClientName = 'enrolled-device-1';
  const otherClientName = 'other-device';
  const enrollmentCa = makeCa(dir, 'enrollment-ca', enrollmentCaName);
  const otherCa = makeCa(dir, 'other-ca', 'Cert Rules Test Other CA');
  const client = issue(dir, 'client', enrollmentCa, `/CN=${enrollmentClientName}/O=Cert Rules Test`, [
    'extendedKeyUsage=clientAuth',
    'keyUsage=critical,digitalSignature',
  ]);
  const other = issue(dir, 'other', otherCa, `/CN=${otherClientName}/O=Cert Rules Test`, ['extendedKeyUsage=clientAuth', 'keyUsage=critical,digitalSignature']);
  const server = issue(dir, 'server', enrollmentCa, `/CN=${serverNames[0]}`, [
    `subjectAltName=${serverNames.map((name) => `DNS:${name}`).join(',')}`,
    'extendedKeyUsage=serverAuth',
    'keyUsage=critical,digitalSignature',
  ]);
  run('certutil', ['-N', '--empty-password', '-d', db]);
  importClient(dir, db, 'enrollment', client);
  importClient(dir, db, 'other', other);
  run('certutil', ['-A', '-n', 'cert-rules-test-ca', '-t', 'C,,', '-i', enrollmentCa.cert, '-d', db]);
  return { home, enrollmentCaName, enrollmentClientName, otherClientName, serverKey: readFileSync(server.key), serverCert: readFileSync(server.cert) };
}
