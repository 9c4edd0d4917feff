import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConformanceCases } from '../helpers/conformance';
import { ensureBuiltCli } from '../helpers/built-cli';
import { BUILT_CLI } from '../helpers/paths';
import { jsonLines, runCli } from '../helpers/run-cli';

const run = promisify(execFile);
const cases = loadConformanceCases();
const workDir = mkdtempSync(path.join(tmpdir(), 'cert-rules-conformance-'));

/** Rejected rule files (a case whose every TLS check says no-rules) exit 1; all others exit 0. */
function expectedExit(checks: { reason: string }[]): number {
  return checks.some((check) => check.reason === 'no-rules') ? 1 : 0;
}

function expectExactLines(stdout: string, checks: ReturnType<typeof loadConformanceCases>[number]['checks']) {
  const lines = jsonLines(stdout) as Record<string, unknown>[];
  expect(lines).toHaveLength(checks.length);
  lines.forEach((line, position) => {
    const check = checks[position]!;
    expect(Object.keys(line)).toEqual(['url', 'decision', 'reason', 'rule']);
    expect(line['url']).toBe(check.url);
    expect(line['decision']).toBe(check.decision);
    expect(line['reason']).toBe(check.reason);
    const rule = line['rule'] as { index: number; source: string } | null;
    expect(rule === null ? null : rule.index).toBe(check.rule);
    if (rule) expect(rule.source).toBe('file');
  });
}

describe('conformance table through the CLI', () => {
  beforeAll(() => ensureBuiltCli(), 120_000);

  for (const [number, testCase] of cases.entries()) {
    const file = path.join(workDir, `case-${number}.json`);
    writeFileSync(file, JSON.stringify(testCase.rules));
    const urls = testCase.checks.map((check) => check.url);

    it(`in-process: ${testCase.name}`, async () => {
      const result = await runCli(['check', '--rules', file, ...urls]);
      expect(result.code).toBe(expectedExit(testCase.checks));
      expectExactLines(result.stdout, testCase.checks);
    });

    it(`built dist/cli/cert-rules.mjs with --stdin: ${testCase.name}`, async () => {
      expect(existsSync(BUILT_CLI), 'dist/cli/cert-rules.mjs is missing: run "npm run build" first').toBe(true);
      const child = run(process.execPath, [BUILT_CLI, 'check', '--rules', file, '--stdin']);
      child.child.stdin?.end(`${urls.join('\n')}\n`);
      const result = await child.then(
        (ok) => ({ code: 0, stdout: ok.stdout }),
        (failed: { code: number; stdout: string }) => ({ code: failed.code, stdout: failed.stdout }),
      );
      expect(result.code).toBe(expectedExit(testCase.checks));
      expectExactLines(result.stdout, testCase.checks);
    });
  }
});
