import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { normalizeHostPattern } from '../../engine/host-pattern';
import type { Finding } from '../../engine/model';
import { errorText } from '../common/errors';
import { FindingList } from '../common/finding-list';
import { t } from '../common/i18n';
import { actionText, findingText, ruleNumberText } from '../common/rule-text';
import { checkDraft, fieldError, moveRow, nextRowKey, rowsFromRules, rulesFromRows, sameRules, type DraftRow, type Field } from './rule-draft';

export interface RuleEditorProps {
  /** Prefix for element ids, unique on the page. */
  id: string;
  initialRules: readonly unknown[];
  /** Policy `denyOnly`: only noCertificate rules may be added or saved. */
  denyOnly: boolean;
  /** Saves the rules; throws (e.g. MessageError with findings) when refused. */
  onSave: (rules: unknown[]) => Promise<void>;
  saveLabel?: string;
  /** Asked before saving (e.g. a confirmation); false leaves everything as it is. */
  beforeSave?: (rules: unknown[]) => Promise<boolean>;
  /** Other fields of the same form (a profile's name) changed or are invalid. */
  extraDirty?: boolean;
  extraInvalid?: boolean;
}

const HISTORY_LIMIT = 50;

interface Snapshot {
  rows: DraftRow[];
  /** What the change did, for the undo button's announcement. */
  label: string;
}

/**
 * The one rule editor (local rules and console profiles): edit in place, add,
 * delete, reorder by buttons or Alt+Arrow, validate every field with the
 * engine's message as you type, undo the last change. Save is disabled while
 * anything is invalid, so nothing invalid is ever saved.
 */
export function RuleEditor({ id, initialRules, denyOnly, onSave, beforeSave, saveLabel, extraDirty = false, extraInvalid = false }: RuleEditorProps) {
  const [rows, setRows] = useState<DraftRow[]>(() => rowsFromRules(initialRules));
  const [baseline, setBaseline] = useState<unknown[]>(() => rulesFromRows(rowsFromRules(initialRules)));
  const [history, setHistory] = useState<Snapshot[]>([]);
  const lastEdit = useRef<string | null>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [saveState, setSaveState] = useState<{ busy: boolean; error: string | null; findings: Finding[] }>({ busy: false, error: null, findings: [] });
  const list = useRef<HTMLOListElement>(null);

  const check = useMemo(() => checkDraft(rows, denyOnly), [rows, denyOnly]);
  const rules = useMemo(() => rulesFromRows(rows), [rows]);
  const dirty = extraDirty || !sameRules(rules, baseline);
  const canSave = dirty && !check.invalid && !extraInvalid && !saveState.busy;

  useEffect(() => {
    if (!focusTarget) return;
    list.current?.parentElement?.querySelector<HTMLElement>(`[data-focus="${focusTarget}"]`)?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const change = (next: DraftRow[], label: string, coalesceKey: string | null = null) => {
    // Typing into one field is one change, not one per keystroke.
    if (coalesceKey === null || coalesceKey !== lastEdit.current) {
      setHistory((past) => [...past.slice(-(HISTORY_LIMIT - 1)), { rows, label }]);
    }
    lastEdit.current = coalesceKey;
    setRows(next);
  };

  const edit = (key: number, field: Field, value: string) => {
    const position = rows.findIndex((row) => row.key === key);
    change(
      rows.map((row) => (row.key === key ? { ...row, [field]: value } : row)),
      t('editor_changeEdit', ruleNumberText(position)),
      `${key}:${field}`,
    );
  };

  const add = () => {
    const row: DraftRow = { key: nextRowKey(), host: '', port: '443', action: 'noCertificate', extra: {} };
    change([...rows, row], t('editor_changeAdd', ruleNumberText(rows.length)));
    setFocusTarget(`${row.key}:host`);
    setAnnouncement(t('editor_added', ruleNumberText(rows.length)));
  };

  const remove = (position: number) => {
    change(
      rows.filter((_, at) => at !== position),
      t('editor_changeDelete', ruleNumberText(position)),
    );
    const neighbour = rows[position + 1] ?? rows[position - 1];
    setFocusTarget(neighbour ? `${neighbour.key}:delete` : `${id}:add`);
    setAnnouncement(t('editor_deleted', ruleNumberText(position)));
  };

  const move = (position: number, delta: number, control: string) => {
    const to = position + delta;
    const row = rows[position];
    if (!row || to < 0 || to >= rows.length) return;
    change(moveRow(rows, position, to), t('editor_changeMove', ruleNumberText(position), ruleNumberText(to)));
    // A move button that becomes disabled at the end of the list cannot keep focus: hand it to its twin.
    const focusControl = control === 'up' && to === 0 ? 'down' : control === 'down' && to === rows.length - 1 ? 'up' : control;
    setFocusTarget(`${row.key}:${focusControl}`);
    setAnnouncement(t('editor_moved', ruleNumberText(position), ruleNumberText(to)));
  };

  const undo = () => {
    const last = history[history.length - 1];
    if (!last) return;
    setHistory(history.slice(0, -1));
    lastEdit.current = null;
    setRows(last.rows);
    setAnnouncement(t('editor_undone', last.label));
  };

  const save = async () => {
    if (!canSave) return;
    if (beforeSave && !(await beforeSave(rules))) {
      setAnnouncement(t('editor_notSaved'));
      return;
    }
    setSaveState({ busy: true, error: null, findings: [] });
    setAnnouncement(t('editor_saving'));
    try {
      await onSave(rules);
      setBaseline(rules);
      lastEdit.current = null;
      setSaveState({ busy: false, error: null, findings: [] });
      setAnnouncement(t('editor_saved', rules.length));
    } catch (error) {
      const findings = (error as { findings?: Finding[] }).findings ?? [];
      setSaveState({ busy: false, error: errorText(error), findings });
      setAnnouncement(t('editor_saveFailed', errorText(error)));
    }
  };

  const onRowKeyDown = (event: KeyboardEvent, position: number) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const control = (event.target as HTMLElement | null)?.dataset?.['focus']?.split(':')[1] ?? 'host';
    move(position, event.key === 'ArrowUp' ? -1 : 1, control);
  };

  const errorCount = check.findings.reduce((sum, list) => sum + list.filter((f) => f.severity === 'error').length, 0) + check.forbidden.filter(Boolean).length;

  return (
    <div class="rule-editor" id={id}>
      <p class="muted" id={`${id}-help`}>
        {denyOnly ? t('editor_helpDenyOnly') : t('editor_help')}
      </p>
      {rows.length === 0 && <p>{t('editor_empty')}</p>}
      <ol class="rule-rows" ref={list} aria-describedby={`${id}-help`}>
        {rows.map((row, position) => (
          <RuleRow
            key={row.key}
            idPrefix={`${id}-${row.key}`}
            row={row}
            position={position}
            last={position === rows.length - 1}
            findings={check.findings[position] ?? []}
            forbidden={check.forbidden[position] ?? false}
            denyOnly={denyOnly}
            onEdit={edit}
            onMove={move}
            onRemove={remove}
            onKeyDown={onRowKeyDown}
          />
        ))}
      </ol>
      <div class="button-row editor-actions">
        <button type="button" data-focus={`${id}:add`} onClick={add}>
          {denyOnly ? t('editor_addDeny') : t('editor_add')}
        </button>
        <button type="button" onClick={undo} disabled={history.length === 0}>
          {t('editor_undo')}
        </button>
        <button type="button" class="primary" onClick={save} disabled={!canSave} aria-describedby={`${id}-save-state`}>
          {saveLabel ?? t('editor_save')}
        </button>
        <span id={`${id}-save-state`} class="muted">
          {check.invalid ? t('editor_cannotSave', errorCount) : dirty ? t('editor_unsaved') : t('editor_noChanges')}
        </span>
      </div>
      {saveState.error && (
        <div role="alert" class="error-text">
          <p>{t('editor_saveFailed', saveState.error)}</p>
          <FindingList findings={saveState.findings} withNumbers />
        </div>
      )}
      <p role="status" class="visually-hidden">
        {announcement}
      </p>
    </div>
  );
}

interface RuleRowProps {
  idPrefix: string;
  row: DraftRow;
  position: number;
  last: boolean;
  findings: readonly Finding[];
  forbidden: boolean;
  denyOnly: boolean;
  onEdit: (key: number, field: Field, value: string) => void;
  onMove: (position: number, delta: number, control: string) => void;
  onRemove: (position: number) => void;
  onKeyDown: (event: KeyboardEvent, position: number) => void;
}

function RuleRow({ idPrefix, row, position, last, findings, forbidden, denyOnly, onEdit, onMove, onRemove, onKeyDown }: RuleRowProps) {
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
    <li class="rule-row" data-row-key={row.key} onKeyDown={(event) => onKeyDown(event, position)}>
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
                  {actionText(action)}
                </option>
              ))}
            </select>
            <p id={`${idPrefix}-action-msg`} class={actionMessage ? 'field-message error-text' : 'field-message muted'}>
              {actionMessage ?? ''}
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
}
