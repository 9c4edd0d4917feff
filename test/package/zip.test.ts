import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { crc32, createZip, readZip, zipFiles } from '../../scripts/package/zip';

const files = [
  { name: 'manifest.json', data: Buffer.from('{"name":"x"}\n') },
  { name: 'src/ui/popup/index.html', data: Buffer.from('<!doctype html>\n'.repeat(100)) },
  { name: 'icons/icon.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]) },
  { name: 'empty.txt', data: Buffer.alloc(0) },
  { name: '_locales/de/messages.json', data: Buffer.from('{"größe":"ü"}') },
];

/** Reads a zip with yauzl (an independent implementation, installed with web-ext) into name → bytes. */
function readWithYauzl(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true }, (error, archive) => {
      if (error || !archive) return reject(error);
      const out = new Map<string, Buffer>();
      archive.on('error', reject);
      archive.on('end', () => resolve(out));
      archive.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return archive.readEntry();
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            archive.readEntry();
          });
        });
      });
      archive.readEntry();
    });
  });
}

describe('zip writer and reader', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('writes archives another reader opens with every byte intact', async () => {
    const fromYauzl = await readWithYauzl(createZip(files));
    expect([...fromYauzl.keys()].sort()).toEqual(files.map((file) => file.name).sort());
    for (const file of files) expect(fromYauzl.get(file.name)!.equals(file.data), file.name).toBe(true);
  });

  it('reads back what it wrote, with directory entries for parent folders, sorted', () => {
    const entries = readZip(createZip(files));
    expect(entries.map((entry) => entry.name)).toEqual([
      '_locales/', '_locales/de/', '_locales/de/messages.json', 'empty.txt', 'icons/', 'icons/icon.png',
      'manifest.json', 'src/', 'src/ui/', 'src/ui/popup/', 'src/ui/popup/index.html',
    ]);
    // Compressible text is deflated; tiny or incompressible data is stored.
    expect(entries.find((entry) => entry.name === 'src/ui/popup/index.html')!.method).toBe(8);
    expect(entries.find((entry) => entry.name === 'icons/icon.png')!.method).toBe(0);
    const map = zipFiles(createZip(files));
    for (const file of files) expect(map.get(file.name)!.equals(file.data)).toBe(true);
  });

  it('is reproducible: same files, same bytes, whatever the input order', () => {
    expect(createZip(files).equals(createZip([...files].reverse()))).toBe(true);
  });

  it('detects corruption through the CRC', () => {
    const zip = createZip([{ name: 'a.txt', data: Buffer.from('abcdefgh') }]);
    const broken = Buffer.from(zip);
    broken[30 + 'a.txt'.length + 2]! ^= 0xff;
    expect(() => readZip(broken)).toThrow(/CRC/);
    expect(() => readZip(Buffer.from('not a zip at all, definitely not'))).toThrow(/end of central directory/);
  });

  it('refuses unsafe or duplicate names', () => {
    for (const name of ['/abs', '../up', 'a/../b', 'back\\slash', '']) {
      expect(() => createZip([{ name, data: Buffer.from('x') }]), name).toThrow(/unsafe/);
    }
    expect(() => createZip([{ name: 'a', data: Buffer.from('1') }, { name: 'a', data: Buffer.from('2') }])).toThrow(/duplicate/);
  });
});
