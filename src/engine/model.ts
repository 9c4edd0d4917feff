import { lazySchema, z } from '../lib/zod';

/** The two actions a rule may carry (docs/rules.md §1). Case-sensitive. */
export const ActionSchema = lazySchema(() => z.enum(['useEnrollmentCertificate', 'noCertificate']));
export type Action = z.infer<typeof ActionSchema>;

export const DecisionSchema = lazySchema(() => z.enum(['useEnrollmentCertificate', 'noCertificate', 'notApplicable']));
export type Decision = z.infer<typeof DecisionSchema>;

export const ReasonSchema = lazySchema(() => z.enum(['allow-rule', 'deny-rule', 'no-match', 'not-tls', 'invalid-url', 'no-rules']));
export type Reason = z.infer<typeof ReasonSchema>;

/**
 * Where a rule came from (docs/rules.md §7), in precedence order. `file` is a
 * rules file handed to the command-line tool outside any of the three sources.
 */
export const SourceNameSchema = lazySchema(() => z.enum(['managed', 'profile', 'local', 'file']));
export type SourceName = z.infer<typeof SourceNameSchema>;

/**
 * A rule as delivered: deliberately loose, since validating it is the engine's
 * job and must yield precise messages rather than a generic schema failure.
 * Unknown extra keys are kept but ignored.
 */
export const RawRuleSchema = lazySchema(() =>
  z.looseObject({
    host: z.optional(z.unknown()),
    port: z.optional(z.unknown()),
    action: z.optional(z.unknown()),
  }),
);
export type RawRule = z.infer<typeof RawRuleSchema>;

/** A rule after normalising (docs/rules.md §2), ready to match. */
export const NormalizedRuleSchema = lazySchema(() =>
  z.object({
    source: SourceNameSchema,
    /** 0-based position in the source's array as delivered, counting dropped rules. */
    index: z.number().check(z.int(), z.nonnegative()),
    host: z.string(),
    port: z.string(),
    action: ActionSchema,
  }),
);
export type NormalizedRule = z.infer<typeof NormalizedRuleSchema>;

export const FINDING_CODES = [
  'invalid-host',
  'invalid-port',
  'invalid-action',
  'wildcard-suffix',
  'allow-everywhere',
  'unreachable',
  'plaintext-port',
] as const;
export const FindingCodeSchema = lazySchema(() => z.enum(FINDING_CODES));
export type FindingCode = z.infer<typeof FindingCodeSchema>;

/** One problem with one rule: an error (rule unusable) or a lint warning. */
export const FindingSchema = lazySchema(() =>
  z.object({
    index: z.number().check(z.int(), z.nonnegative()),
    severity: z.enum(['error', 'warning']),
    code: FindingCodeSchema,
    message: z.string(),
  }),
);
export type Finding = z.infer<typeof FindingSchema>;

/** What a decision reports about the rule that produced it. */
export type ReportedRule = Pick<NormalizedRule, 'source' | 'index' | 'host' | 'port' | 'action'>;

export interface Verdict {
  decision: Decision;
  reason: Reason;
  rule: ReportedRule | null;
}
