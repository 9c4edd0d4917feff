import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCheckLines, expectedCheckExit, loadConformanceCases } from '../helpers/conformance';
import { runCli } from '../helpers/run-cli';

const cases = loadConformanceCases();
const workDir = mkdtempSync(path.join(tmpdir(), 'cert-rules-conformance-'));

/** The conformance table through `cert-rules check` in-process; the built file runs it in conformance-built.test.ts. */
describe('conformance table through the CLI', () => {
  for (const [number, testCase] of cases.entries()) {
    const file = path.join(workDir, `case-${number}.json`);
    writeFileSync(file, JSON.stringify(testCase.rules));

    it(`in-process: ${testCase.name}`, async () => {
      const result = await runCli(['check', '--rules', file, ...testCase.checks.map((check) => check.url)]);
      expect(result.code).toBe(expectedCheckExit(testCase.checks));
      expectCheckLines(result.stdout, testCase.checks);
    });
  }
});
