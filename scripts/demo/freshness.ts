import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What a build reads: when any of it is newer than the build, the build is stale. */
export const BUILD_INPUTS = ['src', 'public', 'manifest.json', 'vite.config.ts', 'package.json', 'scripts/manifest-target.ts'];

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
 * is missing, or one of `inputs` (relative to `root`) changed after it was made.
 */
export function staleBuildReason(root: string, distDir: string, inputs: readonly string[] = BUILD_INPUTS): string | null {
  const marker = path.join(distDir, 'manifest.json');
  if (!existsSync(marker)) return `${path.relative(root, distDir)} is missing`;
  const built = statSync(marker).mtimeMs;
  for (const input of inputs) {
    if (newestMtime(path.join(root, input)) > built) return `${input} changed after the last build`;
  }
  return null;
}
