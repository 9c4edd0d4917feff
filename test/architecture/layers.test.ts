// Holds the import directions of docs/architecture.md ("Layers and the imports
// they may make"): each top-level folder of src/ may import only the layers
// listed for it (the table there says the same), only the CLI uses Node, the
// engine imports no Node or browser API and compiles without their types, so
// the same decisions run in the worker, the pages and the CLI.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

const SRC = path.join(REPO_ROOT, 'src');

const ALLOWED: Record<string, readonly string[]> = {
  lib: [],
  engine: ['lib'],
  console: ['lib', 'engine'],
  sync: ['lib', 'engine', 'console', 'config'],
  config: ['lib', 'engine'],
  shared: ['lib', 'engine', 'config'],
  background: ['lib', 'engine', 'console', 'sync', 'config', 'shared'],
  cli: ['lib', 'engine', 'console', 'sync', 'config'],
  ui: ['lib', 'engine', 'config', 'shared'],
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
  for (const match of text.matchAll(
    /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm,
  )) {
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

  it('the table in docs/architecture.md says the same', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/architecture.md'), 'utf8');
    const section = doc.split(/^## /m).find((part) => part.startsWith('Layers and the imports they may make')) ?? '';
    const table: Record<string, string[]> = {};
    for (const [, layer, cell] of section.matchAll(/^\| `(\w+)` \| (.+) \|$/gm)) {
      // "— never `background`" names what a layer may not import.
      const allowed = (cell as string).split(' — ')[0] as string;
      table[layer as string] = [...allowed.matchAll(/`(\w+)`/g)].map((match) => match[1] as string).sort();
    }
    expect(table).toEqual(Object.fromEntries(Object.entries(ALLOWED).map(([layer, allowed]) => [layer, [...allowed].sort()])));
  });

  it('only the CLI uses Node: every other layer runs in the browser', () => {
    const node = new Set(builtinModules);
    const wrong: string[] = [];
    for (const layer of Object.keys(ALLOWED).filter((name) => name !== 'cli')) {
      for (const file of files(path.join(SRC, layer))) {
        const text = readFileSync(file, 'utf8');
        for (const specifier of specifiers(text)) {
          if (specifier.startsWith('node:') || node.has(specifier.split('/')[0] as string)) wrong.push(`${path.relative(REPO_ROOT, file)} → ${specifier}`);
        }
        if (/\bNodeJS\.|\bprocess\.(?:env|argv|pid|exit)\b/.test(text)) wrong.push(`${path.relative(REPO_ROOT, file)} uses a Node global`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('shared takes only types, schemas and constants from config', () => {
    const wrong: string[] = [];
    for (const file of files(path.join(SRC, 'shared'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:import|export)\s+(type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)) {
        if (match[1] || layerOf(file, match[3] as string) !== 'config') continue;
        for (const name of (match[2] as string)
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)) {
          const imported = name.replace(/^type\s+/, '').split(/\s+as\s+/)[0] as string;
          if (!name.startsWith('type ') && !/Schema$|^[A-Z][A-Z0-9_]*$/.test(imported)) wrong.push(`${path.relative(REPO_ROOT, file)} → ${imported}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the engine type-checks on its own, with no DOM, browser-extension or Node types, in npm run typecheck', () => {
    const configPath = path.join(REPO_ROOT, 'tsconfig.engine.json');
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    expect(read.error).toBeUndefined();
    const config = ts.parseJsonConfigFileContent(read.config, ts.sys, REPO_ROOT);
    expect(config.errors).toEqual([]);
    expect(config.options.types).toEqual([]);
    const libs = (config.options.lib ?? []).map((lib) => lib.toLowerCase());
    expect(libs.length).toBeGreaterThan(0);
    expect(libs.filter((lib) => /dom|webworker|scripthost/.test(lib))).toEqual([]);
    const checked = new Set(config.fileNames.map((file) => path.resolve(file)));
    expect(files(path.join(SRC, 'engine')).filter((file) => !checked.has(path.resolve(file)))).toEqual([]);
    const scripts = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['typecheck']).toMatch(/tsc\b[^&|;]*-p tsconfig\.engine\.json/);
  });

  // uuid: its name-based v5 for the macOS profiles; its browser build hashes in script and its Node build with node:crypto, so the engine's code stays the same everywhere.
  it('the engine imports no Node module, no browser API and no package but zod and uuid', () => {
    const outside: string[] = [];
    for (const file of files(path.join(SRC, 'engine'))) {
      const text = readFileSync(file, 'utf8');
      for (const specifier of specifiers(text)) {
        if (!specifier.startsWith('.') && !/^(?:zod(?:\/|$)|uuid$)/.test(specifier)) outside.push(`${path.relative(REPO_ROOT, file)} → ${specifier}`);
      }
      if (/\b(?:chrome|browser)\.(?:runtime|storage|tabs|alarms|webRequest|webNavigation|declarativeNetRequest)\b/.test(text))
        outside.push(`${path.relative(REPO_ROOT, file)} uses a browser API`);
    }
    expect(outside).toEqual([]);
  });
});
