import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expectCheckLines, expectedCheckExit, loadConformanceCases } from '../helpers/conformance';
import { BUILT_CLI } from '../helpers/paths';

const run = promisify(execFile);
const cases = loadConformanceCases();
const workDir = mkdtempSync(path.join(tmpdir(), 'cert-rules-conformance-built-'));

/** The conformance table through the shipped dist/cli/cert-rules.mjs, a process of its own, URLs on stdin. */
describe('conformance table through the built CLI', () => {
  for (const [number, testCase] of cases.entries()) {
    const file = path.join(workDir, `case-${number}.json`);
    writeFileSync(file, JSON.stringify(testCase.rules));

    it(`built dist/cli/cert-rules.mjs with --stdin: ${testCase.name}`, async () => {
      const child = run(process.execPath, [BUILT_CLI, 'check', '--rules', file, '--stdin']);
      child.child.stdin?.end(`${testCase.checks.map((check) => check.url).join('\n')}\n`);
      const result = await child.then(
        (ok) => ({ code: 0, stdout: ok.stdout }),
        (failed: { code: number; stdout: string }) => ({ code: failed.code, stdout: failed.stdout }),
      );
      expect(result.code).toBe(expectedCheckExit(testCase.checks));
      expectCheckLines(result.stdout, testCase.checks);
    });
  }
});
