import type { Finding, NormalizedRule } from '../../engine/model';
import { normalizeRule, type RuleCheck } from '../../engine/rule';
import { lintDraft } from './lint-job';

/** One rule as the editor holds it: the three fields as typed, plus any extra keys to keep. */
export interface DraftRow {
  /** Stable identity for rendering and focus; not saved. */
  key: number;
  host: string;
  port: string;
  action: string;
  /** Unknown keys the rule arrived with: ignored by the engine, kept on save. */
  extra: Record<string, unknown>;
}

export type Field = 'host' | 'port' | 'action';

let lastKey = 0;
export const nextRowKey = (): number => ++lastKey;

const asText = (value: unknown): string => (value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value));

export function rowFromRule(raw: unknown): DraftRow {
  const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const { host, port, action, ...extra } = record;
  return { key: nextRowKey(), host: asText(host), port: asText(port), action: asText(action), extra };
}

export const rowsFromRules = (rules: readonly unknown[]): DraftRow[] => rules.map(rowFromRule);

/** The rule a row saves: fields trimmed, extra keys kept, nothing else added. */
const ruleOfRow = (row: DraftRow): unknown => ({ ...row.extra, host: row.host.trim(), port: row.port.trim(), action: row.action });

/** The rules to save. */
export function rulesFromRows(rows: readonly DraftRow[]): unknown[] {
  return rows.map(ruleOfRow);
}

/** Each row's own check: what can be known of a row without the others. */
export interface RowsCheck {
  /** Engine errors per row position (rows without any share one empty list). */
  errors: (readonly Finding[])[];
  /** Rows whose action the policy forbids here (allow rules under denyOnly). */
  forbidden: boolean[];
  /** True when any row has an error or a forbidden action: Save stays disabled. */
  invalid: boolean;
  /** The valid rows as the engine reads them, for the lint that compares rules. */
  valid: NormalizedRule[];
  /** Some rows are not checked yet (`checkedRows` below the count): Save and the lint that compares rules wait for them. */
  pending: boolean;
}

/**
 * Each row's own check, kept between calls while the row (an object never
 * changed in place) stays where it was: typing in one row checks that row
 * again, not all of them.
 */
export type DraftCache = WeakMap<DraftRow, { position: number; check: RuleCheck }>;

/** The findings of a row that has none: one list for all, so that a row's props stay the same from one check to the next. */
const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** One row's own check, from the cache while the row stays where it was. */
export function checkRow(row: DraftRow, position: number, cache: DraftCache): RuleCheck {
  let entry = cache.get(row);
  if (entry?.position !== position) {
    entry = { position, check: normalizeRule(ruleOfRow(row), position, 'file') };
    cache.set(row, entry);
  }
  return entry.check;
}

/**
 * Validates the rows with the engine (docs/rules.md §6): the errors that
 * decide whether the draft may be saved. `checkedRows` checks only the first
 * rows (the page shown first) and leaves the check pending: thousands of rows
 * take tens of milliseconds, which the first paint need not wait for.
 */
export function checkRows(rows: readonly DraftRow[], denyOnly: boolean, cache: DraftCache = new WeakMap(), checkedRows = rows.length): RowsCheck {
  const errors: (readonly Finding[])[] = [];
  const valid: NormalizedRule[] = [];
  rows.forEach((row, position) => {
    if (position >= checkedRows) {
      errors.push(NO_FINDINGS);
      return;
    }
    const check = checkRow(row, position, cache);
    if (check.ok) valid.push(check.rule);
    errors.push(check.ok ? NO_FINDINGS : check.errors);
  });
  const forbidden = rows.map((row) => denyOnly && row.action !== 'noCertificate');
  const invalid = errors.some((list) => list.length > 0) || forbidden.some(Boolean);
  return { errors, forbidden, invalid, valid, pending: checkedRows < rows.length };
}

/** Warnings by the key of the row at their index (errors are each row's own, kept apart). */
export function warningsByKey(rows: readonly DraftRow[], findings: readonly Finding[]): Map<number, Finding[]> {
  const byKey = new Map<number, Finding[]>();
  for (const finding of findings) {
    const key = rows[finding.index]?.key;
    if (key === undefined || finding.severity !== 'warning') continue;
    const list = byKey.get(key);
    if (list) list.push(finding);
    else byKey.set(key, [finding]);
  }
  return byKey;
}

/**
 * Each row's findings: its errors first, then its warnings, as lintRules
 * orders them. A row with only one kind gets that list itself, unchanged, so
 * that its props stay the same when only other rows' findings change.
 */
export function rowFindings(rows: readonly DraftRow[], check: RowsCheck, warnings: ReadonlyMap<number, Finding[]>): (readonly Finding[])[] {
  return rows.map((row, position) => bothKinds(check.errors[position] ?? NO_FINDINGS, warnings.get(row.key)));
}

/** One row's findings as rowFindings gives them, the row checked now if the check has not come to it yet. */
export function findingsOfRow(row: DraftRow, position: number, cache: DraftCache, warnings: ReadonlyMap<number, Finding[]>): readonly Finding[] {
  const check = checkRow(row, position, cache);
  return bothKinds(check.ok ? NO_FINDINGS : check.errors, warnings.get(row.key));
}

const bothKinds = (errors: readonly Finding[], warnings: readonly Finding[] | undefined): readonly Finding[] =>
  !warnings ? errors : errors.length === 0 ? warnings : [...errors, ...warnings];

/** Errors and warnings at once: what lintRules gives for the rules the draft saves, per row. */
export function checkDraft(rows: readonly DraftRow[], denyOnly: boolean, cache?: DraftCache): RowsCheck & { findings: (readonly Finding[])[] } {
  const check = checkRows(rows, denyOnly, cache);
  return { ...check, findings: rowFindings(rows, check, warningsByKey(rows, lintDraft(check.valid))) };
}

/** The error for one field, from the row's findings. */
export function fieldError(findings: readonly Finding[], field: Field): Finding | undefined {
  const code = field === 'host' ? 'invalid-host' : field === 'port' ? 'invalid-port' : 'invalid-action';
  return findings.find((finding) => finding.severity === 'error' && finding.code === code);
}

export function moveRow(rows: readonly DraftRow[], from: number, to: number): DraftRow[] {
  if (to < 0 || to >= rows.length || from === to) return [...rows];
  const next = [...rows];
  const [row] = next.splice(from, 1);
  if (row) next.splice(to, 0, row);
  return next;
}

/** Whether two rule lists would save the same thing. */
export const sameRules = (a: readonly unknown[], b: readonly unknown[]): boolean => JSON.stringify(a) === JSON.stringify(b);
