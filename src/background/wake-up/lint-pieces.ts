import { FINDING_CODES, type Finding } from '../../engine/index';
import type { LocalArea } from '../platform';
import { RULES_LINT_KEY } from './keys';

/**
 * Lint of the rules in force, stored so that a request reads only the findings
 * near the rule it shows (a request shows lint for a rule or two; 10,000 rules
 * can have thousands of findings, over half a megabyte): per source, one entry
 * per LINT_CHUNK rules that have findings, at lintChunkKey(source, chunk),
 *   { key: <rulesKey>, text: <one line per finding, in rule order> }
 * each line `\n<index>\t<severity>\t<code>\t<message as a JSON string>`; a
 * lookup is one native string search for "\n<index>\t". RULES_LINT_KEY holds
 * the list of chunk keys written, so the next write can remove the ones it
 * does not write again.
 */
export interface RulesLintChunk {
  format: typeof LINT_FORMAT;
  key: string;
  text: string;
}

export interface RulesLintIndex {
  format: typeof LINT_FORMAT;
  key: string;
  chunks: string[];
}

/** The shape of the pieces (index, chunk, line): a piece of another format gives no findings. */
export const LINT_FORMAT = 1;

export const LINT_CHUNK = 256;

export function lintChunkKey(source: string, chunk: number): string {
  return `${RULES_LINT_KEY}:${source}:${chunk}`;
}

/** The findings of one rule. */
export type LintLookup = (source: string, index: number) => Promise<Finding[]>;

export type LintBySource = Record<string, Finding[]>;

/** The part of a storage area the cache is written to and lint read from. */
export type CacheArea = Pick<LocalArea, 'get' | 'set' | 'remove'>;

/** The list of pieces and the pieces, by storage key. */
export type LintPieces = { [RULES_LINT_KEY]: RulesLintIndex } & { [piece: string]: RulesLintIndex | RulesLintChunk };

/** The lint of the rules with this key, as pieces to store. */
export function lintPieces(key: string, lint: LintBySource): LintPieces {
  const chunks: Record<string, RulesLintChunk> = {};
  for (const [source, findings] of Object.entries(lint)) {
    for (const finding of [...findings].sort((a, b) => a.index - b.index)) {
      const chunk = (chunks[lintChunkKey(source, Math.floor(finding.index / LINT_CHUNK))] ??= { format: LINT_FORMAT, key, text: '' });
      chunk.text += `\n${finding.index}\t${finding.severity}\t${finding.code}\t${JSON.stringify(finding.message)}`;
    }
  }
  return { ...chunks, [RULES_LINT_KEY]: { format: LINT_FORMAT, key, chunks: Object.keys(chunks) } };
}

/** The lookup over lint computed just now. */
export function lintLookupOf(lint: LintBySource): LintLookup {
  return (source, index) => Promise.resolve((lint[source] ?? []).filter((finding) => finding.index === index));
}

/**
 * The lookup over the lint stored for the rules with this key: each chunk is
 * read once, when a request first shows a rule in it. Lint only explains rules
 * (it never changes a decision), so a chunk of other rules, or one that cannot
 * be read, gives no findings, and a line that cannot be read is left out.
 */
export function storedLintLookup(area: Pick<CacheArea, 'get'>, key: string): LintLookup {
  const texts = new Map<string, Promise<string>>();
  const textOf = (name: string) => {
    let text = texts.get(name);
    if (!text) {
      text = area.get(name).then(
        (stored) => {
          const chunk = stored[name] as Partial<RulesLintChunk> | undefined;
          return chunk?.format === LINT_FORMAT && chunk.key === key && typeof chunk.text === 'string' ? chunk.text : '';
        },
        () => '',
      );
      texts.set(name, text);
    }
    return text;
  };
  return async (source, index) =>
    Number.isInteger(index) && index >= 0 ? findingsIn(await textOf(lintChunkKey(source, Math.floor(index / LINT_CHUNK))), index) : [];
}

function findingsIn(text: string, index: number): Finding[] {
  const findings: Finding[] = [];
  const head = `\n${index}\t`;
  for (let at = text.indexOf(head); at >= 0 && text.startsWith(head, at);) {
    const end = text.indexOf('\n', at + 1);
    const finding = readLintLine(index, text.slice(at + head.length, end < 0 ? text.length : end));
    if (finding) findings.push(finding);
    if (end < 0) break;
    at = end;
  }
  return findings;
}
const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning']);
const CODES: ReadonlySet<string> = new Set(FINDING_CODES);

/** "<severity>\t<code>\t<message JSON>" back to a finding, or null. */
function readLintLine(index: number, rest: string): Finding | null {
  const [severity, code, message, extra] = rest.split('\t');
  if (extra !== undefined || severity === undefined || !SEVERITIES.has(severity) || !CODES.has(code ?? '') || message === undefined) return null;
  let text: unknown;
  try {
    text = JSON.parse(message);
  } catch {
    return null;
  }
  return typeof text === 'string' ? ({ index, severity, code, message: text } as Finding) : null;
}
