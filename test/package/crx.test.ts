import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extensionIdFromPem, projectExtensionId } from '../../scripts/extension-id.mjs';
import { createCrx3, extensionIdForKey, loadSigningKey, parseCrx3, verifyCrx3 } from '../../scripts/package/crx3';
import { createZip, zipFiles } from '../../scripts/package/zip';
import { REPO_ROOT } from '../helpers/paths';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const TEST_KEY_PATH = path.join(REPO_ROOT, 'keys/test-key.pem');
const testKeyPem = readFileSync(TEST_KEY_PATH, 'utf8');
const testKey = loadSigningKey(testKeyPem);
const scratch = mkdtempSync(path.join(tmpdir(), 'ccr-crx-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const files = [
  { name: 'manifest.json', data: Buffer.from('{"manifest_version":3,"name":"crx test","version":"1.2.3"}\n') },
  { name: 'assets/app.js', data: Buffer.from('console.log("hello");\n'.repeat(50)) },
];

/** The signed message, rebuilt here from the proto comment rather than taken from the packer. */
function expectedSignedMessage(signedHeaderData: Buffer, zip: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt32LE(signedHeaderData.length);
  return Buffer.concat([Buffer.from('CRX3 SignedData\x00', 'latin1'), size, signedHeaderData, zip]);
}

const zip = await createZip(files);

describe('CRX3 packer', () => {
  const crx = createCrx3(zip, testKey);

  it('writes the CRX3 frame: magic, version 3, header length, header, zip', () => {
    expect(crx.subarray(0, 4).toString('latin1')).toBe('Cr24');
    expect(crx.readUInt32LE(4)).toBe(3);
    const headerLength = crx.readUInt32LE(8);
    expect(crx.length).toBe(12 + headerLength + zip.length);
    expect(crx.subarray(12 + headerLength).equals(zip)).toBe(true);
  });

  it('carries the DER public key of the test key and a crx_id that gives the project extension id', () => {
    const parsed = parseCrx3(crx);
    expect(parsed.rsaProofs).toHaveLength(1);
    const der = createPublicKey(testKeyPem).export({ type: 'spki', format: 'der' });
    expect(parsed.rsaProofs[0]!.publicKey.equals(der)).toBe(true);
    expect(parsed.crxId.equals(createHash('sha256').update(der).digest().subarray(0, 16))).toBe(true);
    // crx_id as an id, the manifest key's id and the PEM's id are all one id.
    expect(verifyCrx3(parsed).extensionId).toBe(projectExtensionId());
    expect(extensionIdFromPem(testKeyPem)).toBe(projectExtensionId());
    expect(extensionIdForKey(testKey)).toBe(projectExtensionId());
  });

  it('signs "CRX3 SignedData\\0" + size + signed_header_data + zip with RSA-SHA256', () => {
    const parsed = parseCrx3(crx);
    const proof = parsed.rsaProofs[0]!;
    const key = createPublicKey({ key: proof.publicKey, format: 'der', type: 'spki' });
    expect(verify('sha256', expectedSignedMessage(parsed.signedHeaderData, parsed.zip), key, proof.signature)).toBe(true);
    expect(verifyCrx3(parsed)).toEqual({ ok: true, extensionId: projectExtensionId(), problems: [] });
  });

  it('keeps the zip payload intact', async () => {
    const payload = await zipFiles(parseCrx3(crx).zip);
    expect([...payload.keys()].sort()).toEqual(files.map((file) => file.name).sort());
    for (const file of files) expect(payload.get(file.name)!.equals(file.data)).toBe(true);
  });

  it('fails verification when the payload, the signature or the id is tampered with', () => {
    const headerLength = crx.readUInt32LE(8);
    const flippedZip = Buffer.from(crx);
    flippedZip[12 + headerLength + 40]! ^= 0x01;
    expect(verifyCrx3(parseCrx3(flippedZip)).ok).toBe(false);

    const parsed = parseCrx3(crx);
    const badSignature = { ...parsed, rsaProofs: [{ ...parsed.rsaProofs[0]!, signature: Buffer.alloc(256, 1) }] };
    expect(verifyCrx3(badSignature).problems).toContain('RSA proof 0: signature does not verify');

    // Signed correctly by another key, but claiming the project's id: not the extension's identity.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const foreign = parseCrx3(createCrx3(zip, other));
    expect(verifyCrx3({ ...foreign, crxId: parsed.crxId }).problems).toContain('no proof key hashes to crx_id');
    expect(verifyCrx3(foreign).extensionId).not.toBe(projectExtensionId());
  });

  it('refuses keys Chrome ids cannot come from', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => loadSigningKey(ec)).toThrow(/RSA/);
    expect(() => parseCrx3(Buffer.from('PK\x03\x04 not a crx'))).toThrow(/Cr24/);
  });

  it("is byte-identical to Chromium's own --pack-extension for the same zip and key", async () => {
    const extensionDir = path.join(scratch, 'ext');
    mkdirSync(path.join(extensionDir, 'assets'), { recursive: true });
    for (const file of files) writeFileSync(path.join(extensionDir, file.name), file.data);
    execFileSync(
      CHROMIUM,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        `--user-data-dir=${path.join(scratch, 'profile')}`,
        `--pack-extension=${extensionDir}`,
        `--pack-extension-key=${TEST_KEY_PATH}`,
      ],
      { stdio: 'ignore', timeout: 60_000 },
    );
    const chromiumCrx = readFileSync(`${extensionDir}.crx`);
    const fromChromium = parseCrx3(chromiumCrx);
    // Our reader and verifier accept Chromium's output ...
    expect(verifyCrx3(fromChromium)).toEqual({ ok: true, extensionId: projectExtensionId(), problems: [] });
    expect([...(await zipFiles(fromChromium.zip)).keys()].sort()).toEqual(files.map((file) => file.name).sort());
    // ... and wrapping Chromium's zip with our packer gives exactly Chromium's file
    // (RSASSA-PKCS1-v1_5 is deterministic), so header layout and signature input agree.
    expect(createCrx3(fromChromium.zip, testKey).equals(chromiumCrx)).toBe(true);
  });
});
