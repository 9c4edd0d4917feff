import type { Finding, NormalizedRule } from '../../engine/model';
import { lintNormalized } from '../../engine/lint';
import { coverIndex } from '../../engine/lint-index';
import { LintRequestSchema, type LintReply } from './lint-protocol';

/** The warnings that compare the valid rules of a draft with each other (docs/rules.md §6), in the page or in its worker. */
export const lintDraft = (valid: readonly NormalizedRule[]): Finding[] => lintNormalized(valid, coverIndex);

/** One request as the lint worker answers it; kept apart from the worker's own file so tests can run it without a worker. */
export function runLintJob(data: unknown): LintReply {
  const request = LintRequestSchema.safeParse(data);
  const id = typeof (data as { id?: unknown } | null)?.id === 'number' ? (data as { id: number }).id : -1;
  if (!request.success) return { id, error: `the lint request is not readable: ${request.error.issues[0]?.message ?? 'unknown'}` };
  try {
    return { id: request.data.id, findings: lintDraft(request.data.rules) };
  } catch (error) {
    return { id: request.data.id, error: error instanceof Error ? error.message : String(error) };
  }
}
