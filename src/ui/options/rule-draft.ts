import type { Finding, NormalizedRule } from '../../engine/model';
import { lintNormalized } from '../../engine/lint';
import { coverIndex } from '../../engine/lint-index';
import { normalizeRule, type RuleCheck } from '../../engine/rule';

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

export interface DraftCheck {
  /** Engine errors and lint warnings per row position. */
  findings: Finding[][];
  /** Rows whose action the policy forbids here (allow rules under denyOnly). */
  forbidden: boolean[];
  /** True when any row has an error or a forbidden action: Save stays disabled. */
  invalid: boolean;
}

/**
 * Each row's own check, kept between calls while the row (an object never
 * changed in place) stays where it was: typing in one row checks that row
 * again, not all of them.
 */
export type DraftCache = WeakMap<DraftRow, { position: number; check: RuleCheck }>;

/**
 * Validates the draft with the engine's own lint (docs/rules.md §6): the same
 * messages the background and CLI give, per row, as the user types — what
 * lintRules gives for the rules the draft saves, with each row's own check
 * taken from `cache` when the row has not changed.
 */
export function checkDraft(rows: readonly DraftRow[], denyOnly: boolean, cache: DraftCache = new WeakMap()): DraftCheck {
  const findings: Finding[][] = rows.map(() => []);
  const valid: NormalizedRule[] = [];
  rows.forEach((row, position) => {
    let entry = cache.get(row);
    if (entry?.position !== position) {
      entry = { position, check: normalizeRule(ruleOfRow(row), position, 'file') };
      cache.set(row, entry);
    }
    if (entry.check.ok) valid.push(entry.check.rule);
    else findings[position]?.push(...entry.check.errors);
  });
  // Errors first, then warnings, as lintRules orders each rule's findings.
  for (const finding of lintNormalized(valid, coverIndex)) findings[finding.index]?.push(finding);
  const forbidden = rows.map((row) => denyOnly && row.action !== 'noCertificate');
  const invalid = findings.some((list) => list.some((finding) => finding.severity === 'error')) || forbidden.some(Boolean);
  return { findings, forbidden, invalid };
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
