// CRX3: the signed package format Chrome installs outside the Web Store.
// Layout and signature, from Chromium's components/crx_file/crx3.proto and
// crx_verifier.cc:
//
//   "Cr24" | le32 3 | le32 header length | CrxFileHeader (protobuf) | ZIP
//   CrxFileHeader { repeated AsymmetricKeyProof sha256_with_rsa = 2;
//                   repeated AsymmetricKeyProof sha256_with_ecdsa = 3;
//                   optional bytes signed_header_data = 10000; }
//   AsymmetricKeyProof { optional bytes public_key = 1; optional bytes signature = 2; }
//   SignedData { optional bytes crx_id = 1; }   // first 16 bytes of sha256(public key DER)
//
// Every proof signs "CRX3 SignedData\x00" + le32(len(signed_header_data)) +
// signed_header_data + ZIP. Only bytes fields occur, so a tiny protobuf
// encoder/decoder is all that is needed.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { extensionIdFromDer } from '../extension-id.mjs';

const MAGIC = Buffer.from('Cr24', 'latin1');
const FORMAT_VERSION = 3;
const SIGNATURE_CONTEXT = Buffer.from('CRX3 SignedData\x00', 'latin1');
const FIELD = { sha256WithRsa: 2, sha256WithEcdsa: 3, signedHeaderData: 10000, publicKey: 1, signature: 2, crxId: 1 } as const;

export interface KeyProof {
  /** DER SubjectPublicKeyInfo. */
  publicKey: Buffer;
  signature: Buffer;
}

export interface ParsedCrx {
  version: number;
  headerLength: number;
  rsaProofs: KeyProof[];
  ecdsaProofs: KeyProof[];
  /** The exact bytes that were signed over (a serialized SignedData). */
  signedHeaderData: Buffer;
  /** SignedData.crx_id: 16 raw bytes. */
  crxId: Buffer;
  /** The ZIP archive that follows the header. */
  zip: Buffer;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** One length-delimited protobuf field (wire type 2). */
function bytesField(field: number, data: Uint8Array): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(data.length), data]);
}

function readVarint(buffer: Buffer, start: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let at = start; at < buffer.length && at < start + 8; at++) {
    const byte = buffer[at]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: at + 1 };
  }
  throw new Error('crx: malformed varint in header');
}

/** The fields of one protobuf message, in order; only varint and bytes wire types occur in CRX3. */
function readFields(message: Buffer): { field: number; bytes: Buffer | null }[] {
  const fields: { field: number; bytes: Buffer | null }[] = [];
  let at = 0;
  while (at < message.length) {
    const key = readVarint(message, at);
    const field = Math.floor(key.value / 8);
    const wireType = key.value % 8;
    at = key.next;
    if (wireType === 0) {
      at = readVarint(message, at).next;
      fields.push({ field, bytes: null });
    } else if (wireType === 2) {
      const length = readVarint(message, at);
      const end = length.next + length.value;
      if (end > message.length) throw new Error('crx: header field runs past its message');
      fields.push({ field, bytes: message.subarray(length.next, end) });
      at = end;
    } else {
      throw new Error(`crx: unexpected protobuf wire type ${wireType}`);
    }
  }
  return fields;
}

function le32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

/** What every proof signs. */
export function signedMessage(signedHeaderData: Uint8Array, zip: Uint8Array): Buffer {
  return Buffer.concat([SIGNATURE_CONTEXT, le32(signedHeaderData.length), signedHeaderData, zip]);
}

export function publicKeyDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/** crx_id: the first 16 bytes of sha256 over the DER public key (the extension id, before a-p encoding). */
export function crxIdFor(publicKey: Uint8Array): Buffer {
  return createHash('sha256').update(publicKey).digest().subarray(0, 16);
}

/** Loads an RSA private key (PEM, PKCS#1 or PKCS#8) for signing. */
export function loadSigningKey(pem: string | Buffer): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'rsa') {
    throw new Error(`the signing key must be an RSA private key (Chrome's extension ids come from RSA keys), found ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  return key;
}

/** Wraps a ZIP archive into a CRX3 file signed with one RSA key. */
export function createCrx3(zip: Uint8Array, privateKey: KeyObject): Buffer {
  const publicKey = publicKeyDer(privateKey);
  const signedHeaderData = bytesField(FIELD.crxId, crxIdFor(publicKey));
  // RSASSA-PKCS1-v1_5 with SHA-256, as crx_verifier.cc checks it.
  const signature = sign('sha256', signedMessage(signedHeaderData, zip), privateKey);
  const proof = Buffer.concat([bytesField(FIELD.publicKey, publicKey), bytesField(FIELD.signature, signature)]);
  const header = Buffer.concat([bytesField(FIELD.sha256WithRsa, proof), bytesField(FIELD.signedHeaderData, signedHeaderData)]);
  return Buffer.concat([MAGIC, le32(FORMAT_VERSION), le32(header.length), header, zip]);
}

function readProof(message: Buffer): KeyProof {
  let publicKey: Buffer | null = null;
  let signature: Buffer | null = null;
  for (const { field, bytes } of readFields(message)) {
    if (field === FIELD.publicKey && bytes) publicKey = bytes;
    if (field === FIELD.signature && bytes) signature = bytes;
  }
  if (!publicKey || !signature) throw new Error('crx: a key proof lacks its public key or signature');
  return { publicKey, signature };
}

/** Splits a CRX3 file into its parts. Checks structure only; verifyCrx3 checks the signatures. */
export function parseCrx3(input: Uint8Array): ParsedCrx {
  const crx = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (crx.length < 12 || !crx.subarray(0, 4).equals(MAGIC)) throw new Error('crx: not a CRX file (no "Cr24" magic)');
  const version = crx.readUInt32LE(4);
  if (version !== FORMAT_VERSION) throw new Error(`crx: format version ${version}, expected ${FORMAT_VERSION}`);
  const headerLength = crx.readUInt32LE(8);
  if (12 + headerLength > crx.length) throw new Error('crx: header longer than the file');
  const header = crx.subarray(12, 12 + headerLength);
  const rsaProofs: KeyProof[] = [];
  const ecdsaProofs: KeyProof[] = [];
  let signedHeaderData: Buffer | null = null;
  for (const { field, bytes } of readFields(header)) {
    if (!bytes) continue;
    if (field === FIELD.sha256WithRsa) rsaProofs.push(readProof(bytes));
    else if (field === FIELD.sha256WithEcdsa) ecdsaProofs.push(readProof(bytes));
    else if (field === FIELD.signedHeaderData) signedHeaderData = bytes;
  }
  if (!signedHeaderData) throw new Error('crx: header has no signed_header_data');
  const crxId = readFields(signedHeaderData).find((entry) => entry.field === FIELD.crxId)?.bytes;
  if (!crxId || crxId.length !== 16) throw new Error('crx: signed_header_data has no 16-byte crx_id');
  return { version, headerLength, rsaProofs, ecdsaProofs, signedHeaderData, crxId, zip: crx.subarray(12 + headerLength) };
}

export interface CrxVerification {
  ok: boolean;
  /** The extension id the crx_id stands for (a-p encoding). */
  extensionId: string;
  problems: string[];
}

/**
 * Checks a parsed CRX the way Chrome does for an unpublished extension: every
 * RSA proof verifies over the signed message, and one proof's key hashes to
 * crx_id (that key is the extension's identity).
 */
export function verifyCrx3(parsed: ParsedCrx): CrxVerification {
  const problems: string[] = [];
  const message = signedMessage(parsed.signedHeaderData, parsed.zip);
  if (parsed.rsaProofs.length === 0) problems.push('no sha256_with_rsa proof');
  for (const [index, proof] of parsed.rsaProofs.entries()) {
    const key = createPublicKey({ key: proof.publicKey, format: 'der', type: 'spki' });
    if (!verify('sha256', message, key, proof.signature)) problems.push(`RSA proof ${index}: signature does not verify`);
  }
  if (parsed.ecdsaProofs.length > 0) problems.push('unexpected sha256_with_ecdsa proofs (this packer writes none)');
  if (!parsed.rsaProofs.some((proof) => crxIdFor(proof.publicKey).equals(parsed.crxId))) {
    problems.push('no proof key hashes to crx_id');
  }
  return { ok: problems.length === 0, extensionId: extensionIdFromCrxId(parsed.crxId), problems };
}

/** The a-p extension id for the raw 16 crx_id bytes. */
export function extensionIdFromCrxId(crxId: Uint8Array): string {
  return [...crxId].map((byte) => String.fromCharCode(97 + (byte >> 4), 97 + (byte & 15))).join('');
}

/** The extension id a signing key gives (the same rule as scripts/extension-id.mjs). */
export function extensionIdForKey(privateKey: KeyObject): string {
  return extensionIdFromDer(publicKeyDer(privateKey));
}
