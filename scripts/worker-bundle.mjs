// The background as ONE file. Vite (with crxjs) splits the worker's code into
// chunks it shares with the pages; a module service worker then fetches and
// links three files one import level after another before any of its code
// runs — at every wake-up (docs/performance.md). This bundles
// src/background/index.ts again on its own, with the same defines, and puts
// the result where the manifest points (service-worker-loader.js); the pages
// keep their shared chunks.
//
// The one file is a classic script (an IIFE in strict mode), and the built
// manifest does not declare the background a module: with nothing to import,
// Chromium starts a classic service worker measurably sooner (about 8 ms of a
// 45 ms cold start here, A/B over 60 wake-ups), as it keeps compiled code for
// classic scripts between starts.
import { readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { minify } from 'terser';
import { buildTarget } from './build-target.mjs';

/** Rebuilds the worker of the extension in distDir (built for `target`) as one self-contained classic script. */
export async function bundleWorker(root, distDir, target, plugins = []) {
  const outDir = resolve(root, `.tmp/worker-${target}-${process.pid}`);
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    plugins,
    define: { __BROWSER__: JSON.stringify(target) },
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      sourcemap: false,
      target: buildTarget(root, target),
      // An app build with one input (not library mode, which leaves whitespace in ES output).
      rolldownOptions: { input: resolve(root, 'src/background/index.ts'), output: { format: 'iife', entryFileNames: 'worker.js', intro: '"use strict";' } },
    },
  });
  const manifest = JSON.parse(readFileSync(join(distDir, 'manifest.json'), 'utf8'));
  const entry = manifest.background?.service_worker ?? manifest.background?.scripts?.[0];
  if (!entry) throw new Error(`${distDir}/manifest.json names no background script`);
  // A second, slower minifier pass over the one file: terser's repeated compression takes
  // about 1% more off the worker than Vite's minifier alone, which the 40 KB budget needs.
  const { code } = await minify(readFileSync(join(outDir, 'worker.js'), 'utf8'), { ecma: 2022, compress: { passes: 3 }, mangle: true, module: false });
  if (code === undefined) throw new Error('terser gave no output for the worker bundle');
  // Module code is strict; so must the classic script be (the IIFE's directive).
  if (!/^[!(]function\(\)\{"use strict";/.test(code)) throw new Error('the worker bundle is not a strict-mode classic script');
  writeFileSync(join(distDir, entry), code);
  delete manifest.background.type;
  writeFileSync(join(distDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Nothing loads the worker's own chunk: the one file replaces it.
  for (const file of readdirSync(join(distDir, 'assets'))) if (/^background-.*\.js$/.test(file)) rmSync(join(distDir, 'assets', file));
  rmSync(outDir, { recursive: true, force: true });
}
