import { afterEach, describe, expect, it } from 'vitest';
import { createZip, readZip, reproducibleDate, zipFiles } from '../../scripts/package/zip';

const files = [
  { name: 'manifest.json', data: Buffer.from('{"name":"x"}\n') },
  { name: 'src/ui/popup/index.html', data: Buffer.from('<!doctype html>\n'.repeat(100)) },
  { name: 'icons/icon.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]) },
  { name: 'empty.txt', data: Buffer.alloc(0) },
  { name: '_locales/de/messages.json', data: Buffer.from('{"größe":"ü"}') },
];

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;

/** Offsets of every record with this signature. */
function recordsOf(zip: Buffer, signature: number): number[] {
  const found: number[] = [];
  for (let at = 0; at + 4 <= zip.length; at++) if (zip.readUInt32LE(at) === signature) found.push(at);
  return found;
}

/** The MS-DOS time and date fields of every local header. */
const localTimes = (zip: Buffer) => recordsOf(zip, LOCAL_HEADER).map((at) => ({ time: zip.readUInt16LE(at + 10), date: zip.readUInt16LE(at + 12) }));

const originalTz = process.env['TZ'];
afterEach(() => {
  if (originalTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = originalTz;
});

describe('zip writer and reader', () => {
  it('reads back what it wrote, with directory entries for parent folders, sorted', async () => {
    const entries = await readZip(await createZip(files));
    expect(entries.map((entry) => entry.name)).toEqual([
      '_locales/',
      '_locales/de/',
      '_locales/de/messages.json',
      'empty.txt',
      'icons/',
      'icons/icon.png',
      'manifest.json',
      'src/',
      'src/ui/',
      'src/ui/popup/',
      'src/ui/popup/index.html',
    ]);
    expect(entries.filter((entry) => entry.directory).every((entry) => entry.data.length === 0)).toBe(true);
    // Files with content are deflated; an empty one is stored.
    expect(entries.find((entry) => entry.name === 'src/ui/popup/index.html')!.method).toBe(8);
    expect(entries.find((entry) => entry.name === 'empty.txt')!.method).toBe(0);
    const map = await zipFiles(await createZip(files));
    expect([...map.keys()].sort()).toEqual(files.map((file) => file.name).sort());
    for (const file of files) expect(map.get(file.name)!.equals(file.data), file.name).toBe(true);
  });

  it('is reproducible: same files, same bytes, whatever the input order', async () => {
    expect((await createZip(files)).equals(await createZip([...files].reverse()))).toBe(true);
  });

  it('stamps one fixed time, the same in every time zone: 1980-01-01 00:00, or SOURCE_DATE_EPOCH', async () => {
    // DOS date: (year - 1980) << 9 | month << 5 | day; time: hours << 11 | minutes << 5 | seconds / 2.
    const stamps = async (when?: Date) => new Set(localTimes(await createZip(files, when)).map((stamp) => JSON.stringify(stamp)));
    expect(await stamps()).toEqual(new Set([JSON.stringify({ time: 0, date: (1 << 5) | 1 })]));

    const when = reproducibleDate({ SOURCE_DATE_EPOCH: String(Date.UTC(2024, 1, 29, 13, 45, 10) / 1000) });
    process.env['TZ'] = 'America/New_York';
    const west = await createZip(files, when);
    process.env['TZ'] = 'Asia/Tokyo';
    const east = await createZip(files, when);
    expect(west.equals(east)).toBe(true);
    expect(await stamps(when)).toEqual(new Set([JSON.stringify({ time: (13 << 11) | (45 << 5) | (10 >> 1), date: (44 << 9) | (2 << 5) | 29 })]));
    expect(reproducibleDate({ SOURCE_DATE_EPOCH: 'not a number' }).toISOString()).toBe('1980-01-01T00:00:00.000Z');
  });

  it('refuses an entry whose CRC-32 does not match its data, and what is not a zip', async () => {
    const zip = await createZip([{ name: 'a.txt', data: Buffer.from('abcdefgh') }]);
    const broken = Buffer.from(zip);
    const central = recordsOf(broken, CENTRAL_HEADER)[0]!;
    broken.writeUInt32LE((broken.readUInt32LE(central + 16) ^ 1) >>> 0, central + 16);
    await expect(readZip(broken)).rejects.toThrow(/zip: a\.txt fails its CRC check/);
    await expect(readZip(Buffer.from('not a zip at all, definitely not'))).rejects.toThrow(/^zip: end of central directory/i);
  });

  it('refuses unsafe or duplicate names', async () => {
    for (const name of ['/abs', '../up', 'a/../b', 'back\\slash', '', 'a//b', './a']) {
      await expect(createZip([{ name, data: Buffer.from('x') }]), name).rejects.toThrow(/unsafe/);
    }
    await expect(
      createZip([
        { name: 'a', data: Buffer.from('1') },
        { name: 'a', data: Buffer.from('2') },
      ]),
    ).rejects.toThrow(/duplicate/);
  });
});
