// The gzip size of each extension entry — the entry file and every chunk it
// statically imports, which is what the browser loads — and its budget
// (background ≤ 40 KB, popup ≤ 35 KB, options page ≤ 60 KB, minified
// and gzipped). Used by scripts/build.mjs (prints them) and
// test/scripts/bundle-budget-built.test.ts (fails past a budget).
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

const KB = 1024;

/** Budgets in bytes (gzip level 9, with static imports). The guard page has none in the issue: it shares the pages' chunks. */
export const BUDGETS = { background: 40 * KB, popup: 35 * KB, options: 60 * KB };

/** The JS files that start each entry, found the way the browser finds them. */
export function entryFiles(distDir) {
  const manifest = JSON.parse(readFileSync(join(distDir, 'manifest.json'), 'utf8'));
  const background = manifest.background?.service_worker ?? manifest.background?.scripts?.[0];
  const pages = {
    popup: manifest.action?.default_popup,
    options: manifest.options_ui?.page,
    guard: 'src/ui/guard/index.html',
  };
  const entries = { background: [background] };
  for (const [name, page] of Object.entries(pages)) {
    const html = readFileSync(join(distDir, page), 'utf8');
    entries[name] = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((match) =>
      // Page scripts are root-relative ("/assets/…") or relative to the page.
      match[1].startsWith('/') ? match[1].slice(1) : posix.join(posix.dirname(page), match[1]),
    );
  }
  return entries;
}

/** The file plus every file it statically imports, transitively (minified output has no line breaks or spaces to rely on). */
export function withStaticImports(distDir, file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(distDir, file), 'utf8');
  for (const match of code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[^'"();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
    withStaticImports(distDir, posix.join(posix.dirname(file), match[1]), seen);
  }
  return seen;
}

export const gzipSize = (distDir, file) => gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length;

/** One row per entry: own size, size with static imports, the budget (null: none) and the files counted. */
export function sizeTable(distDir, target) {
  const rows = [];
  for (const [entry, files] of Object.entries(entryFiles(distDir))) {
    const own = files.reduce((sum, file) => sum + gzipSize(distDir, file), 0);
    const all = new Set();
    for (const file of files) withStaticImports(distDir, file, all);
    const total = [...all].reduce((sum, file) => sum + gzipSize(distDir, file), 0);
    rows.push({ target, entry, own, total, budget: BUDGETS[entry] ?? null, files: [...all].sort() });
  }
  return rows;
}

export const kb = (bytes) => `${(bytes / KB).toFixed(2)} kB`;

/** The rows past their budget. */
export const overBudget = (rows) => rows.filter((row) => row.budget !== null && row.total > row.budget);
