// A small ZIP writer and reader (PKWARE APPNOTE: local headers, central
// directory, end record; deflate or stored; no ZIP64, no encryption).
//
// Why not a package: the zips must be reproducible (fixed order and time), the
// CRX payload must be exactly these bytes, and no zip package is a direct
// dependency of this project (yauzl/jszip are only transitive ones of web-ext).
// The reader exists so the tests can open what the packer wrote, including the
// payload of a .crx, and check every CRC.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipInput {
  /** Path inside the archive, "/"-separated, no leading "/". */
  name: string;
  data: Uint8Array;
}

export interface ZipEntry {
  name: string;
  /** Directory entries (name ends in "/") have no data. */
  directory: boolean;
  data: Buffer;
  method: number;
  crc32: number;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
/** General purpose flag bit 11: names are UTF-8. */
const UTF8_NAMES = 0x0800;
/** "Version made by": Unix (3), spec 2.0, so external attributes carry Unix modes. */
const MADE_BY_UNIX = (3 << 8) | 20;
const FILE_MODE = 0o100644;
const DIRECTORY_MODE = 0o040755;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time fields; ZIP cannot say anything before 1980. */
export function dosDateTime(when: Date): { time: number; date: number } {
  if (when.getUTCFullYear() < 1980) return { time: 0, date: (1 << 5) | 1 };
  return {
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1),
    date: ((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
  };
}

/**
 * The fixed time stamped on every entry: SOURCE_DATE_EPOCH when set (the
 * reproducible-builds convention), else 1980-01-01, so the same files always
 * give the same bytes.
 */
export function reproducibleDate(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = Number(env['SOURCE_DATE_EPOCH']);
  return Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date(Date.UTC(1980, 0, 1));
}

/** The fields the local header and the central directory header share, in the same order (version needed … name length). */
interface EntryFields {
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  nameLength: number;
}

function writeEntryFields(target: Buffer, at: number, fields: EntryFields): void {
  target.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
  target.writeUInt16LE(fields.flags, at + 2);
  target.writeUInt16LE(fields.method, at + 4);
  target.writeUInt16LE(fields.time, at + 6);
  target.writeUInt16LE(fields.date, at + 8);
  target.writeUInt32LE(fields.crc, at + 10);
  target.writeUInt32LE(fields.compressedSize, at + 14);
  target.writeUInt32LE(fields.size, at + 18);
  target.writeUInt16LE(fields.nameLength, at + 22);
}

function checkName(name: string): void {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error(`zip: unsafe entry name "${name}"`);
  }
}

/**
 * Builds a ZIP archive. Entries are written sorted by name, each preceded by
 * directory entries for its parents (browsers and web-ext write them too).
 */
export function createZip(inputs: readonly ZipInput[], when: Date = reproducibleDate()): Buffer {
  const { time, date } = dosDateTime(when);
  const files = [...inputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set<string>();
  const ordered: { name: string; data: Uint8Array | null }[] = [];
  for (const file of files) {
    checkName(file.name);
    if (seen.has(file.name)) throw new Error(`zip: duplicate entry "${file.name}"`);
    const parts = file.name.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const directory = `${parts.slice(0, depth).join('/')}/`;
      if (!seen.has(directory)) {
        seen.add(directory);
        ordered.push({ name: directory, data: null });
      }
    }
    seen.add(file.name);
    ordered.push({ name: file.name, data: file.data });
  }

  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of ordered) {
    const name = Buffer.from(entry.name, 'utf8');
    const raw = entry.data ?? new Uint8Array(0);
    const deflated = raw.length > 0 ? deflateRawSync(raw, { level: 9 }) : Buffer.alloc(0);
    const method = deflated.length < raw.length ? DEFLATED : STORED;
    const body = method === DEFLATED ? deflated : Buffer.from(raw);
    const crc = crc32(raw);
    const flags = /[^\x20-\x7e]/.test(entry.name) ? UTF8_NAMES : 0;

    const fields: EntryFields = { flags, method, time, date, crc, compressedSize: body.length, size: raw.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    writeEntryFields(local, 4, fields);
    local.writeUInt16LE(0, 28);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(MADE_BY_UNIX, 4);
    writeEntryFields(header, 6, fields);
    // extra, comment, disk number, internal attributes: all 0
    header.writeUInt32LE(((entry.data === null ? DIRECTORY_MODE : FILE_MODE) << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);

    chunks.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
    if (offset > 0xffffffff) throw new Error('zip: archive too large (no ZIP64 support)');
  }
  const centralDirectory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(ordered.length, 8);
  end.writeUInt16LE(ordered.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, centralDirectory, end]);
}

function findEndRecord(zip: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= lowest; at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY && at + 22 + zip.readUInt16LE(at + 20) === zip.length) return at;
  }
  throw new Error('zip: no end of central directory record');
}

/**
 * Reads every entry through the central directory, inflates it and checks
 * its CRC-32 and size. Throws on anything malformed, so "it reads" means
 * "it is a valid, intact zip".
 */
export function readZip(input: Uint8Array): ZipEntry[] {
  const zip = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const end = findEndRecord(zip);
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const start = zip.readUInt32LE(end + 16);
  if (start + size > end) throw new Error('zip: central directory runs past its end record');
  const entries: ZipEntry[] = [];
  let at = start;
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error(`zip: bad central directory entry ${index}`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const uncompressedSize = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;

    if (flags & 0x0001) throw new Error(`zip: ${name} is encrypted`);
    if (zip.readUInt32LE(localOffset) !== LOCAL_HEADER) throw new Error(`zip: ${name} has no local header`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const body = zip.subarray(dataStart, dataStart + compressedSize);
    if (body.length !== compressedSize) throw new Error(`zip: ${name} is truncated`);
    let data: Buffer;
    if (method === STORED) data = Buffer.from(body);
    else if (method === DEFLATED) data = inflateRawSync(body);
    else throw new Error(`zip: ${name} uses unsupported method ${method}`);
    if (data.length !== uncompressedSize) throw new Error(`zip: ${name} has size ${data.length}, expected ${uncompressedSize}`);
    if (crc32(data) !== crc) throw new Error(`zip: ${name} fails its CRC check`);
    entries.push({ name, directory: name.endsWith('/'), data, method, crc32: crc });
  }
  return entries;
}

/** The files of an archive as a map from name to bytes (directories left out). */
export function zipFiles(input: Uint8Array): Map<string, Buffer> {
  return new Map(readZip(input).filter((entry) => !entry.directory).map((entry) => [entry.name, entry.data]));
}
