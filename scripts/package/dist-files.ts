// Reads a built extension folder (dist/chrome) as zip entries, and rewrites its
// manifest for a package: the Web Store zip and the self-hosted .crx need
// different `key` fields from the same build.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ZipInput } from './zip';

/** Every file under dir, with "/"-separated names; dot files (tool caches such as .vite/) are left out. */
export function readDistFiles(dir: string): ZipInput[] {
  const files: ZipInput[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push({ name: relative(dir, path).split(sep).join('/'), data: readFileSync(path) });
    }
  };
  walk(dir);
  return files;
}

export type ManifestJson = Record<string, unknown>;

export function readManifest(files: readonly ZipInput[]): ManifestJson {
  const file = files.find((entry) => entry.name === 'manifest.json');
  if (!file) throw new Error('the build has no manifest.json');
  return JSON.parse(Buffer.from(file.data).toString('utf8')) as ManifestJson;
}

/** The same files with manifest.json replaced by edit(manifest). */
export function withManifest(files: readonly ZipInput[], edit: (manifest: ManifestJson) => ManifestJson): ZipInput[] {
  const manifest = edit(structuredClone(readManifest(files)));
  const data = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  return files.map((file) => (file.name === 'manifest.json' ? { name: file.name, data } : file));
}
