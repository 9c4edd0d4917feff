import { FindingSchema, NormalizedRuleSchema } from '../../engine/model';
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
