import { useMemo, useRef } from 'preact/hooks';
import type { Finding, SourceName } from '../../engine/model';
import { FindingList } from '../common/finding-list';
import { t } from '../common/i18n';
import { actionText, ruleNumberText } from '../common/rule-text';
import { Pager, TABLE_PAGE_SIZE, usePaging } from './pager';
import { matchingPositions, type FilterTerm } from './rule-filter';
import { useFilterItems } from './use-filter-items';
import { useRevealTarget, type RuleTarget } from './rule-target';

/** A field of a rule as delivered, shown as text whatever its type. */
function fieldText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const asRecord = (raw: unknown): Record<string, unknown> => (typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {});

/** Findings by rule index: one pass, not one search of every finding per row. */
export function findingsByIndex(findings: readonly Finding[], count: number): Finding[][] {
  const byIndex: Finding[][] = Array.from({ length: count }, () => []);
  for (const finding of findings) byIndex[finding.index]?.push(finding);
  return byIndex;
}

export interface RuleTableProps {
  rules: readonly unknown[];
  findings: readonly Finding[];
  caption: string;
  source: SourceName;
  sourceLabel: string | null;
  /** The filter in force (parsed once by the section). */
  terms: readonly FilterTerm[];
  /** A row to bring into view and highlight. */
  target: RuleTarget | null;
}

/**
 * Read-only rules (policy, console profile): a table with proper table
 * semantics, one page of rows at a time, of the rules the filter finds, each
 * with its findings beside it.
 */
export function RuleTable({ rules, findings, caption, source, sourceLabel, terms, target }: RuleTableProps) {
  const body = useRef<HTMLTableSectionElement>(null);
  const byIndex = useMemo(() => findingsByIndex(findings, rules.length), [findings, rules.length]);
  // What the filter compares, prepared once per change of the rules, after the first paint (or when a filter is typed before then).
  const filtering = terms.length > 0;
  const items = useFilterItems({
    count: rules.length,
    ruleAt: (index) => {
      const rule = asRecord(rules[index]);
      return { host: rule['host'], port: rule['port'], action: rule['action'], source, sourceLabel };
    },
    findingsAt: (index) => byIndex[index] ?? [],
    findingsVersion: byIndex,
    rulesDeps: [rules, source, sourceLabel],
    needed: filtering,
  });
  const positions = useMemo(
    () => (filtering && items ? matchingPositions(items, terms) : rules.map((_, index) => index)),
    [rules, items, byIndex, terms, filtering],
  );
  const paging = usePaging(positions.length, TABLE_PAGE_SIZE, terms);
  useRevealTarget(
    target,
    (index) => positions.indexOf(index),
    paging,
    (index) => body.current?.querySelector<HTMLElement>(`tr[data-index="${index}"]`) ?? null,
  );
  if (rules.length === 0) return <p class="muted">{t('rules_sourceEmpty')}</p>;
  // The notes column only when there is something to note: narrow screens (and 200% zoom) need the room.
  const withNotes = findings.length > 0;
  return (
    <>
      {/* Always there, so that a screen reader hears the count change as the filter is typed. */}
      <p class="filter-count" aria-live="polite">
        {filtering ? t('filter_matches', positions.length, rules.length) : ''}
      </p>
      {positions.length === 0 ? (
        <p class="muted">{t('filter_noMatch')}</p>
      ) : (
        // Long patterns or findings can make the table wider than the page: its scroll area takes the focus, so keys can scroll it.
        <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
          <table class="rule-table">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ui_ruleNumberLabel')}</th>
                <th scope="col">{t('ui_ruleHost')}</th>
                <th scope="col">{t('ui_rulePort')}</th>
                <th scope="col">{t('ui_ruleAction')}</th>
                {withNotes && <th scope="col">{t('rules_notes')}</th>}
              </tr>
            </thead>
            <tbody ref={body}>
              {positions.slice(paging.start, paging.end).map((index, slot) => {
                const rule = asRecord(rules[index]);
                const highlighted = target?.index === index;
                return (
                  // Keyed by place on the page: another page or filter updates the rows' text instead of building new rows.
                  <tr
                    key={slot}
                    data-index={index}
                    class={highlighted ? 'rule-target' : undefined}
                    aria-current={highlighted ? 'true' : undefined}
                    tabIndex={highlighted ? -1 : undefined}
                  >
                    <td class="rule-number">{ruleNumberText(index)}</td>
                    <td>
                      <code>{fieldText(rule['host'])}</code>
                    </td>
                    <td>
                      <code>{fieldText(rule['port']) || '443'}</code>
                    </td>
                    <td>{actionText(rule['action'])}</td>
                    {withNotes && (
                      <td>
                        <FindingList findings={byIndex[index] ?? []} />
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager paging={paging} label={t('pager_label', caption)} />
    </>
  );
}
