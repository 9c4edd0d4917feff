#!/usr/bin/env node
// Prints the Chrome extension id that follows from the `key` in manifest.json.
// Chrome derives the id from the public key: sha256 over the DER
// SubjectPublicKeyInfo, first 16 bytes as 32 hex digits, each digit 0-f
// written as a-p. A fixed key therefore gives a fixed id, which enterprise
// policy (3rdparty.extensions.<id>) and the tests depend on.
//
// Usage: node scripts/extension-id.mjs [manifest.json | key.pem]
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Extension id from the DER bytes of a public key (SubjectPublicKeyInfo). */
export function extensionIdFromDer(der) {
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

/** Extension id from the manifest's base64 `key`. */
export function extensionIdFromManifestKey(base64Key) {
  return extensionIdFromDer(Buffer.from(base64Key, 'base64'));
}

/** Extension id from a PEM file holding a private or public key. */
export function extensionIdFromPem(pem) {
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return extensionIdFromDer(der);
}

/** The id of this project's extension, read from the top-level manifest.json. */
export function projectExtensionId(manifestPath = resolve(ROOT, 'manifest.json')) {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (typeof manifest.key !== 'string') throw new Error(`${manifestPath} has no "key"`);
  return extensionIdFromManifestKey(manifest.key);
}

function main(argv) {
  const [file] = argv;
  if (file && /\.pem$/i.test(file)) {
    process.stdout.write(`${extensionIdFromPem(readFileSync(file, 'utf8'))}\n`);
    return;
  }
  process.stdout.write(`${projectExtensionId(file ? resolve(file) : undefined)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
