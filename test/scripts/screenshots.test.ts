import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pngInfo } from '../../scripts/screenshots/png';
import { parseOptions } from '../../scripts/screenshots';
import { SHOTS } from '../../scripts/screenshots/before-after-set';
import { CHROME_DIST } from '../e2e/chromium';
import { REPO_ROOT } from '../helpers/paths';

/** A PNG header: the signature and an IHDR chunk of the given size (no pixels: pngInfo reads only the header). */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
}

describe('npm run screenshots: options', () => {
  it('writes the README set into docs/images from dist/chrome by default', () => {
    const options = parseOptions([]);
    expect(options).toEqual({
      set: 'readme',
      outDir: path.join(REPO_ROOT, 'docs/images'),
      // The build's folder by name only: this test reads nothing from it.
      extensionDir: CHROME_DIST,
      before: null,
    });
  });

  it('writes the before/after set into test-results/before-after, and needs the older build for it', () => {
    const options = parseOptions(['--set', 'before-after', '--before', '/tmp/before/dist/chrome']);
    expect(options.outDir).toBe(path.join(REPO_ROOT, 'test-results/before-after'));
    expect(options.before).toBe('/tmp/before/dist/chrome');
    expect(() => parseOptions(['--set', 'before-after'])).toThrow('--set before-after needs --before DIR');
  });

  it('refuses an unknown set, --before without its set, and unknown flags', () => {
    expect(() => parseOptions(['--set', 'all'])).toThrow('--set must be "readme" or "before-after", not "all"');
    expect(() => parseOptions(['--before', 'x'])).toThrow('--before goes with --set before-after');
    expect(() => parseOptions(['--out'])).toThrow();
  });

  it('describes every picture of the before/after set', () => {
    for (const [name, what] of Object.entries(SHOTS)) {
      expect(name).toMatch(/^\d{2}-[a-z0-9-]+$/);
      expect(what.length).toBeGreaterThan(10);
    }
  });
});

describe('pngInfo', () => {
  it('reads the width and height from the header', () => {
    expect(pngInfo(pngHeader(380, 512))).toEqual({ width: 380, height: 512 });
  });

  it('refuses what is not a PNG, saying why', () => {
    expect(() => pngInfo(Buffer.from('<html>not a picture</html>, long enough to have a header'))).toThrow('not a PNG file (no PNG signature)');
    const wrongChunk = pngHeader(1, 1);
    wrongChunk.write('IDAT', 12, 'latin1');
    expect(() => pngInfo(wrongChunk)).toThrow('its first chunk is not IHDR');
    expect(() => pngInfo(pngHeader(1, 1).subarray(0, 20))).toThrow('no PNG signature');
  });
});
