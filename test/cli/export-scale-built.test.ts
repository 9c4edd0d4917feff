import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXPORT_MIXES, generateExportRules } from '../../scripts/bench/export-data';
import { BUILT_CLI } from '../helpers/paths';

const exec = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-export-scale-'));

/**
 * The shipped `cert-rules export` on 5,000 rules of each benchmark mix (and
 * 2,000 of the engine benchmark's, where globs open at the right abound):
 * every rule gets its report line, the file is written in each format. No
 * time is checked, only printed (docs/performance.md has the figures and
 * `npm run bench` measures).
 */
describe('cert-rules export at 5,000 rules (built)', () => {
  const cases = [...EXPORT_MIXES.map((mix) => ({ mix, count: 5_000 })), { mix: 'engine' as const, count: 2_000 }];
  for (const { mix, count } of cases) {
    it(`${mix}, ${count} rules: every rule is reported, and the file is written in the Chrome, Edge and Firefox formats`, async () => {
      const rules = path.join(dir, `${mix}-${count}.json`);
      writeFileSync(rules, JSON.stringify(generateExportRules(mix, count)));
      for (const format of mix === 'hosts' ? ['chrome-json', 'edge-reg', 'chrome-mobileconfig', 'firefox-json'] : ['edge-json']) {
        const output = path.join(dir, `${mix}-${count}.${format}`);
        const report = path.join(dir, `${mix}-${count}.${format}.report.json`);
        const started = performance.now();
        const { stderr } = await exec(
          process.execPath,
          [BUILT_CLI, 'export', '--format', format, '--issuer-cn', 'Acme CA', '--rules', rules, '--output', output, '--report', report],
          {
            maxBuffer: 64 << 20,
          },
        );
        console.log(`cert-rules export, ${mix} mix, ${count} rules, ${format}: ${Math.round(performance.now() - started)} ms (whole process)`);
        expect(stderr, format).toMatch(new RegExp(`^cert-rules export: ${count} rules → `));
        const lines = (JSON.parse(readFileSync(report, 'utf8')) as { rules: { index: number; outcome: string }[] }).rules;
        expect(lines.map((line) => line.index)).toEqual(Array.from({ length: count }, (_, i) => i));
        expect(readFileSync(output).length, format).toBeGreaterThan(format === 'firefox-json' ? 50 : 100_000);
      }
    }, 180_000);
  }
});
