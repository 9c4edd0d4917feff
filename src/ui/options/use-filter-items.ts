import { useMemo, useRef } from 'preact/hooks';
import type { Finding } from '../../engine/model';
import { filterItem, filterTexts, syncFindings, type FilterItem, type RuleFacts } from './rule-filter';
import { usePreparedList } from './use-prepared';

export interface FilterItemsInput {
  count: number;
  /** The rule at a position, as the filter reads it. */
  ruleAt: (position: number) => Omit<RuleFacts, 'findings'>;
  /** Its findings now. */
  findingsAt: (position: number) => readonly Finding[];
  /** Changes whenever findingsAt answers differently. */
  findingsVersion: unknown;
  /** What the rules depend on (as with useMemo): a change makes the items again. */
  rulesDeps: readonly unknown[];
  /** A filter is typed: the items are needed now (see usePreparedList). */
  needed: boolean;
}

/**
 * What the rule filter compares, one item per rule: made once per change of
 * the rules, in idle time after the first paint (usePreparedList), and kept
 * while only the findings change (a check that goes on after the first paint,
 * lint that comes after the rules), whose words are brought up to date apart.
 * Null until made.
 */
export function useFilterItems({ count, ruleAt, findingsAt, findingsVersion, rulesDeps, needed }: FilterItemsInput): readonly FilterItem[] | null {
  const latestFindings = useRef(findingsAt);
  latestFindings.current = findingsAt;
  const texts = useMemo(filterTexts, []);
  const items = usePreparedList(
    count,
    () => (position) => filterItem({ ...ruleAt(position), findings: latestFindings.current(position) }, texts),
    rulesDeps,
    needed,
  );
  return useMemo(() => {
    if (items) syncFindings(items, findingsAt, texts);
    return items;
  }, [items, findingsVersion]);
}
