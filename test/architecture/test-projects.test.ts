// Holds the split of vitest.config.ts: a test that reads what `npm run build`
// makes (dist/) is named *-built.test.ts and so runs in the "built" project,
// after the build; the unit project needs no build.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

const TEST = path.join(REPO_ROOT, 'test');

/** Every test file outside test/e2e, but this one (its examples name what reads the build). */
function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return full === path.join(TEST, 'e2e') ? [] : testFiles(full);
    return /\.test\.tsx?$/.test(name) && full !== fileURLToPath(import.meta.url) ? [full] : [];
  });
}

/** What a test file uses that reads the build: the dist/ paths of test/helpers/paths.ts, a dist/ path of its own, or the packer (it packages dist/). */
const READS_BUILD = /\b(?:DIST_DIR|BUILT_CLI)\b|REPO_ROOT,\s*['"]dist\b|scripts\/package\.ts/;

describe('test projects (vitest.config.ts)', () => {
  it('finds what reads the build', () => {
    expect(READS_BUILD.test("import { BUILT_CLI } from '../helpers/paths';")).toBe(true);
    expect(READS_BUILD.test("path.join(REPO_ROOT, 'dist/chrome')")).toBe(true);
    expect(READS_BUILD.test("['--import', 'tsx', path.join(REPO_ROOT, 'scripts/package.ts')]")).toBe(true);
    // A dist/ folder made by the test itself is not the build.
    expect(READS_BUILD.test("staleBuildReason(root, path.join(root, 'dist/chrome'))")).toBe(false);
  });

  it('every test file that reads dist/ is a *-built.test.ts, and every *-built.test.ts reads it', () => {
    const files = testFiles(TEST);
    const readsBuild = files.filter((file) => READS_BUILD.test(readFileSync(file, 'utf8'))).map((file) => path.relative(REPO_ROOT, file));
    const named = files.filter((file) => file.endsWith('-built.test.ts')).map((file) => path.relative(REPO_ROOT, file));
    expect(readsBuild.sort()).toEqual(named.sort());
    expect(named.length).toBeGreaterThanOrEqual(5);
  });
});
