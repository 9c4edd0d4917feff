#!/usr/bin/env node
// `npm run build`: the Chrome extension (dist/chrome), the Firefox extension
// (dist/firefox) and the CLI (dist/cli/cert-rules.mjs), then a table of the
// gzip size of each extension entry (the entry file alone, and with every
// chunk it statically imports, which is what the browser loads).
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function buildExtension(target) {
  // vite.config.ts reads TARGET when it is loaded, once per build() call.
  process.env.TARGET = target;
  await build({ configFile: resolve(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  process.stdout.write(`built dist/${target}\n`);
}

async function buildCli() {
  await build({ configFile: resolve(ROOT, 'vite.cli.config.ts'), logLevel: 'warn' });
  process.stdout.write('built dist/cli/cert-rules.mjs\n');
}

/** The JS files that start each entry, found the way the browser finds them. */
function entryFiles(distDir) {
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
    const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((match) =>
      // Page scripts are root-relative ("/assets/…") or relative to the page.
      match[1].startsWith('/') ? match[1].slice(1) : posix.join(posix.dirname(page), match[1]),
    );
    entries[name] = scripts;
  }
  return entries;
}

/** The file plus every file it statically imports, transitively. */
function withStaticImports(distDir, file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(distDir, file), 'utf8');
  for (const match of code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[^'"();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
    withStaticImports(distDir, posix.join(posix.dirname(file), match[1]), seen);
  }
  return seen;
}

const gzipSize = (distDir, file) => gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;

function sizeTable(target) {
  const distDir = resolve(ROOT, 'dist', target);
  const rows = [];
  for (const [name, files] of Object.entries(entryFiles(distDir))) {
    const own = files.reduce((sum, file) => sum + gzipSize(distDir, file), 0);
    const all = new Set();
    for (const file of files) withStaticImports(distDir, file, all);
    const total = [...all].reduce((sum, file) => sum + gzipSize(distDir, file), 0);
    rows.push({ target, entry: name, own, total, files: all.size });
  }
  return rows;
}

function printTable(rows) {
  const header = ['target', 'entry', 'gzip (entry)', 'gzip (with imports)', 'files'];
  const lines = rows.map((row) => [row.target, row.entry, kb(row.own), kb(row.total), String(row.files)]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ');
  process.stdout.write(`\n${format(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  for (const line of lines) process.stdout.write(`${format(line)}\n`);
}

async function main() {
  await buildExtension('chrome');
  await buildExtension('firefox');
  await buildCli();
  for (const file of ['dist/chrome/manifest.json', 'dist/firefox/manifest.json', 'dist/cli/cert-rules.mjs']) {
    if (!existsSync(resolve(ROOT, file))) throw new Error(`build did not produce ${file}`);
  }
  printTable([...sizeTable('chrome'), ...sizeTable('firefox')]);
  const cli = readFileSync(resolve(ROOT, 'dist/cli/cert-rules.mjs'));
  process.stdout.write(`\ncli  dist/cli/cert-rules.mjs  ${kb(cli.length)} (gzip ${kb(gzipSync(cli, { level: 9 }).length)})\n`);
}

main().catch((error) => {
  process.stderr.write(`build failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
