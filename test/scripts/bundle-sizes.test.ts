import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUDGETS, overBudget, sizeTable, withStaticImports } from '../../scripts/bundle-sizes.mjs';

/** How scripts/bundle-sizes.mjs measures an entry, on a made-up build; the real build's budgets are in bundle-budget-built.test.ts. */
describe('bundle size measurement', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ccr-bundle-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  // Random base64 gzips to about 3/4 of its length: enough to cross a budget.
  const noise = (bytes: number) => randomBytes(bytes).toString('base64');

  write(
    'manifest.json',
    JSON.stringify({
      background: { service_worker: 'loader.js' },
      action: { default_popup: 'src/ui/popup/index.html' },
      options_ui: { page: 'src/ui/options/index.html' },
    }),
  );
  write('loader.js', 'import "./assets/bg.js";');
  // Minified imports and re-exports, chained, with a cycle.
  write('assets/bg.js', `import{a as b}from"./shared.js";export{c}from"./more.js";const x="${noise(48 * 1024)}";`);
  write('assets/shared.js', 'import"./more.js";export const a=1;');
  write('assets/more.js', 'import{a}from"./shared.js";export const c=a;');
  write('src/ui/popup/index.html', '<script type="module" crossorigin src="/assets/popup.js"></script>');
  write('assets/popup.js', 'import{a}from"./shared.js";');
  write('src/ui/options/index.html', '<script type="module" src="../../../assets/options.js"></script>');
  write('assets/options.js', 'export{}');
  write('src/ui/guard/index.html', '<script type="module" src="/assets/guard.js"></script>');
  write('assets/guard.js', '');

  it('follows static imports and re-exports in minified output, transitively and once', () => {
    expect([...withStaticImports(root, 'loader.js')].sort()).toEqual(['assets/bg.js', 'assets/more.js', 'assets/shared.js', 'loader.js']);
  });

  it('finds page scripts by root-relative and page-relative paths', () => {
    const rows = sizeTable(root, 'test');
    expect(Object.fromEntries(rows.map((row) => [row.entry, row.files]))).toEqual({
      background: ['assets/bg.js', 'assets/more.js', 'assets/shared.js', 'loader.js'],
      popup: ['assets/more.js', 'assets/popup.js', 'assets/shared.js'],
      options: ['assets/options.js'],
      guard: ['assets/guard.js'],
    });
  });

  it('reports an entry whose imports take it past its budget', () => {
    const rows = sizeTable(root, 'test');
    const background = rows.find((row) => row.entry === 'background');
    expect(background?.own).toBeLessThan(100);
    expect(background?.total).toBeGreaterThan(BUDGETS.background);
    expect(overBudget(rows).map((row) => row.entry)).toEqual(['background']);
  });
});
