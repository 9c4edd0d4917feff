// Turns the one source manifest (manifest.json, written for Chrome) into the
// manifest for a build target. Pure: the vite config and the tests both call it.
//
// - version: package.json is the only place the version lives; browsers take
//   only dotted integers, so a pre-release suffix goes to version_name (Chrome).
// - chrome: drops browser_specific_settings (Chrome warns about unknown keys).
// - firefox: background scripts instead of a service worker (Firefox MV3 has
//   no service worker background), no `key` (the gecko id fixes the identity),
//   no Chrome-only keys (use_dynamic_url too: Firefox does not support it; its
//   moz-extension:// address is already random for each installation).

export const TARGETS = ['chrome', 'firefox'] as const;
export type Target = (typeof TARGETS)[number];
export type Manifest = Record<string, unknown> & { background?: Record<string, unknown> };

export function parseTarget(value: string | undefined): Target {
  const target = value ?? 'chrome';
  const known = TARGETS.find((name) => name === target);
  if (!known) throw new Error(`TARGET must be one of ${TARGETS.join(', ')}; got "${target}"`);
  return known;
}

export function manifestVersion(packageVersion: string): { version: string; version_name?: string } {
  const trimmed = packageVersion.trim();
  const core = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?/.exec(trimmed);
  if (!core) throw new Error(`package.json version "${packageVersion}" does not start with a number`);
  const version = core
    .slice(1)
    .filter((part) => part !== undefined)
    .join('.');
  return version === trimmed ? { version } : { version, version_name: trimmed };
}

export function manifestForTarget(source: Manifest, target: Target, packageVersion: string): Manifest {
  const manifest = structuredClone(source);
  const { version, version_name } = manifestVersion(packageVersion);
  manifest['version'] = version;
  if (target === 'chrome') {
    if (version_name) manifest['version_name'] = version_name;
    delete manifest['browser_specific_settings'];
    return manifest;
  }
  const worker = manifest.background?.['service_worker'];
  if (typeof worker !== 'string') throw new Error('manifest.json: background.service_worker is missing');
  manifest.background = { scripts: [worker], type: 'module' };
  delete manifest['key'];
  delete manifest['minimum_chrome_version'];
  delete manifest['version_name'];
  const resources = manifest['web_accessible_resources'];
  if (Array.isArray(resources)) {
    manifest['web_accessible_resources'] = resources.map((entry: Record<string, unknown>) => {
      const { use_dynamic_url: _chromeOnly, ...rest } = entry;
      return rest;
    });
  }
  return manifest;
}
