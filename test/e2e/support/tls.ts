import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestCertificate {
  key: Buffer;
  cert: Buffer;
}

/**
 * A self-signed server certificate for the test hostnames, made with openssl
 * at test time (nothing is checked in or downloaded). Chromium runs with
 * --ignore-certificate-errors, so trust is not the point; the names are.
 */
export function makeServerCertificate(names: readonly string[]): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'ccr-tls-'));
  try {
    const config = path.join(dir, 'openssl.cnf');
    writeFileSync(
      config,
      [
        '[req]',
        'distinguished_name = dn',
        'x509_extensions = ext',
        'prompt = no',
        '[dn]',
        `CN = ${names[0] ?? 'localhost'}`,
        '[ext]',
        `subjectAltName = ${names.map((name) => `DNS:${name}`).join(', ')}`,
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature, keyEncipherment',
        'extendedKeyUsage = serverAuth',
      ].join('\n'),
    );
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-config',
        config,
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      {
        stdio: 'pipe',
      },
    );
    return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
