import type { CompiledSource } from './compile';
import { SourceNameSchema, type Finding, type SourceName } from './model';
import { lazySchema, z } from '../lib/zod';

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
    code: z.enum(UNAVAILABLE_CODES),
    /**
     * What is wrong, in the words of whoever found it (empty when there is
     * nothing to add): the first rule problem, the failed sync's error, when
     * the rules were last confirmed, the read error. The pages put the source
     * and the code into their own words around it; unavailableText makes one
     * English sentence of it all.
     */
    message: z.string(),
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
  return { source: source.name, code: 'rejected', message: firstProblems(source.errors) };
}

/** The first problem, and how many more there are: how every rejection of a source is told (a rejected source has at least one). */
export function firstProblems(errors: readonly Finding[]): string {
  return `${errors[0]?.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
}

/**
 * One English sentence naming the source and what is wrong, e.g. "the managed
 * policy's rules were rejected and no earlier version was accepted: rule 1: …"
 * (the command line; the pages have their own words for the source and code).
 */
export function unavailableText(entry: UnavailableSource, label: string | null = null): string {
  const rules = sourceRulesText(entry.source, label);
  const detail = entry.message === '' ? '' : `: ${entry.message}`;
  switch (entry.code) {
    case 'rejected':
      return `${rules} were rejected and no earlier version was accepted${detail}`;
    case 'not-synced':
      return `the console profile has never been synced successfully${detail}`;
    case 'expired':
      return `${rules} are older than the maximum rule age${detail}`;
    case 'unreadable':
      return `${rules} could not be read${detail}`;
  }
}
