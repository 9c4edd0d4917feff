import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUDGETS, kb, overBudget, sizeTable, withStaticImports } from '../../scripts/bundle-sizes.mjs';
import { REPO_ROOT } from '../helpers/paths';

/**
 * The bundle budgets of docs/performance.md (minified, gzip, each entry with its static
 * imports): background ≤ 40 KB, popup ≤ 35 KB, options page ≤ 60 KB, for
 * both builds. Needs `npm run build` first (CI builds before testing).
 */
for (const target of ['chrome', 'firefox']) {
  describe(`dist/${target} bundle budgets`, () => {
    const distDir = path.join(REPO_ROOT, 'dist', target);

    it('has a build to measure', () => {
      if (!existsSync(path.join(distDir, 'manifest.json'))) throw new Error(`dist/${target} is missing: run "npm run build" before the unit tests`);
    });

    it('keeps every entry, with its static imports, within its budget', () => {
      if (!existsSync(path.join(distDir, 'manifest.json'))) return; // reported by the test above
      const rows = sizeTable(distDir, target);
      expect(rows.map((row) => row.entry).sort()).toEqual(['background', 'guard', 'options', 'popup']);
      for (const row of rows) expect(row.files.length).toBeGreaterThan(0);
      const over = overBudget(rows).map((row) => `${row.entry}: ${kb(row.total)} > ${kb(row.budget ?? 0)} (${row.files.join(', ')})`);
      expect(over, 'entries over budget (gzip, with static imports)').toEqual([]);
    });

    it('has the background as one strict-mode classic script, not a module (it starts sooner)', () => {
      if (!existsSync(path.join(distDir, 'manifest.json'))) return; // reported by the first test
      const background = (JSON.parse(readFileSync(path.join(distDir, 'manifest.json'), 'utf8')) as { background: Record<string, unknown> }).background;
      expect(background).not.toHaveProperty('type');
      const entry = (background['service_worker'] ?? (background['scripts'] as string[])[0]) as string;
      expect(entry).toBe('service-worker-loader.js');
      const code = readFileSync(path.join(distDir, entry), 'utf8');
      // One function expression called at once, strict inside: `(function(){"use strict";…})()` or terser's `!function(){"use strict";…}()`.
      expect(code).toMatch(/^[!(]function\(\)\{"use strict";/);
      expect(code.trimEnd()).toMatch(/\}\(\);?$|\}\)\(\);?$/);
      expect(code).not.toMatch(/^\s*(import|export)\b/m);
    });
  });
}

describe('bundle size measurement', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ccr-bundle-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  // Random base64 gzips to about 3/4 of its length: enough to cross a budget.
  const noise = (bytes: number) => randomBytes(bytes).toString('base64');

  write('manifest.json', JSON.stringify({ background: { service_worker: 'loader.js' }, action: { default_popup: 'src/ui/popup/index.html' }, options_ui: { page: 'src/ui/options/index.html' } }));
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
