// Builds the extension for one browser: TARGET=chrome (default) → dist/chrome,
// TARGET=firefox → dist/firefox. The CLI has its own config (vite.cli.config.ts);
// scripts/build.mjs runs all three.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { buildTarget } from './scripts/build-target.mjs';
import { manifestForTarget, parseTarget } from './scripts/manifest-target.ts';

const root = import.meta.dirname;
const target = parseTarget(process.env['TARGET']);
const readJson = (file: string) => JSON.parse(readFileSync(resolve(root, file), 'utf8'));
// The JSON is checked by the browsers and web-ext lint, not by a TS type.
const manifest = manifestForTarget(readJson('manifest.json'), target, readJson('package.json').version);

/** Names entry bundles after their page or worker (popup, options, guard, background). */
function entryName(chunk: { name: string; facadeModuleId: string | null }): string {
  const id = chunk.facadeModuleId ?? '';
  const page = /src\/ui\/([^/]+)\/index\.html$/.exec(id);
  if (page?.[1]) return page[1];
  if (/src\/background\/index\.ts$/.test(id)) return 'background';
  return chunk.name.replace(/[^a-zA-Z0-9_-]/g, '-');
}

export default defineConfig({
  root,
  publicDir: 'public',
  plugins: [preact(), crx({ manifest: manifest as unknown as ManifestV3Export, browser: target })],
  // Lets each browser's bundle leave out what only the other browser needs
  // (src/background/client-auth-errors.ts); unit tests and tsx see neither, and keep both.
  define: { __BROWSER__: JSON.stringify(target) },
  build: {
    outDir: `dist/${target}`,
    emptyOutDir: true,
    // Minified: the bundle budgets are on minified gzip sizes, and a smaller
    // script starts the service worker measurably faster after the browser
    // stopped it. Reviewers read the source package (BUILD.md), which rebuilds
    // these bytes exactly.
    minify: true,
    sourcemap: false,
    target: buildTarget(root, target),
    rolldownOptions: {
      // The guard page is reached only through declarativeNetRequest redirects,
      // so no manifest key names it as a page: build it as an extra entry.
      input: { guard: resolve(root, 'src/ui/guard/index.html') },
      // crxjs emits the manifest's pages and worker as chunks, which rolldown
      // names with chunkFileNames; name both kinds after what they are.
      output: {
        // The engine (but its policy compiler, which only the options page's
        // export worker loads) and zod in one chunk: the worker then loads three
        // files instead of five, which compress better (the worker's 40 KB budget).
        codeSplitting: { groups: [{ name: 'engine', test: /src\/engine\/(?!policy\/)|node_modules\/zod\// }] },
        entryFileNames: (chunk) => `assets/${entryName(chunk)}-[hash].js`,
        chunkFileNames: (chunk) => `assets/${entryName(chunk)}-[hash].js`,
      },
    },
  },
  // The options page's workers (src/ui/options/export-worker.ts, lint-worker.ts), each an ES module
  // in one file of its own: started with `new Worker(url, { type: 'module' })` from the extension's origin.
  worker: { format: 'es' },
  // A build is self-contained; nothing may be fetched at run time.
  server: { strictPort: true },
});
