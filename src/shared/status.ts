import { lazySchema, z } from '../lib/zod';
import { GUARD_MODES, LocalRulesModeSchema } from '../config/settings-schema';
import { FindingSchema, NormalizedRuleSchema, SourceNameSchema } from '../engine/model';
import { UnavailableSourceSchema } from '../engine/unavailable';

export const SyncErrorSchema = lazySchema(() =>
  z.object({
    /** auth | network | timeout | http | server | bad-data | too-large | redirect | rejected | config | … */
    code: z.string(),
    message: z.string(),
  }),
);

export const SyncAttemptSchema = lazySchema(() =>
  z.object({
    at: z.number(),
    ok: z.boolean(),
    changed: z.boolean(),
    error: z.nullable(SyncErrorSchema),
  }),
);
export type SyncAttempt = z.infer<typeof SyncAttemptSchema>;

/** The sync status as pages see it: one line in the popup, the whole history in the options page. */
export const SyncStatusSchema = lazySchema(() =>
  z.object({
    configured: z.boolean(),
    /** Whether the user may trigger a sync (a console is configured). */
    canSyncNow: z.boolean(),
    inProgress: z.boolean(),
    profileId: z.nullable(z.string()),
    profileName: z.nullable(z.string()),
    stamp: z.nullable(z.string()),
    lastSuccessAt: z.nullable(z.number()),
    lastAttemptAt: z.nullable(z.number()),
    nextSyncAt: z.nullable(z.number()),
    lastError: z.nullable(SyncErrorSchema),
    /** Rules older than maxRuleAgeHours are no longer used (fail closed). */
    stale: z.boolean(),
    staleReason: z.nullable(z.string()),
    history: z.array(SyncAttemptSchema).check(z.maxLength(20)),
  }),
);
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export { PolicyIssueSchema as PolicyErrorSchema, SettingOriginSchema } from '../config/settings-schema';
export type { PolicyIssue as PolicyError, SettingOrigin } from '../config/settings-schema';

/**
 * Effective settings as pages may see them: src/config's redacted settings,
 * each secret replaced by whether it is set (`{set: boolean}`).
 */
export { RedactedEffectiveSettingsSchema as SettingsViewSchema } from '../config/redact-settings';
export type { RedactedEffectiveSettings as SettingsView } from '../config/redact-settings';

/** One rule source for the options page: what was delivered, what is in force, and why. */
export const SourceViewSchema = lazySchema(() =>
  z.object({
    name: SourceNameSchema,
    label: z.nullable(z.string()),
    /** Local rules only, and only when policy allows; never managed or profile rules. */
    editable: z.boolean(),
    /** Why it cannot be edited, in one line; null when editable. */
    lockReason: z.nullable(z.string()),
    /** The rules as delivered (the version in force: the last good one when the newest was rejected). */
    rules: z.array(z.unknown()),
    /** Whether this source's rules are in force (they decide only while the rule set is usable: RuleSources.rulesAvailable). */
    inForce: z.boolean(),
    errors: z.array(FindingSchema),
    warnings: z.array(FindingSchema),
    /** A newer version that was rejected, with its errors, when the last good one stayed in force. */
    rejected: z.nullable(z.object({ at: z.number(), errors: z.array(FindingSchema), message: z.string() })),
    updatedAt: z.nullable(z.number()),
  }),
);
export type SourceView = z.infer<typeof SourceViewSchema>;

export { LocalRulesModeSchema } from '../config/settings-schema';
export type { LocalRulesMode } from '../config/settings-schema';

export const RuleSourcesSchema = lazySchema(() =>
  z.object({
    /** Changes with anything the sources are built from: lint answered for another revision is not about these rules. */
    revision: z.string(),
    sources: z.array(SourceViewSchema),
    localRules: LocalRulesModeSchema,
    /** False when no source is usable, or a configured one is not known: every decision is no-rules ("rules unavailable"). */
    rulesAvailable: z.boolean(),
    /** Which configured sources are not known, and why (empty when the rules are available or nothing is configured). */
    unavailable: z.array(UnavailableSourceSchema),
  }),
);
export type RuleSources = z.infer<typeof RuleSourcesSchema>;

/**
 * The lint of each source's valid rules (the warnings that compare rules
 * with each other), apart from the sources: at 5,000 rules it is longer than
 * the rules themselves, so the options page shows the rules first and asks
 * for their lint after.
 */
export const RuleLintSchema = lazySchema(() =>
  z.object({
    /** The RuleSources.revision these findings are about. */
    revision: z.string(),
    sources: z.array(z.object({ name: SourceNameSchema, lint: z.array(FindingSchema) })),
  }),
);
export type RuleLint = z.infer<typeof RuleLintSchema>;

export const GuardModeViewSchema = lazySchema(() => z.enum(GUARD_MODES));

/** A deny rule the guard could not turn into a browser rule (where it stands in its source, and its patterns), and why. */
export const GuardGapSchema = lazySchema(() =>
  z.extend(z.pick(NormalizedRuleSchema, { source: true, index: true, host: true, port: true }), {
    /** regex-limit | regex-unsupported | unavailable */
    reason: z.string(),
    message: z.string(),
  }),
);
export type GuardGap = z.infer<typeof GuardGapSchema>;

/** What the guard currently enforces (options page "Policy" and the status). */
export const GuardStatusSchema = lazySchema(() =>
  z.object({
    mode: GuardModeViewSchema,
    /** Whether the browser has the guard's rules in place for the current rule set and mode. */
    applied: z.boolean(),
    /** Browser rules in place, and how many deny rules they cover. */
    browserRules: z.number().check(z.int(), z.nonnegative()),
    denyRulesCovered: z.number().check(z.int(), z.nonnegative()),
    denyRulesTotal: z.number().check(z.int(), z.nonnegative()),
    /** Deny rules that did not fit the browser's limits: a navigation to them is not stopped. */
    notFitted: z.array(GuardGapSchema),
    /** Hosts the user chose to continue to under `warn`, for this browser session. */
    bypassed: z.array(z.string()),
    /** Why the rules could not be applied, when they could not. */
    error: z.nullable(z.string()),
  }),
);
export type GuardStatus = z.infer<typeof GuardStatusSchema>;
