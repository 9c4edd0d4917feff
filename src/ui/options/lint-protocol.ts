import { FINDING_CODES, FindingSchema, NormalizedRuleSchema } from '../../engine/model';
import { lazySchema, z } from '../../lib/zod';

/**
 * The messages between the rule editor and its lint worker (lint-worker.ts):
 * a numbered request with the valid rules, then their findings or an error
 * under the same number. Both sides check what they receive.
 */
export const LintRequestSchema = lazySchema(() => z.object({ id: z.number().check(z.int()), rules: z.array(NormalizedRuleSchema) }));
export type LintRequest = z.infer<typeof LintRequestSchema>;

export const LintReplySchema = lazySchema(() =>
  z.union([z.object({ id: z.number().check(z.int()), findings: z.array(FindingSchema) }), z.object({ id: z.number().check(z.int()), error: z.string() })]),
);
export type LintReply = z.infer<typeof LintReplySchema>;

const SEVERITIES: readonly unknown[] = ['error', 'warning'];
const CODES: readonly unknown[] = FINDING_CODES;

/**
 * Whether a message from the worker is a LintReply: what LintReplySchema
 * accepts, written out. A reply holds thousands of findings, and the schema's
 * parse of them takes the page's thread for tens of milliseconds, the very
 * wait the worker is there to spare it. The tests hold the two to the same
 * answers.
 */
export function isLintReply(data: unknown): data is LintReply {
  if (typeof data !== 'object' || data === null) return false;
  const reply = data as Record<string, unknown>;
  if (!Number.isSafeInteger(reply['id'])) return false;
  if (typeof reply['error'] === 'string') return true;
  return Array.isArray(reply['findings']) && reply['findings'].every(isFinding);
}

function isFinding(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const finding = value as Record<string, unknown>;
  const index = finding['index'];
  return (
    Number.isSafeInteger(index) &&
    (index as number) >= 0 &&
    SEVERITIES.includes(finding['severity']) &&
    CODES.includes(finding['code']) &&
    typeof finding['message'] === 'string'
  );
}
