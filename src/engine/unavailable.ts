import type { CompiledSource } from './compile';
import { FindingSchema, SourceNameSchema, type Finding, type SourceName } from './model';
import { normalizeRule } from './rule';
import { lazySchema, z } from './zod';

/**
 * Why a configured source's rules are not known (docs/rules.md §5 step 2):
 * - `rejected`: its rules were rejected (an invalid noCertificate rule or an
 *   unknown action) and no earlier version of them was accepted;
 * - `not-synced`: a console is configured and no sync of its profile has succeeded;
 * - `expired`: the synced rules are older than the maximum rule age;
 * - `unreadable`: the storage or policy holding them could not be read.
 */
export const UNAVAILABLE_CODES = ['rejected', 'not-synced', 'expired', 'unreadable'] as const;
export type UnavailableCode = (typeof UNAVAILABLE_CODES)[number];

/**
 * One source that makes the whole rule set unusable: while any is listed,
 * every TLS decision is `noCertificate` with reason `no-rules`. It may hold
 * deny rules nobody can read, so the other sources' allow rules must not
 * decide alone.
 */
export const UnavailableSourceSchema = lazySchema(() =>
  z.object({
    source: SourceNameSchema,
    /** A name a person recognises (the console profile's name), when known. */
    label: z.nullable(z.string()),
    code: z.enum(UNAVAILABLE_CODES),
    /** One sentence naming the source and what is wrong, e.g. "the managed policy's rules were rejected …: rule 1: …". */
    message: z.string(),
    /** The rule problems that rejected it (code `rejected`, when the rules themselves were at hand). */
    errors: z.array(FindingSchema),
  }),
);
export type UnavailableSource = z.infer<typeof UnavailableSourceSchema>;

/** The source's rules, in words, for the start of a sentence. */
export function sourceRulesText(source: SourceName, label: string | null = null): string {
  switch (source) {
    case 'managed':
      return "the managed policy's rules";
    case 'profile':
      return label ? `the rules of the console profile "${label}"` : "the console profile's rules";
    case 'local':
      return 'the local rules';
    case 'file':
      return label ? `the rules in ${label}` : 'the rules file';
  }
}

/** A source rejected by the engine with no earlier version to keep in force. */
export function rejectedWithoutLastGood(source: CompiledSource): UnavailableSource {
  const label = source.label ?? null;
  return {
    source: source.name,
    label,
    code: 'rejected',
    message: `${sourceRulesText(source.name, label)} were rejected and no earlier version was accepted: ${firstProblems(source.errors)}`,
    errors: source.errors,
  };
}

/** The first problem, and how many more there are. */
export function firstProblems(errors: readonly Finding[]): string {
  const first = errors[0]?.message ?? 'invalid rules';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  return `${first}${more}`;
}

/** "rules unavailable: <why>; <why>", one line for logs and the command line. */
export function unavailableText(unavailable: readonly Pick<UnavailableSource, 'message'>[]): string {
  return `rules unavailable: ${unavailable.map((entry) => entry.message).join('; ')}`;
}

/**
 * The noCertificate rules of a source that are valid on their own, as a
 * source. Never used to decide (the source's other rules are unknown), only
 * to keep guarding the hosts an explicit deny rule names while the rule set
 * is unusable.
 */
export function readableDenyRules(name: SourceName, rawRules: readonly unknown[], label?: string): CompiledSource {
  const rules = [];
  for (let index = 0; index < rawRules.length; index++) {
    const checked = normalizeRule(rawRules[index], index, name);
    if (checked.ok && checked.rule.action === 'noCertificate') rules.push(checked.rule);
  }
  return { name, label, accepted: true, total: rawRules.length, rules, errors: [], warnings: [] };
}
