// Builds the `cert-rules` command: src/cli/bin.ts → dist/cli/cert-rules.mjs,
// one self-contained Node ESM file (zod and the engine bundled in; only
// node: built-ins stay imports). Vite's SSR build targets Node.
import { chmodSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const root = import.meta.dirname;
const outDir = resolve(root, 'dist/cli');
const fileName = 'cert-rules.mjs';

/** The package `bin` must be directly executable. */
function makeExecutable(): Plugin {
  return {
    name: 'cert-rules:chmod',
    apply: 'build',
    writeBundle() {
      chmodSync(resolve(outDir, fileName), 0o755);
    },
  };
}

export default defineConfig({
  root,
  publicDir: false,
  plugins: [makeExecutable()],
  ssr: {
    // Bundle every dependency: the file must run without node_modules.
    noExternal: true,
    target: 'node',
  },
  build: {
    ssr: resolve(root, 'src/cli/bin.ts'),
    outDir,
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    rolldownOptions: {
      output: {
        format: 'es',
        entryFileNames: fileName,
        banner: '#!/usr/bin/env node',
        // One file: no split chunks even for dynamic imports.
        codeSplitting: false,
      },
    },
  },
});
