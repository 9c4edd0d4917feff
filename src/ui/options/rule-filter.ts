import { compileGlob, globMatches, type Glob } from '../../engine/glob';
import type { Finding, SourceName } from '../../engine/model';
import { t } from '../common/i18n';
import { actionText, sourceText } from '../common/rule-text';

/**
 * The rule filter of the rules section and the profile editor. A query is
 * words, all of which must match (case does not matter). A bare word matches
 * the host, port, action, source or findings; `host:`, `port:`, `action:`,
 * `source:` or `lint:` in front of a word matches that one alone, and `lint:`
 * on its own matches every rule with a finding. `host:` also finds the
 * patterns that match a host name (host:mail.acme.com finds "*.acme.com"),
 * and `port:` with a number the port patterns that apply to it (port:8443 finds
 * "8443" and "*", not "18443").
 */
export const FILTER_FIELDS = ['host', 'port', 'action', 'source', 'lint'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export interface FilterTerm {
  /** null: any field. */
  field: FilterField | null;
  value: string;
}

export function parseRuleQuery(text: string): FilterTerm[] {
  const terms: FilterTerm[] = [];
  for (const word of text.toLowerCase().split(/\s+/)) {
    if (word === '') continue;
    const colon = word.indexOf(':');
    // Only a known name makes a prefix: "[::1]" or "a:b" stay words.
    const field = colon > 0 ? FILTER_FIELDS.find((name) => name === word.slice(0, colon)) : undefined;
    if (field === undefined) terms.push({ field: null, value: word });
    else if (colon + 1 < word.length || field === 'lint') terms.push({ field, value: word.slice(colon + 1) });
  }
  return terms;
}

/** A rule as the tables show it: the fields as delivered or typed, where it comes from, and its findings. */
export interface RuleFacts {
  host: unknown;
  port: unknown;
  action: unknown;
  source: SourceName;
  sourceLabel: string | null;
  findings: readonly Finding[];
}

/** What a rule is matched on, prepared once per rule so that each keystroke in the filter only compares text. */
export interface FilterItem {
  host: string;
  port: string;
  action: string;
  source: string;
  lint: string;
  findingCount: number;
  /** The patterns as globs, made the first time a `host:` or `port:` word needs them. */
  globs?: { host: Glob; port: Glob };
  /** The findings `lint` was made from (setFindings). */
  findings?: readonly Finding[];
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** The words a person may use for an action, beside the one the page shows and the name in the JSON. */
function actionWords(action: unknown): string {
  const words = action === 'useEnrollmentCertificate' ? t('filter_actionWordsAllow') : action === 'noCertificate' ? t('filter_actionWordsDeny') : '';
  return `${text(action)}\n${actionText(action)}\n${words}`.toLowerCase();
}

/** Shared between rules: the texts of an action, a source or a severity are the same for every rule that has it. */
export interface FilterTexts {
  action: Map<unknown, string>;
  source: Map<string, string>;
  severity: Map<string, string>;
}

export const filterTexts = (): FilterTexts => ({ action: new Map(), source: new Map(), severity: new Map() });

export function filterItem(facts: RuleFacts, texts: FilterTexts = filterTexts()): FilterItem {
  const host = text(facts.host).trim().toLowerCase();
  // An empty port is the default one, as the tables show it.
  const port = text(facts.port).trim() || '443';
  let action = texts.action.get(facts.action);
  if (action === undefined) texts.action.set(facts.action, (action = actionWords(facts.action)));
  const sourceKey = `${facts.source}\n${facts.sourceLabel ?? ''}`;
  let source = texts.source.get(sourceKey);
  if (source === undefined) texts.source.set(sourceKey, (source = `${facts.source}\n${sourceText(facts.source, facts.sourceLabel)}`.toLowerCase()));
  const item: FilterItem = { host, port, action, source, lint: '', findingCount: 0 };
  setFindings(item, facts.findings, texts);
  return item;
}

/**
 * Sets what an item's findings say. Findings change apart from the rules (a
 * check that goes on after the first paint, lint that comes later): the items
 * stay, and only the words of the findings are made again; an item without
 * findings before and after costs nothing.
 */
export function setFindings(item: FilterItem, findings: readonly Finding[], texts: FilterTexts): void {
  if (findings === item.findings || (findings.length === 0 && item.findingCount === 0)) return;
  item.findings = findings;
  // A finding is found by its code, its severity (also as the page words it) and the words of its message.
  let lint = '';
  for (const finding of findings) {
    let severity = texts.severity.get(finding.severity);
    if (severity === undefined) {
      texts.severity.set(finding.severity, (severity = `${finding.severity} ${finding.severity === 'error' ? t('ui_findingError') : t('ui_findingWarning')}`));
    }
    lint += `\n${finding.code} ${severity} ${finding.message}`;
  }
  item.lint = lint.toLowerCase();
  item.findingCount = findings.length;
}

/** Brings every item's findings up to date (see setFindings): one pass, cheap where nothing changed. */
export function syncFindings(items: readonly FilterItem[], findingsAt: (position: number) => readonly Finding[], texts: FilterTexts): void {
  items.forEach((item, position) => setFindings(item, findingsAt(position), texts));
}

const globsOf = (item: FilterItem) => (item.globs ??= { host: compileGlob(item.host), port: compileGlob(item.port) });

function termMatches(item: FilterItem, term: FilterTerm): boolean {
  const { value } = term;
  switch (term.field) {
    case 'host':
      return item.host.includes(value) || globMatches(globsOf(item).host, value);
    case 'port':
      // A port number finds the patterns that apply to it ("443" is not "10443"); other text is looked for in the pattern.
      return /^[0-9]+$/.test(value) ? item.port === value || globMatches(globsOf(item).port, value) : item.port.includes(value);
    case 'action':
      return item.action.includes(value);
    case 'source':
      return item.source.includes(value);
    case 'lint':
      return value === '' ? item.findingCount > 0 : item.lint.includes(value);
    case null:
      return item.host.includes(value) || item.port.includes(value) || item.action.includes(value) || item.source.includes(value) || item.lint.includes(value);
  }
}

export function matchesQuery(item: FilterItem, terms: readonly FilterTerm[]): boolean {
  for (const term of terms) if (!termMatches(item, term)) return false;
  return true;
}

/** The positions (into `items`) that match, in order; every position for an empty query. */
export function matchingPositions(items: readonly FilterItem[], terms: readonly FilterTerm[]): number[] {
  const positions: number[] = [];
  for (let position = 0; position < items.length; position++) {
    const item = items[position];
    if (item && matchesQuery(item, terms)) positions.push(position);
  }
  return positions;
}
