import type { SourceName } from '../../engine/model';

/** One rule of one source, as the pages name it in links: the 0-based index into that source's list. */
export interface RuleRef {
  source: SourceName;
  index: number;
}

/** Listed here, not read from SourceNameSchema: a runtime use of zod would load it into the popup for one link. */
const SOURCES: readonly SourceName[] = ['managed', 'profile', 'local', 'file'];

/** The most rules one source can hold is far below this; an index past it is a mistyped link. */
const MAX_INDEX_DIGITS = 7;

/** `#rule=profile:16`: the options page opens the rules section at that row and highlights it. */
export function ruleHash(rule: RuleRef): string {
  return `#rule=${rule.source}:${rule.index}`;
}

/** The options page at a rule, from another extension page (the popup lives beside it in src/ui/). */
export function optionsRuleUrl(rule: RuleRef): string {
  return `../options/index.html${ruleHash(rule)}`;
}

/** The rule a location hash names, or null when it names none (or names one in a form this page never writes). */
export function ruleFromHash(hash: string): RuleRef | null {
  const match = new RegExp(`^#?rule=([a-z]+):(0|[1-9][0-9]{0,${MAX_INDEX_DIGITS - 1}})$`).exec(hash);
  if (!match) return null;
  const source = SOURCES.find((name) => name === match[1]);
  return source ? { source, index: Number(match[2]) } : null;
}
