import { spawnSync } from 'node:child_process';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngInfo {
  width: number;
  height: number;
}

/** The size of a PNG from its header (signature, then the IHDR chunk); an error saying what is wrong for anything else. */
export function pngInfo(bytes: Buffer): PngInfo {
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file (no PNG signature)');
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG file (its first chunk is not IHDR)');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * Recompresses PNGs losslessly with Debian's optipng when it is installed
 * (apt-get install optipng); without it the files stay as the browser wrote
 * them. Returns whether optipng ran.
 */
export function optimisePngs(files: readonly string[]): boolean {
  if (files.length === 0) return false;
  const probe = spawnSync('optipng', ['-v'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return false;
  const result = spawnSync('optipng', ['-quiet', '-o2', '-strip', 'all', ...files], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`optipng failed (exit ${result.status ?? 'signal'})`);
  return true;
}
