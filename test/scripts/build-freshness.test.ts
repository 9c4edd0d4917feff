import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_INPUTS, newestMtime, staleBuildReason } from '../../scripts/build-freshness';

describe('a build is stale when it is missing or older than one of its inputs (npm start, the built tests)', () => {
  let root: string;
  const at = (file: string, seconds: number) => {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, file);
    utimesSync(full, seconds, seconds);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'ccr-freshness-'));
    at('src/background/index.ts', 1_000);
    at('src/ui/popup/main.tsx', 1_100);
    at('manifest.json', 900);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is stale when there is no build', () => {
    expect(staleBuildReason(root, path.join(root, 'dist/chrome'), ['src', 'manifest.json'])).toBe('dist/chrome is missing');
  });

  it('is current when the build is newer than every input, stale when one input is newer', () => {
    at('dist/chrome/manifest.json', 2_000);
    expect(staleBuildReason(root, path.join(root, 'dist/chrome'), ['src', 'manifest.json'])).toBeNull();
    at('src/ui/popup/deep/nested/file.ts', 2_001);
    expect(staleBuildReason(root, path.join(root, 'dist/chrome'), ['src', 'manifest.json'])).toBe('src changed after the last build');
  });

  it('looks at files, not only directories, and ignores inputs that do not exist', () => {
    at('dist/chrome/manifest.json', 2_000);
    at('manifest.json', 3_000);
    expect(staleBuildReason(root, path.join(root, 'dist/chrome'), ['src', 'missing.ts', 'manifest.json'])).toBe('manifest.json changed after the last build');
    expect(newestMtime(path.join(root, 'missing.ts'))).toBe(0);
    expect(newestMtime(path.join(root, 'src'))).toBe(1_100_000);
  });

  it('looks for another marker file when told (the CLI has no manifest)', () => {
    at('dist/cli/cert-rules.mjs', 2_000);
    expect(staleBuildReason(root, path.join(root, 'dist/cli'), ['src'])).toBe('dist/cli is missing');
    expect(staleBuildReason(root, path.join(root, 'dist/cli'), ['src'], 'cert-rules.mjs')).toBeNull();
  });

  it('counts everything the build reads among its inputs', () => {
    for (const input of [
      'src',
      'public',
      'manifest.json',
      'package-lock.json',
      'vite.config.ts',
      'vite.cli.config.ts',
      'scripts/build.mjs',
      'scripts/worker-bundle.mjs',
    ]) {
      expect(BUILD_INPUTS).toContain(input);
    }
  });
});
