import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * A smoke run of `npm run bench -- --json` at tiny sizes: the output's shape
 * only. A benchmark is not a test, so no absolute time is ever checked here.
 */
const root = resolve(import.meta.dirname, '../../..');

describe('the rules benchmark (smoke run)', () => {
  it('prints exactly one JSON object with a result per size, and the export per size and mix', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        'scripts/bench/rules-bench.ts',
        '--json',
        '--sizes',
        '200,500',
        '--urls',
        '1000',
        '--rounds',
        '1',
        '--export-sizes',
        '100,300',
      ],
      { cwd: root, timeout: 120_000 },
    );
    const report = JSON.parse(stdout) as { node: unknown; results: Record<string, unknown>[]; export: Record<string, unknown>[] };
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(report.node).toBe(process.version);
    expect(report.results.map((result) => result['rules'])).toEqual([200, 500]);
    for (const result of report.results) {
      for (const key of ['engineMedianNs', 'engineP99Ns', 'naiveMedianNs', 'ratio', 'compileMs', 'bytesPerRule']) {
        expect(typeof result[key], key).toBe('number');
        expect(Number.isFinite(result[key]), key).toBe(true);
      }
      expect(result['naiveMedianNs']).toBeGreaterThan(0);
      expect(result['engineP99Ns'] as number).toBeGreaterThanOrEqual(result['engineMedianNs'] as number);
    }
    // The export: each size in each mix, its time and the peak memory of the child process that ran it.
    expect(report.export.map((entry) => [entry['mix'], entry['rules']])).toEqual([
      ['hosts', 100],
      ['hosts', 300],
      ['overlap', 100],
      ['overlap', 300],
      ['engine', 100],
      ['engine', 300],
      ['ports', 100],
      ['ports', 300],
      ['wildcards', 100],
      ['wildcards', 300],
    ]);
    for (const entry of report.export) {
      expect(entry['exportMs'] as number).toBeGreaterThan(0);
      // A Node process alone takes tens of megabytes: a figure below that was not measured.
      expect(entry['peakMB'] as number).toBeGreaterThan(20);
      expect(Number.isFinite(entry['ratio'])).toBe(true);
    }
  }, 120_000);
});
