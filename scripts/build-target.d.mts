// Types for scripts/build-target.mjs (a plain Node module, also imported by vite.config.ts).
/** "chrome120" / "firefox140" from manifest.json's minimum_chrome_version / gecko strict_min_version. */
export function buildTarget(root: string, target: 'chrome' | 'firefox'): string;
