import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Finding, SourceName } from '../../engine/model';
import { errorText } from '../common/errors';
import { FindingList } from '../common/finding-list';
import { t } from '../common/i18n';
import { ruleNumberText } from '../common/rule-text';
import { EDITOR_PAGE_SIZE, Pager, usePaging } from './pager';
import {
  checkRow,
  checkRows,
  findingsOfRow,
  moveRow,
  nextRowKey,
  rowFindings,
  rowsFromRules,
  rulesFromRows,
  type DraftCache,
  type DraftRow,
  type Field,
  warningsByKey,
} from './rule-draft';
import { matchesQuery, type FilterTerm } from './rule-filter';
import { useFilterItems } from './use-filter-items';
import { lintOffThread, type DraftLinter } from './lint-client';
import { RuleRow } from './rule-row';
import { useRevealTarget, type RuleTarget } from './rule-target';
import { inIdleSlices } from './use-prepared';
import { useSteady } from '../common/pure';
import { whenInputQuiet } from '../common/input-quiet';

export interface RuleEditorProps {
  /** Prefix for element ids, unique on the page. */
  id: string;
  initialRules: readonly unknown[];
  /**
   * The lint of initialRules from the page (the background's, for saved
   * rules): not computed again until an edit. Null while it is on its way;
   * left out, the editor computes it.
   */
  initialWarnings?: readonly Finding[] | null;
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
  /** Where the rules are, for the filter's `source:` and the pager's name. */
  source: SourceName;
  sourceLabel?: string | null;
  /** What the pager is called by ("Local rules"). */
  caption: string;
  /** The filter in force (parsed once by the page); rows being edited stay in view until it changes. */
  terms?: readonly FilterTerm[];
  /** A row to bring into view and highlight. */
  target?: RuleTarget | null;
  /** Finds the warnings that compare the rules (default: in the page's lint worker). */
  lint?: DraftLinter;
}

const HISTORY_LIMIT = 50;
/** After an edit, the warnings that compare rules wait this long for the typing to pause (each run reads every rule). */
const WARNINGS_AFTER_EDIT_MS = 250;
const NO_TERMS: readonly FilterTerm[] = [];

interface Snapshot {
  rows: DraftRow[];
  /** What the change did, for the undo button's announcement. */
  label: string;
}

/**
 * The one rule editor (local rules and console profiles): edit in place, add,
 * delete, reorder by buttons or Alt+Arrow, validate every field with the
 * engine's message as you type, undo the last change. Save is disabled while
 * anything is invalid, so nothing invalid is ever saved. One page of rows is
 * on the page at a time, of the rules the filter finds; a row that is edited,
 * added or moved stays shown, and the page follows the focus.
 */
export function RuleEditor(props: RuleEditorProps) {
  const { id, initialRules, denyOnly, onSave, beforeSave, saveLabel, extraDirty = false, extraInvalid = false } = props;
  const { source, sourceLabel = null, caption, terms = NO_TERMS, target = null, lint = lintOffThread } = props;
  const [rows, setRows] = useState<DraftRow[]>(() => rowsFromRules(initialRules));
  // The rows as last saved (or as given); their text, to compare with, is made only once it is needed.
  const [saved, setSaved] = useState<{ rows: DraftRow[]; text?: string }>(() => ({ rows }));
  const [history, setHistory] = useState<Snapshot[]>([]);
  const lastEdit = useRef<string | null>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [saveState, setSaveState] = useState<{ busy: boolean; error: string | null; findings: Finding[] }>({ busy: false, error: null, findings: [] });
  const list = useRef<HTMLOListElement>(null);
  const cache = useRef<DraftCache>(new WeakMap());
  // Rows shown whatever the filter says, since they were edited, added or moved under it.
  const pinned = useRef<{ terms: readonly FilterTerm[]; keys: Set<number> }>({ terms, keys: new Set() });
  if (pinned.current.terms !== terms) pinned.current = { terms, keys: new Set() };
  const [pinVersion, setPinVersion] = useState(0);

  // Each row's own errors (they decide Save): the first page's before the first paint, the others after it, into the
  // cache in slices of idle time (thousands of rows are tens of milliseconds) with no render until all are checked. Rows
  // a filter shows meanwhile are checked as they are shown; the filter finds the other rows' errors once all are checked.
  const [allChecked, setAllChecked] = useState(false);
  // Once all are checked, rows added later are checked with the others, at once.
  const checkedCount = allChecked ? rows.length : Math.min(EDITOR_PAGE_SIZE, rows.length);
  const check = useMemo(() => checkRows(rows, denyOnly, cache.current, checkedCount), [rows, denyOnly, checkedCount]);
  useEffect(() => {
    if (checkedCount >= rows.length) return;
    let next = checkedCount;
    return inIdleSlices((more) => {
      for (; next < rows.length && more(); next++) checkRow(rows[next] as DraftRow, next, cache.current);
      if (next < rows.length) return false;
      setAllChecked(true);
      return true;
    });
  }, [checkedCount, rows]);
  // The warnings that compare all rules: the page's lint of the rules as given (null while it is on its way) until an edit,
  // then computed here once every row is checked.
  const given = props.initialWarnings;
  const mountedRules = useRef(initialRules);
  const [warnings, setWarnings] = useState<ReadonlyMap<number, Finding[]>>(() => warningsByKey(rows, given ?? []));
  const adopted = useRef(given);
  const edited = useRef(false);
  useEffect(() => {
    // Lint of other rules than the ones this editor started from (the page's rules changed under it) is not about these rows.
    const usable = given !== undefined && initialRules === mountedRules.current;
    // Warnings are advice: they wait while the user types (common/input-quiet.ts), thousands of rows being a long update.
    if (!edited.current && usable) {
      if (given === null || given === adopted.current) {
        adopted.current = given;
        return;
      }
      // Adopted when shown: a render before that cancels the wait, and the next one waits again.
      return whenInputQuiet(() => {
        adopted.current = given;
        setWarnings(warningsByKey(rows, given));
      });
    }
    if (check.pending) return;
    let cancelApply = () => {};
    let wanted = true;
    const timer = setTimeout(
      () =>
        void lint(check.valid).then((found) => {
          if (wanted) cancelApply = whenInputQuiet(() => setWarnings(warningsByKey(rows, found)));
        }),
      edited.current ? WARNINGS_AFTER_EDIT_MS : 0,
    );
    return () => {
      // A newer check replaces this one; its answer, when it comes, is about rows no longer shown.
      wanted = false;
      clearTimeout(timer);
      cancelApply();
    };
  }, [check, given]);
  const findings = useMemo(() => rowFindings(rows, check, warnings), [check, warnings]);
  const rules = useMemo(() => rulesFromRows(rows), [rows]);
  // Once per change of the rules, not per render: thousands of rules make a long string.
  const changed = useMemo(() => rows !== saved.rows && JSON.stringify(rules) !== (saved.text ??= JSON.stringify(rulesFromRows(saved.rows))), [rules, saved]);
  const dirty = extraDirty || changed;
  const canSave = dirty && !check.invalid && !check.pending && !extraInvalid && !saveState.busy;

  // What the filter compares, prepared once per change of the rows (not per keystroke in the filter), after the first paint or when a filter needs it.
  const filtering = terms.length > 0;
  const items = useFilterItems({
    count: rows.length,
    ruleAt: (position) => {
      const row = rows[position] as DraftRow;
      return { host: row.host, port: row.port, action: row.action, source, sourceLabel };
    },
    findingsAt: (position) => findings[position] ?? [],
    findingsVersion: findings,
    rulesDeps: [rows, source, sourceLabel],
    needed: filtering,
  });
  const shown = useMemo(() => {
    if (!filtering || !items) return rows.map((_, position) => position);
    const keys = pinned.current.keys;
    const positions: number[] = [];
    items.forEach((item, position) => {
      if (keys.has(rows[position]?.key ?? -1) || matchesQuery(item, terms)) positions.push(position);
    });
    return positions;
  }, [rows, items, findings, terms, filtering, pinVersion]);
  const paging = usePaging(shown.length, EDITOR_PAGE_SIZE, terms);

  useRevealTarget(
    target,
    (index) => shown.indexOf(index),
    paging,
    (index) => list.current?.querySelector<HTMLElement>(`li[data-position="${index}"] input`) ?? null,
  );

  useEffect(() => {
    if (!focusTarget) return;
    const element = list.current?.parentElement?.querySelector<HTMLElement>(`[data-focus="${focusTarget}"]`);
    if (element) {
      element.focus();
      setFocusTarget(null);
      return;
    }
    // The row is on another page, or the filter hides it: show it, and try again once it is rendered.
    const key = Number(focusTarget.split(':')[0]);
    const position = rows.findIndex((row) => row.key === key);
    if (position < 0) {
      setFocusTarget(null);
      return;
    }
    const place = shown.indexOf(position);
    if (place < 0) {
      pinned.current.keys.add(key);
      setPinVersion((version) => version + 1);
    } else if (place < paging.start || place >= paging.end) paging.showRow(place);
    else setFocusTarget(null);
  }, [focusTarget, shown, paging.start]);

  // The rows' handlers keep one identity (useSteady), so that a render of the editor renders only the rows that changed.
  const change = (next: DraftRow[], label: string, coalesceKey: string | null = null) => {
    // Typing into one field is one change, not one per keystroke.
    if (coalesceKey === null || coalesceKey !== lastEdit.current) {
      setHistory((past) => [...past.slice(-(HISTORY_LIMIT - 1)), { rows, label }]);
    }
    lastEdit.current = coalesceKey;
    edited.current = true;
    setRows(next);
  };

  const edit = useSteady((key: number, field: Field, value: string) => {
    const position = rows.findIndex((row) => row.key === key);
    pinned.current.keys.add(key);
    change(
      rows.map((row) => (row.key === key ? { ...row, [field]: value } : row)),
      t('editor_changeEdit', ruleNumberText(position)),
      `${key}:${field}`,
    );
  });

  const add = () => {
    const row: DraftRow = { key: nextRowKey(), host: '', port: '443', action: 'noCertificate', extra: {} };
    pinned.current.keys.add(row.key);
    change([...rows, row], t('editor_changeAdd', ruleNumberText(rows.length)));
    setFocusTarget(`${row.key}:host`);
    setAnnouncement(t('editor_added', ruleNumberText(rows.length)));
  };

  const remove = useSteady((position: number) => {
    change(
      rows.filter((_, at) => at !== position),
      t('editor_changeDelete', ruleNumberText(position)),
    );
    const neighbour = rows[position + 1] ?? rows[position - 1];
    setFocusTarget(neighbour ? `${neighbour.key}:delete` : `${id}:add`);
    setAnnouncement(t('editor_deleted', ruleNumberText(position)));
  });

  const move = useSteady((position: number, delta: number, control: string) => {
    const to = position + delta;
    const row = rows[position];
    if (!row || to < 0 || to >= rows.length) return;
    pinned.current.keys.add(row.key);
    change(moveRow(rows, position, to), t('editor_changeMove', ruleNumberText(position), ruleNumberText(to)));
    // A move button that becomes disabled at the end of the list cannot keep focus: hand it to its twin.
    const focusControl = control === 'up' && to === 0 ? 'down' : control === 'down' && to === rows.length - 1 ? 'up' : control;
    setFocusTarget(`${row.key}:${focusControl}`);
    setAnnouncement(t('editor_moved', ruleNumberText(position), ruleNumberText(to)));
  });

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
      setSaved({ rows, text: JSON.stringify(rules) });
      lastEdit.current = null;
      setSaveState({ busy: false, error: null, findings: [] });
      setAnnouncement(t('editor_saved', rules.length));
    } catch (error) {
      const findings = (error as { findings?: Finding[] }).findings ?? [];
      setSaveState({ busy: false, error: errorText(error), findings });
      setAnnouncement(t('editor_saveFailed', errorText(error)));
    }
  };

  const onRowKeyDown = useSteady((event: KeyboardEvent, position: number) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const control = (event.target as HTMLElement | null)?.dataset?.['focus']?.split(':')[1] ?? 'host';
    move(position, event.key === 'ArrowUp' ? -1 : 1, control);
  });

  const errorCount = check.errors.reduce((sum, list) => sum + list.length, 0) + check.forbidden.filter(Boolean).length;

  return (
    <div class="rule-editor" id={id}>
      <p class="muted" id={`${id}-help`}>
        {denyOnly ? t('editor_helpDenyOnly') : t('editor_help')}
      </p>
      {rows.length === 0 && <p>{t('editor_empty')}</p>}
      {/* Always there, so that a screen reader hears the count change as the filter is typed. */}
      <p class="filter-count" aria-live="polite">
        {filtering && rows.length > 0 ? t('filter_matches', shown.length, rows.length) : ''}
      </p>
      {filtering && rows.length > 0 && shown.length === 0 && <p class="muted">{t('filter_noMatch')}</p>}
      <ol class="rule-rows" ref={list} aria-describedby={`${id}-help`}>
        {/* Keyed by place on the page, not by rule: a keystroke in the filter that shows other rules updates the rows in
            place instead of building a page of inputs anew (the rows hold no state of their own, and a move or delete
            sends the focus to its rule's control by data-focus). The element ids go by place too: ids, labels' targets
            and descriptions stay as they are, and only what the rule says changes. */}
        {shown.slice(paging.start, paging.end).map((position, place) => {
          const row = rows[position] as DraftRow;
          return (
            <RuleRow
              key={place}
              idPrefix={`${id}-${place}`}
              row={row}
              position={position}
              last={position === rows.length - 1}
              findings={position < checkedCount ? (findings[position] ?? []) : findingsOfRow(row, position, cache.current, warnings)}
              forbidden={check.forbidden[position] ?? false}
              denyOnly={denyOnly}
              highlighted={target?.index === position}
              onEdit={edit}
              onMove={move}
              onRemove={remove}
              onKeyDown={onRowKeyDown}
            />
          );
        })}
      </ol>
      <Pager paging={paging} label={t('pager_label', caption)} />
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
          {/* On one page of many, say how to find them. */}
          {check.invalid && paging.pageCount > 1 && ` ${t('editor_findProblems')}`}
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
