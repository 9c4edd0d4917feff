import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

/**
 * A clean install and build print no warnings: Vite warns about a config that
 * imports a relative module without its extension (its native loader resolves
 * as Node does), and npm about every dependency whose install script nobody
 * has decided on (package.json "allowScripts").
 */
describe('a clean build prints no warnings', () => {
  it.each(['vite.config.ts', 'vite.cli.config.ts', 'vitest.config.ts'])('%s imports relative modules with their extension', (file) => {
    const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    const relative = [...text.matchAll(/^import [^;]*? from '(\.[^']+)'/gm)].map((match) => match[1] as string);
    for (const specifier of relative) expect(specifier, `${file}: ${specifier}`).toMatch(/\.(?:ts|mts|mjs|js|json)$/);
  });

  it('every installed dependency with an install script has a decision in package.json "allowScripts"', () => {
    const decided = Object.keys((JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { allowScripts?: object }).allowScripts ?? {});
    const withScripts: string[] = [];
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
        const where = path.join(dir, entry.name);
        if (entry.name.startsWith('@')) {
          visit(where);
          continue;
        }
        const manifest = path.join(where, 'package.json');
        if (existsSync(manifest)) {
          const { name, scripts = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; scripts?: Record<string, string> };
          if (['preinstall', 'install', 'postinstall'].some((hook) => hook in scripts)) withScripts.push(name);
        }
        const nested = path.join(where, 'node_modules');
        if (existsSync(nested)) visit(nested);
      }
    };
    visit(path.join(REPO_ROOT, 'node_modules'));
    expect(withScripts).toContain('esbuild');
    for (const name of withScripts)
      expect(
        decided.some((entry) => entry === name || entry.startsWith(`${name}@`)),
        name,
      ).toBe(true);
  });
});
