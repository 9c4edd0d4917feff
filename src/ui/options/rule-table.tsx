import { useState } from 'preact/hooks';
import type { Finding } from '../../engine/model';
import { FindingList } from '../common/finding-list';
import { t } from '../common/i18n';
import { actionText, ruleNumberText } from '../common/rule-text';

const FIRST_PAGE = 200;

/** A field of a rule as delivered, shown as text whatever its type. */
function fieldText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Read-only rules (policy, console profile): every rule as text, with its findings beside it. */
export function RuleTable({ rules, findings, caption }: { rules: readonly unknown[]; findings: readonly Finding[]; caption: string }) {
  const [showAll, setShowAll] = useState(false);
  if (rules.length === 0) return <p class="muted">{t('rules_sourceEmpty')}</p>;
  const shown = showAll ? rules : rules.slice(0, FIRST_PAGE);
  // The notes column only when there is something to note: narrow screens (and 200% zoom) need the room.
  const withNotes = findings.length > 0;
  return (
    <>
      <div class="table-scroll">
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
          <tbody>
            {shown.map((raw, index) => {
              const rule = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
              const notes = findings.filter((finding) => finding.index === index);
              return (
                <tr key={index}>
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
                      <FindingList findings={notes} />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!showAll && rules.length > FIRST_PAGE && (
        <button type="button" onClick={() => setShowAll(true)}>
          {t('rules_showAll', rules.length)}
        </button>
      )}
    </>
  );
}
