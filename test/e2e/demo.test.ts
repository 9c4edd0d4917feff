import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';
import { CHROMIUM_POLICY_DIR } from './support/policy';

/** Width and height from a PNG's IHDR chunk, or null when the bytes are no PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('npm start on a machine without a display', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'ccr-demo-test-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('runs headless, writes a popup screenshot per demo site, says where they are, and cleans up', async () => {
    const env = { ...process.env };
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    // --no-build: the e2e run tests the build it was given (CI builds first).
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/demo.ts', '--no-build', '--out-dir', outDir],
        { cwd: REPO_ROOT, env, timeout: 110_000 },
        (error, out, err) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
      );
    });
    expect(stderr, stdout).not.toContain('demo failed');
    expect(code).toBe(0);
    expect(stdout).toContain('No display: headless run');
    const pngs = readdirSync(outDir)
      .filter((file) => file.endsWith('.png'))
      .sort();
    expect(pngs).toEqual(['01-intranet-popup.png', '02-public-guard-page.png', '02-public-popup.png', '03-www-example-popup.png', '04-http-popup.png']);
    for (const file of pngs) {
      // Printed, so a person finds them.
      expect(stdout).toContain(file);
      const size = pngSize(readFileSync(path.join(outDir, file)));
      expect(size, file).not.toBeNull();
      expect(size!.width).toBeGreaterThanOrEqual(400);
      expect(size!.height).toBeGreaterThanOrEqual(200);
    }
    // The demo checks each popup's decision itself (exit 1 otherwise); its report says which.
    for (const shown of ['popup: Certificate allowed', 'popup: Excluded by a rule', 'popup: No rule for this site', 'popup: Not a secure connection']) {
      expect(stdout).toContain(shown);
    }
    expect(existsSync(path.join(CHROMIUM_POLICY_DIR, 'ccr-demo.json'))).toBe(false);
  });
});
