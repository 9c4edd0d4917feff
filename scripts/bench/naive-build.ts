import { existsSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'vite';
import { bundleWorker } from '../worker-bundle.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The modules the naive variant replaces, and what replaces them. Nothing in
 * src/ knows about this: the shipped build is untouched, and the naive variant
 * is the same background with three modules swapped at build time.
 */
const SWAPS: Record<string, string> = {
  'src/engine/rule-index.ts': 'scripts/bench/naive-background/rule-index.ts',
  'src/background/wake-up/rules-cache.ts': 'scripts/bench/naive-background/rules-cache.ts',
  'src/engine/lint.ts': 'scripts/bench/naive-background/lint.ts',
};

/** Resolves imports of the swapped modules to their stand-ins (a stand-in itself still reaches the original). */
export function naiveMatcherPlugin(): Plugin {
  const swaps = new Map(Object.entries(SWAPS).map(([from, to]) => [path.join(ROOT, from), path.join(ROOT, to)]));
  const standIns = new Set(swaps.values());
  const used = new Set<string>();
  return {
    name: 'cold-start-naive-matcher',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || standIns.has(importer) || !source.startsWith('.')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const standIn = resolved ? swaps.get(resolved.id) : undefined;
      if (!standIn) return null;
      used.add(standIn);
      return standIn;
    },
    buildEnd(error) {
      // A renamed module would silently give a "naive" build that is the real one.
      const missing = [...standIns].filter((file) => !used.has(file));
      if (!error && missing.length > 0) throw new Error(`the naive variant did not replace: ${missing.map((file) => path.relative(ROOT, file)).join(', ')}`);
    },
  };
}

/** Builds the Chrome extension with the naive matcher and no compiled-rules cache into outDir (never dist/). */
export async function buildNaiveVariant(outDir = path.join(ROOT, '.tmp/cold-naive')): Promise<string> {
  if (!path.resolve(outDir).startsWith(path.join(ROOT, '.tmp'))) throw new Error(`the naive variant is built under .tmp/ only, not ${outDir}`);
  const previous = process.env['TARGET'];
  process.env['TARGET'] = 'chrome';
  try {
    await build({
      configFile: path.join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      plugins: [naiveMatcherPlugin()],
      build: { outDir, emptyOutDir: true },
    });
    // The worker as one file, as `npm run build` ships it (scripts/worker-bundle.mjs), with the same stand-ins.
    await bundleWorker(ROOT, outDir, 'chrome', [naiveMatcherPlugin()]);
  } finally {
    if (previous === undefined) delete process.env['TARGET'];
    else process.env['TARGET'] = previous;
  }
  if (!existsSync(path.join(outDir, 'manifest.json'))) throw new Error(`the naive build did not produce ${outDir}/manifest.json`);
  return outDir;
}
