import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXPORT_MIXES, generateExportRules } from '../../scripts/bench/export-data';
import { BUILT_CLI } from '../helpers/paths';

const exec = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-export-scale-'));

/**
 * The shipped `cert-rules export` on 5,000 rules of each benchmark mix: every
 * rule gets its report line, the file is written in each format. No time is
 * checked (docs/performance.md has the figures and `npm run bench` measures).
 */
describe('cert-rules export at 5,000 rules (built)', () => {
  for (const mix of EXPORT_MIXES) {
    it(`${mix}: every rule is reported, and the file is written in the Chrome, Edge and Firefox formats`, async () => {
      const rules = path.join(dir, `${mix}.json`);
      writeFileSync(rules, JSON.stringify(generateExportRules(mix, 5_000)));
      for (const format of mix === 'hosts' ? ['chrome-json', 'edge-reg', 'chrome-mobileconfig', 'firefox-json'] : ['edge-json']) {
        const output = path.join(dir, `${mix}.${format}`);
        const report = path.join(dir, `${mix}.${format}.report.json`);
        const { stderr } = await exec(
          process.execPath,
          [BUILT_CLI, 'export', '--format', format, '--issuer-cn', 'Acme CA', '--rules', rules, '--output', output, '--report', report],
          {
            maxBuffer: 64 << 20,
          },
        );
        expect(stderr, format).toMatch(/^cert-rules export: 5000 rules → /);
        const lines = (JSON.parse(readFileSync(report, 'utf8')) as { rules: { index: number; outcome: string }[] }).rules;
        expect(lines.map((line) => line.index)).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
        expect(readFileSync(output).length, format).toBeGreaterThan(format === 'firefox-json' ? 50 : 100_000);
      }
    }, 180_000);
  }
});
