// The JavaScript level each browser's bundle is built for, read from the
// minimum versions manifest.json already declares (one source of truth for
// vite.config.ts and scripts/worker-bundle.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** "chrome120" / "firefox140" from manifest.json's minimum_chrome_version / gecko strict_min_version. */
export function buildTarget(root, target) {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  const version = target === 'chrome' ? manifest.minimum_chrome_version : manifest.browser_specific_settings?.gecko?.strict_min_version;
  const major = /^(\d+)/.exec(String(version ?? ''))?.[1];
  if (!major) throw new Error(`manifest.json declares no minimum ${target} version`);
  return `${target}${major}`;
}
