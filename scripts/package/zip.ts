// ZIP archives for the packages: written with yazl, read back with yauzl (two
// independent implementations by one maintainer; yauzl is also what web-ext
// reads with). What this module adds is what the packages need around them:
//
// - reproducible bytes: entries sorted by name, each preceded by directory
//   entries for its parents (browsers and web-ext write them too), one fixed
//   time stamp, fixed modes, so the same files always give the same archive
//   and the CRX payload is exactly these bytes;
// - a reader that checks every entry's CRC-32 (Node's zlib.crc32; yauzl checks
//   sizes but not CRCs), so "it reads" means "it is a valid, intact zip", for
//   the tests that open what the packer wrote, including a .crx payload.
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { ZipFile } from 'yazl';

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

const STORED = 0;
const DEFLATED = 8;
const FILE_MODE = 0o100644;
const DIRECTORY_MODE = 0o040755;

/**
 * The fixed time stamped on every entry: SOURCE_DATE_EPOCH when set (the
 * reproducible-builds convention), else 1980-01-01, so the same files always
 * give the same bytes.
 */
export function reproducibleDate(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = Number(env['SOURCE_DATE_EPOCH']);
  return Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date(Date.UTC(1980, 0, 1));
}

/**
 * yazl writes the MS-DOS time fields from a Date's local-time fields; this
 * Date has as local fields the UTC fields of `when`, so the archive says the
 * same time in every time zone.
 */
function asLocalFields(when: Date): Date {
  return new Date(when.getUTCFullYear(), when.getUTCMonth(), when.getUTCDate(), when.getUTCHours(), when.getUTCMinutes(), when.getUTCSeconds());
}

function checkName(name: string): void {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new Error(`zip: unsafe entry name "${name}"`);
  }
}

/** The entries in archive order: sorted by name, each file after directory entries for its parents. */
function orderedEntries(inputs: readonly ZipInput[]): { name: string; data: Uint8Array | null }[] {
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
  return ordered;
}

/**
 * Builds a ZIP archive (deflate at level 9; empty files stored). No time
 * zone, umask or file system state gets in: only the names, the bytes and `when`.
 */
export async function createZip(inputs: readonly ZipInput[], when: Date = reproducibleDate()): Promise<Buffer> {
  const entries = orderedEntries(inputs);
  const zip = new ZipFile();
  const mtime = asLocalFields(when);
  for (const entry of entries) {
    if (entry.data === null) {
      zip.addEmptyDirectory(entry.name, { mtime, mode: DIRECTORY_MODE, forceDosTimestamp: true });
    } else {
      const compress = entry.data.length > 0;
      zip.addBuffer(Buffer.from(entry.data), entry.name, {
        mtime,
        mode: FILE_MODE,
        compress,
        forceDosTimestamp: true,
        ...(compress ? { compressionLevel: 9 } : {}),
      });
    }
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function readEntryData(archive: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    archive.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error(`zip: ${entry.fileName} cannot be read`));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/**
 * Reads every entry through the central directory, inflates it and checks its
 * size and CRC-32. Rejects on anything malformed (yauzl's message, prefixed
 * with "zip:"), encrypted, or failing its CRC.
 */
export function readZip(input: Uint8Array): Promise<ZipEntry[]> {
  const zip = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(new Error(`zip: ${error instanceof Error ? error.message : String(error)}`));
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (error, archive) => {
      if (error || !archive) return fail(error);
      const entries: ZipEntry[] = [];
      archive.on('error', fail);
      archive.on('end', () => resolve(entries));
      archive.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (entry.isEncrypted()) return fail(`${name} is encrypted`);
        if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED)
          return fail(`${name} uses unsupported method ${entry.compressionMethod}`);
        readEntryData(archive, entry).then((data) => {
          if (crc32(data) !== entry.crc32) return fail(`${name} fails its CRC check`);
          entries.push({ name, directory: name.endsWith('/'), data, method: entry.compressionMethod, crc32: entry.crc32 });
          archive.readEntry();
        }, fail);
      });
      archive.readEntry();
    });
  });
}

/** The files of an archive as a map from name to bytes (directories left out). */
export async function zipFiles(input: Uint8Array): Promise<Map<string, Buffer>> {
  return new Map((await readZip(input)).filter((entry) => !entry.directory).map((entry) => [entry.name, entry.data]));
}
