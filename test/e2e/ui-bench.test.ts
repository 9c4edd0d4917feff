import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

const run = promisify(execFile);

/**
 * Smoke check of `npm run bench:ui` (scripts/bench/options-ui.ts) with a small
 * rule set: it runs end to end in Chromium and prints one JSON object of the
 * documented shape. A benchmark is not a test: no time is checked here.
 */
describe('the options page benchmark (smoke, 120 rules, 1 run)', () => {
  it('prints the JSON result with every figure', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/bench/options-ui.ts'), '--rules', '120', '--runs', '1', '--json'],
      {
        cwd: REPO_ROOT,
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const lines = stdout.trim().split('\n');
    expect(lines, 'stdout holds exactly one JSON line').toHaveLength(1);
    const result = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(result).toMatchObject({ rules: 120, runs: 1, exportError: null });
    for (const key of ['firstRenderMs', 'filterKeystrokeMs', 'filterKeystrokeMaxMs', 'exportWorkerMs', 'exportLongestFrameMs']) {
      expect(typeof result[key], key).toBe('number');
      expect(result[key] as number, key).toBeGreaterThan(0);
    }
    expect(result['mix']).toBe('engine');
    // Every table's figures under its own name: the median and the worst sample.
    const figures = result['figures'] as Record<string, Record<string, { median: number; max: number } | string | null>>;
    for (const [table, names] of [
      ['rulesList', ['firstRenderMs', 'keystrokeMs']],
      ['localEditor', ['firstRenderMs', 'keystrokeMs']],
      ['localEditorWithProfile', ['firstRenderMs', 'keystrokeMs']],
      ['profileEditor', ['openMs', 'keystrokeMs']],
      ['exportInWorker', ['workerMs', 'shownMs', 'longestFrameMs']],
    ] as const) {
      for (const name of names) {
        const figure = figures[table]?.[name] as { median: number; max: number };
        expect(figure.median, `${table}.${name}`).toBeGreaterThan(0);
        expect(figure.max, `${table}.${name}`).toBeGreaterThanOrEqual(figure.median);
      }
    }
    expect(figures['exportInWorker']?.['error']).toBeNull();
    const details = result['details'] as Record<string, Record<string, { samples: number[] }>>;
    expect(details['rulesSection']?.['filterKeystrokeMs']?.samples).toHaveLength('acme1 port:8443'.length);
    expect(details['profileEditor']?.['openMs']?.samples).toHaveLength(1);
    expect(details['rulesSectionWithLocalEditor']?.['firstRenderMs']?.samples).toHaveLength(1);
    expect(details['rulesSectionWithBoth']?.['firstRenderMs']?.samples).toHaveLength(1);
  }, 330_000);
});
