import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from '../../src/engine/zod';
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
