import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { pngInfo } from '../../scripts/screenshots/png';
import { REPO_ROOT } from '../helpers/paths';

const run = promisify(execFile);
const IMAGES = path.join(REPO_ROOT, 'docs/images');
const README_SHOTS = ['popup-allowed', 'popup-denied', 'guard', 'options-tester'];

/** Every PNG directly in docs/images with its hash: the test must leave them as they are. */
function imagesFingerprint(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const file of readdirSync(IMAGES)) {
    if (file.endsWith('.png'))
      found[file] = createHash('sha256')
        .update(readFileSync(path.join(IMAGES, file)))
        .digest('hex');
  }
  return found;
}

/**
 * `npm run screenshots` (scripts/screenshots.ts) into a temporary folder: it
 * runs end to end in headless Chromium and writes each README picture, light
 * and dark, as a PNG of a sensible size; docs/images is not touched.
 */
describe('npm run screenshots (into a temporary folder)', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'ccr-screenshots-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('writes the popup (allowed, denied), the guard page and the tester, light and dark, as PNGs', async () => {
    const before = imagesFingerprint();
    await run(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/screenshots.ts'), '--out-dir', outDir], {
      cwd: REPO_ROOT,
      timeout: 240_000,
    });
    const expected = README_SHOTS.flatMap((name) => [`${name}-light.png`, `${name}-dark.png`]).sort();
    expect(readdirSync(outDir).sort()).toEqual(expected);
    for (const file of expected) {
      const bytes = readFileSync(path.join(outDir, file));
      const { width, height } = pngInfo(bytes);
      // Cropped to the page: a popup about 380 px wide, pages at most 1,200 px; nothing taller than the content cap.
      expect(width, file).toBeGreaterThanOrEqual(300);
      expect(width, file).toBeLessThanOrEqual(1200);
      expect(height, file).toBeGreaterThanOrEqual(200);
      expect(height, file).toBeLessThanOrEqual(2000);
      expect(statSync(path.join(outDir, file)).size, file).toBeGreaterThan(5_000);
      expect(statSync(path.join(outDir, file)).size, file).toBeLessThan(250_000);
    }
    for (const name of README_SHOTS) {
      // Light and dark differ (the pages follow the colour scheme).
      expect(readFileSync(path.join(outDir, `${name}-light.png`)).equals(readFileSync(path.join(outDir, `${name}-dark.png`))), name).toBe(false);
    }
    expect(imagesFingerprint()).toEqual(before);
  }, 300_000);
});
