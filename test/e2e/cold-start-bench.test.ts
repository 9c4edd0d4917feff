import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

const run = promisify(execFile);

/**
 * Smoke check of `npm run bench:cold-start` (scripts/bench/cold-start.ts) with
 * a small rule set: it runs end to end in Chromium for both variants and
 * prints one JSON object of the documented shape. A benchmark is not a test:
 * no absolute time is checked here.
 */
describe('the cold-start benchmark (smoke, 500 rules, 3 runs)', () => {
  it('prints the JSON result, and both variants give the same decisions', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/bench/cold-start.ts'), '--rules', '500', '--runs', '3', '--json'],
      {
        cwd: REPO_ROOT,
        timeout: 540_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const lines = stdout.trim().split('\n');
    expect(lines, 'stdout holds exactly one JSON line').toHaveLength(1);
    const result = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(result).toMatchObject({ rules: 500, runs: 3, source: 'stored', sameDecisions: true });
    for (const key of ['engineMedianMs', 'naiveMedianMs', 'ratio', 'engineP90Ms', 'naiveP90Ms']) {
      expect(typeof result[key], key).toBe('number');
      expect(result[key] as number, key).toBeGreaterThan(0);
    }
    // The shipped build's wake-up went through its compiled-rules cache (the script checks every run).
    expect(Object.keys(result['engineWakeUpMs'] as object)).toEqual(expect.arrayContaining(['start', 'loaded', 'cached', 'compiled']));
    expect(Object.keys(result['naiveWakeUpMs'] as object)).not.toContain('cached');
  }, 600_000);
});
