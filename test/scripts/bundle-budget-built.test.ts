import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kb, overBudget, sizeTable } from '../../scripts/bundle-sizes.mjs';
import { DIST_DIR, REPO_ROOT } from '../helpers/paths';

/**
 * The bundle budgets of docs/performance.md (minified, gzip, each entry with its static
 * imports): background ≤ 40 KB, popup ≤ 35 KB, options page ≤ 60 KB, for
 * both builds. How the sizes are measured is tested in bundle-sizes.test.ts.
 */
for (const target of ['chrome', 'firefox']) {
  describe(`dist/${target} bundle budgets`, () => {
    const distDir = path.join(DIST_DIR, target);

    it('keeps every entry, with its static imports, within its budget', () => {
      const rows = sizeTable(distDir, target);
      expect(rows.map((row) => row.entry).sort()).toEqual(['background', 'guard', 'options', 'popup']);
      for (const row of rows) expect(row.files.length).toBeGreaterThan(0);
      const over = overBudget(rows).map((row) => `${row.entry}: ${kb(row.total)} > ${kb(row.budget ?? 0)} (${row.files.join(', ')})`);
      expect(over, 'entries over budget (gzip, with static imports)').toEqual([]);
    });

    it('has the background as one strict-mode classic script, not a module (it starts sooner)', () => {
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

    it("runs the options page's early request, as written, before the page's module script", () => {
      const page = (JSON.parse(readFileSync(path.join(distDir, 'manifest.json'), 'utf8')) as { options_ui: { page: string } }).options_ui.page;
      const html = readFileSync(path.join(distDir, page), 'utf8');
      const early = html.indexOf('<script defer src="/early-request.js"></script>');
      const module = html.indexOf('<script type="module"');
      expect(early).toBeGreaterThan(0);
      expect(module).toBeGreaterThan(early);
      expect(readFileSync(path.join(distDir, 'early-request.js'), 'utf8')).toBe(readFileSync(path.join(REPO_ROOT, 'public/early-request.js'), 'utf8'));
    });
  });
}
