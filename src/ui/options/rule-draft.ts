import type { Finding } from '../../engine/model';
import { lintRules } from '../../engine/lint';

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

/** The rules to save: fields trimmed, extra keys kept, nothing else added. */
export function rulesFromRows(rows: readonly DraftRow[]): unknown[] {
  return rows.map((row) => ({ ...row.extra, host: row.host.trim(), port: row.port.trim(), action: row.action }));
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
 * Validates the draft with the engine's own lint (docs/rules.md §6): the same
 * messages the background and CLI give, per row, as the user types.
 */
export function checkDraft(rows: readonly DraftRow[], denyOnly: boolean): DraftCheck {
  const findings: Finding[][] = rows.map(() => []);
  for (const finding of lintRules(rulesFromRows(rows))) findings[finding.index]?.push(finding);
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
