import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What `npm run build` reads: when any of it is newer than the build, the build is stale. */
export const BUILD_INPUTS = [
  'src',
  'public',
  'manifest.json',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'vite.config.ts',
  'vite.cli.config.ts',
  'scripts/build.mjs',
  'scripts/build-target.mjs',
  'scripts/manifest-target.ts',
  'scripts/worker-bundle.mjs',
];

/** The newest modification time (ms) of a file or of any file under a directory; 0 when absent. */
export function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/**
 * Why the build in `distDir` must be redone, or null when it is current: it
 * is missing (its `marker` file), or one of `inputs` (relative to `root`)
 * changed after it was made.
 */
export function staleBuildReason(root: string, distDir: string, inputs: readonly string[] = BUILD_INPUTS, marker = 'manifest.json'): string | null {
  const markerPath = path.join(distDir, marker);
  if (!existsSync(markerPath)) return `${path.relative(root, distDir)} is missing`;
  const built = statSync(markerPath).mtimeMs;
  for (const input of inputs) {
    if (newestMtime(path.join(root, input)) > built) return `${input} changed after the last build`;
  }
  return null;
}
