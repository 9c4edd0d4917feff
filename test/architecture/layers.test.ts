// Holds the import directions of docs/architecture.md ("Layers and the imports
// they may make"): each top-level folder of src/ may import only the layers
// listed for it, and the engine imports no Node or browser API, so the same
// decisions run in the worker, the pages and the CLI.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

const SRC = path.join(REPO_ROOT, 'src');

const ALLOWED: Record<string, readonly string[]> = {
  engine: [],
  console: ['engine'],
  sync: ['engine', 'console'],
  config: ['engine'],
  shared: ['engine', 'config'],
  background: ['engine', 'console', 'sync', 'config', 'shared'],
  cli: ['engine', 'console', 'sync', 'config'],
  ui: ['engine', 'config', 'shared'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm)) {
    found.push((match[1] ?? match[2] ?? match[3]) as string);
  }
  return found;
}

/** The src/ layer a relative specifier of `file` lands in, or null when it leaves src/ or is not relative. */
function layerOf(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = path.relative(SRC, path.resolve(path.dirname(file), specifier));
  if (target.startsWith('..')) return null;
  return target.split(path.sep)[0] ?? null;
}

describe('layers (docs/architecture.md)', () => {
  it('the import scanner finds static, re-exported, side-effect and dynamic imports', () => {
    const text = "import './first';\nimport type { A } from '../engine/a';\nexport { b } from '../sync/b';\nconst c = await import('../cli/c');";
    expect(specifiers(text)).toEqual(['./first', '../engine/a', '../sync/b', '../cli/c']);
    expect(layerOf(path.join(SRC, 'ui/popup/x.ts'), '../../background/y')).toBe('background');
    expect(layerOf(path.join(SRC, 'ui/popup/x.ts'), '../../../public/z.json')).toBeNull();
  });

  it('every folder of src/ has its row in the table', () => {
    const folders = readdirSync(SRC).filter((name) => statSync(path.join(SRC, name)).isDirectory());
    expect(folders.sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`${layer} imports only ${allowed.length > 0 ? allowed.join(', ') : 'itself'}`, () => {
      const wrong: string[] = [];
      for (const file of files(path.join(SRC, layer))) {
        for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
          const target = layerOf(file, specifier);
          if (target !== null && target !== layer && !allowed.includes(target)) wrong.push(`${path.relative(REPO_ROOT, file)} → ${specifier}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  // uuid: its name-based v5 for the macOS profiles; its browser build hashes in script and its Node build with node:crypto, so the engine's code stays the same everywhere.
  it('the engine imports no Node module, no browser API and no package but zod and uuid', () => {
    const outside: string[] = [];
    for (const file of files(path.join(SRC, 'engine'))) {
      const text = readFileSync(file, 'utf8');
      for (const specifier of specifiers(text)) {
        if (!specifier.startsWith('.') && !/^(?:zod(?:\/|$)|uuid$)/.test(specifier)) outside.push(`${path.relative(REPO_ROOT, file)} → ${specifier}`);
      }
      if (/\b(?:chrome|browser)\.(?:runtime|storage|tabs|alarms|webRequest|webNavigation|declarativeNetRequest)\b/.test(text)) outside.push(`${path.relative(REPO_ROOT, file)} uses a browser API`);
    }
    expect(outside).toEqual([]);
  });
});
