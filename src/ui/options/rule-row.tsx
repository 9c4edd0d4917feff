import { normalizeHostPattern } from '../../engine/host-pattern';
import type { Finding } from '../../engine/model';
import { FindingList } from '../common/finding-list';
import { pure } from '../common/pure';
import { t } from '../common/i18n';
import { actionChoiceText, findingText, ruleNumberText } from '../common/rule-text';
import { fieldError, type DraftRow, type Field } from './rule-draft';

export interface RuleRowProps {
  idPrefix: string;
  row: DraftRow;
  position: number;
  last: boolean;
  findings: readonly Finding[];
  forbidden: boolean;
  denyOnly: boolean;
  /** The row a link pointed at (#rule=local:N). */
  highlighted: boolean;
  onEdit: (key: number, field: Field, value: string) => void;
  onMove: (position: number, delta: number, control: string) => void;
  onRemove: (position: number) => void;
  onKeyDown: (event: KeyboardEvent, position: number) => void;
}

const KNOWN_ACTIONS = ['useEnrollmentCertificate', 'noCertificate'];

/**
 * One rule of the editor: its three fields, each with the engine's message,
 * and the buttons that move or delete it. Pure (common/pure.ts): an editor
 * render renders again only the rows whose rule, place or findings changed.
 */
export const RuleRow = pure(function RuleRow({
  idPrefix,
  row,
  position,
  last,
  findings,
  forbidden,
  denyOnly,
  highlighted,
  onEdit,
  onMove,
  onRemove,
  onKeyDown,
}: RuleRowProps) {
  const hostError = fieldError(findings, 'host');
  const portError = fieldError(findings, 'port');
  const actionError = fieldError(findings, 'action');
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  const normalisedHost = hostError ? null : normalizeHostPattern(row.host);
  const showNormalised = normalisedHost?.ok && normalisedHost.value !== row.host.trim();
  const actions = denyOnly ? ['noCertificate'] : ['useEnrollmentCertificate', 'noCertificate'];
  if (!actions.includes(row.action)) actions.push(row.action);
  const actionMessage = forbidden ? t('editor_denyOnlyForbidden') : actionError ? findingText(actionError.message) : null;
  return (
    <li
      class={highlighted ? 'rule-row rule-target' : 'rule-row'}
      // The list shows some rows of many: each keeps its number in the whole list.
      value={position + 1}
      data-row-key={row.key}
      data-position={position}
      aria-current={highlighted ? 'true' : undefined}
      onKeyDown={(event) => onKeyDown(event, position)}
    >
      <fieldset>
        <legend>{ruleNumberText(position)}</legend>
        <div class="rule-fields">
          <div class="field field-host">
            <label for={`${idPrefix}-host`}>{t('ui_ruleHost')}</label>
            <input
              id={`${idPrefix}-host`}
              data-focus={`${row.key}:host`}
              type="text"
              spellcheck={false}
              autocomplete="off"
              value={row.host}
              aria-invalid={hostError ? 'true' : 'false'}
              aria-describedby={`${idPrefix}-host-msg`}
              onInput={(event) => onEdit(row.key, 'host', event.currentTarget.value)}
            />
            <p id={`${idPrefix}-host-msg`} class={hostError ? 'field-message error-text' : 'field-message muted'}>
              {hostError ? findingText(hostError.message) : showNormalised && normalisedHost?.ok ? t('editor_normalisedAs', normalisedHost.value) : ''}
            </p>
          </div>
          <div class="field field-port">
            <label for={`${idPrefix}-port`}>{t('ui_rulePort')}</label>
            <input
              id={`${idPrefix}-port`}
              data-focus={`${row.key}:port`}
              type="text"
              inputMode="numeric"
              spellcheck={false}
              autocomplete="off"
              placeholder="443"
              value={row.port}
              aria-invalid={portError ? 'true' : 'false'}
              aria-describedby={`${idPrefix}-port-msg`}
              onInput={(event) => onEdit(row.key, 'port', event.currentTarget.value)}
            />
            <p id={`${idPrefix}-port-msg`} class={portError ? 'field-message error-text' : 'field-message muted'}>
              {portError ? findingText(portError.message) : ''}
            </p>
          </div>
          <div class="field field-action">
            <label for={`${idPrefix}-action`}>{t('ui_ruleAction')}</label>
            <select
              id={`${idPrefix}-action`}
              data-focus={`${row.key}:action`}
              value={row.action}
              aria-invalid={actionMessage ? 'true' : 'false'}
              aria-describedby={`${idPrefix}-action-msg`}
              onChange={(event) => onEdit(row.key, 'action', event.currentTarget.value)}
            >
              {actions.map((action) => (
                <option key={action} value={action}>
                  {actionChoiceText(action)}
                </option>
              ))}
            </select>
            <p id={`${idPrefix}-action-msg`} class={actionMessage ? 'field-message error-text' : 'field-message muted'}>
              {actionMessage ?? (KNOWN_ACTIONS.includes(row.action) ? t('editor_actionCode', row.action) : '')}
            </p>
          </div>
        </div>
        <div class="button-row row-actions">
          <button
            type="button"
            data-focus={`${row.key}:up`}
            aria-keyshortcuts="Alt+ArrowUp"
            disabled={position === 0}
            onClick={() => onMove(position, -1, 'up')}
          >
            {t('editor_moveUp')}
          </button>
          <button type="button" data-focus={`${row.key}:down`} aria-keyshortcuts="Alt+ArrowDown" disabled={last} onClick={() => onMove(position, 1, 'down')}>
            {t('editor_moveDown')}
          </button>
          <button type="button" data-focus={`${row.key}:delete`} onClick={() => onRemove(position)}>
            {t('editor_delete')}
          </button>
        </div>
        {warnings.length > 0 && <FindingList findings={warnings} />}
      </fieldset>
    </li>
  );
});
