/**
 * The policy export at 500 and 5,000 rules, for `npm run bench`
 * (docs/performance.md). Each size and mix runs in a child process of its own
 * (`--child`), so that its time includes a cold start like the CLI's and its
 * peak memory is its own: the child reports process.resourceUsage().maxRSS,
 * the high-water mark of the whole process (Node itself included), and the
 * milliseconds from rules in hand to the rendered chrome-json file and report
 * (what `cert-rules export` does after reading the file).
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { buildRuleSet, compileSource } from '../../src/engine/index';
import { compilePolicy, renderPolicy } from '../../src/engine/policy/index';
import { EXPORT_MIXES, generateExportRules, type ExportMix } from './export-data';

export interface ExportResult {
  rules: number;
  mix: ExportMix;
  exportMs: number;
  peakMB: number;
  /** exportMs over the smallest size's of the same mix, in the same run. */
  ratio: number;
}

interface ChildReport {
  exportMs: number;
  maxRssKB: number;
  reportLines: number;
}

/** Runs in the child: one export, one JSON line on stdout. */
export function runExportChild(mix: ExportMix, count: number): ChildReport {
  const raw = generateExportRules(mix, count);
  const start = performance.now();
  const source = compileSource('file', raw);
  const policy = compilePolicy(buildRuleSet([source]), { filter: { issuer: { CN: 'Bench Enrollment CA' } } });
  const rendered = renderPolicy('chrome-json', policy);
  const exportMs = performance.now() - start;
  if (policy.report.length !== source.rules.length || rendered.text.length === 0) throw new Error('the export lost rules');
  return { exportMs, maxRssKB: process.resourceUsage().maxRSS, reportLines: policy.report.length };
}

/** Every size in every mix, one child process each, smallest size first. */
export function measureExport(sizes: readonly number[], script: string, log: (line: string) => void): ExportResult[] {
  const results: ExportResult[] = [];
  for (const mix of EXPORT_MIXES) {
    const base: { ms: number | null } = { ms: null };
    for (const rules of [...sizes].sort((a, b) => a - b)) {
      log(`export: ${rules} rules (${mix}) …`);
      const stdout = execFileSync(process.execPath, ['--import', 'tsx', script, '--child', mix, String(rules)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const child = JSON.parse(stdout) as ChildReport;
      if (child.reportLines !== rules) throw new Error(`export child reported ${child.reportLines} of ${rules} rules`);
      base.ms ??= child.exportMs;
      results.push({ rules, mix, exportMs: round1(child.exportMs), peakMB: round1(child.maxRssKB / 1024), ratio: round1(child.exportMs / base.ms) });
    }
  }
  return results;
}

export function formatExportTable(results: readonly ExportResult[]): string {
  const rows = results.map(
    (r) => `| ${r.mix} | ${r.rules.toLocaleString('en-US')} | ${r.exportMs.toFixed(0)} ms | ${r.peakMB.toFixed(0)} MB | ${r.ratio.toFixed(1)}× |`,
  );
  return ['| mix | rules | export | peak memory (process) | vs smallest |', '|---|---|---|---|---|', ...rows].join('\n');
}

const round1 = (value: number) => Math.round(value * 10) / 10;
