import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { z } from '../../src/lib/zod';
import { FIXTURES_DIR } from './paths';

const CheckSchema = z.object({
  url: z.string(),
  decision: z.string(),
  reason: z.string(),
  rule: z.nullable(z.number().check(z.int())),
});
const CaseSchema = z.object({ name: z.string(), rules: z.array(z.unknown()), checks: z.array(CheckSchema) });
const TableSchema = z.object({ cases: z.array(CaseSchema).check(z.minLength(1)) });

export type ConformanceCase = z.infer<typeof CaseSchema>;

/** The conformance table of docs/rules.md (test/fixtures/rules-cases.json): every case the engine and the CLI must answer alike. */
export function loadConformanceCases(): ConformanceCase[] {
  const file = path.join(FIXTURES_DIR, 'rules-cases.json');
  return TableSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).cases;
}

/** `cert-rules check` exits 1 for a rejected rule file (every TLS check says no-rules), 0 otherwise. */
export function expectedCheckExit(checks: ConformanceCase['checks']): number {
  return checks.some((check) => check.reason === 'no-rules') ? 1 : 0;
}

/** `cert-rules check` printed one JSON line per check, exactly the case's answers, with the keys in order. */
export function expectCheckLines(stdout: string, checks: ConformanceCase['checks']): void {
  const lines = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
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
