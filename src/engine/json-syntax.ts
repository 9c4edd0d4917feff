import { parseRuleText, type RuleDocument } from './rule-document';

/**
 * Where JSON text first goes wrong, said so a person can find and fix it:
 * the line and column (from 1), what JSON needs there and what is there
 * instead. JSON.parse says "Expected ',' or ']' after array element in JSON
 * at position 13", or names no place at all ("Unexpected token 'a'"); people
 * editing a rules file count lines, not characters.
 *
 * One pass over the text that builds no value, with its own stack (so depth
 * costs no recursion).
 */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  /** "expected …, found …", in words. */
  message: string;
}

type State = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'after';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const VALUE = 'a value (text in double quotes, a number, true, false, null, [ or {)';

/** The first syntax problem of `text`, or null when it is valid JSON. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  const stack: ('[' | '{')[] = [];
  let state: State = 'value';
  let afterComma = false;
  let at = 0;
  const fail = (expected: string): JsonSyntaxProblem => ({ ...lineAndColumn(text, at), message: `expected ${expected}, found ${found(text, at)}` });
  for (;;) {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at++;
    const char = text[at];
    if (char === undefined) return state === 'after' && stack.length === 0 ? null : fail(expectedAtEnd(state, stack));
    switch (state) {
      case 'value-or-close':
      case 'value': {
        if (char === ']' && (state === 'value-or-close' || afterComma)) {
          if (afterComma) return fail('another element after ","; JSON allows no "," before "]"');
          stack.pop();
          at++;
          state = 'after';
          break;
        }
        if (char === '[' || char === '{') {
          stack.push(char);
          at++;
          state = char === '[' ? 'value-or-close' : 'key-or-close';
          break;
        }
        const end = char === '"' ? stringEnd(text, at) : (matchAt(NUMBER, text, at) ?? matchAt(LITERAL, text, at));
        if (end === null) return fail(VALUE);
        if (typeof end !== 'number') return { ...lineAndColumn(text, end.at), message: end.message };
        at = end;
        state = 'after';
        break;
      }
      case 'key-or-close':
      case 'key': {
        if (char === '}') {
          if (afterComma) return fail('another property after ","; JSON allows no "," before "}"');
          stack.pop();
          at++;
          state = 'after';
          break;
        }
        if (char !== '"') return fail('a property name in double quotes');
        const end = stringEnd(text, at);
        if (typeof end !== 'number') return { ...lineAndColumn(text, end.at), message: end.message };
        at = end;
        state = 'colon';
        break;
      }
      case 'colon':
        if (char !== ':') return fail('":" after the property name');
        at++;
        state = 'value';
        break;
      case 'after': {
        const open = stack.at(-1);
        if (open === undefined) return fail('the end of the text after the JSON value');
        const close = open === '[' ? ']' : '}';
        if (char === ',') {
          at++;
          state = open === '[' ? 'value' : 'key';
          afterComma = true;
          continue;
        }
        if (char !== close) return fail(open === '[' ? '"," or "]" after an array element' : '"," or "}" after a property');
        stack.pop();
        at++;
        break;
      }
    }
    afterComma = false;
  }
}

/** "not valid JSON at line 3, column 3: expected …" — or null when the text is valid JSON. */
export function jsonSyntaxMessage(text: string): string | null {
  const problem = jsonSyntaxProblem(text);
  return problem && `not valid JSON at line ${problem.line}, column ${problem.column}: ${problem.message}`;
}

function expectedAtEnd(state: State, stack: readonly string[]): string {
  if (state === 'colon') return '":" after the property name';
  if (state === 'key' || state === 'key-or-close') return 'a property name in double quotes';
  if (state === 'after') return stack.at(-1) === '[' ? '"," or "]" after an array element' : '"," or "}" after a property';
  return VALUE;
}

/** Where a string that opens at `start` ends (just after its closing quote), or what is wrong in it. */
function stringEnd(text: string, start: number): number | { at: number; message: string } {
  for (let at = start + 1; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22) return at + 1;
    if (code < 0x20) return { at, message: 'a line break or control character inside a text in double quotes; write it as \\n or \\t, or close the quotes' };
    if (code !== 0x5c) continue;
    const escape = text[at + 1];
    if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) at += 5;
    else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) at++;
    else return { at, message: `expected an escape such as \\" \\\\ \\n or \\u00e9 after "\\", found ${found(text, at + 1)}` };
  }
  return { at: start, message: 'expected the closing double quote of this text, found the end of the text' };
}

function matchAt(pattern: RegExp, text: string, at: number): number | null {
  pattern.lastIndex = at;
  return pattern.test(text) ? pattern.lastIndex : null;
}

function found(text: string, at: number): string {
  const char = text.codePointAt(at);
  if (char === undefined) return 'the end of the text';
  const shown = String.fromCodePoint(char);
  return /\s/.test(shown) || char < 0x20 ? `the character U+${char.toString(16).toUpperCase().padStart(4, '0')}` : `"${shown}"`;
}

function lineAndColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < at; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/**
 * parseRuleText for the command line and the pages: a JSON syntax error is
 * told by line and column (jsonSyntaxMessage). The service worker keeps
 * parseRuleText (the policy's rules text): this finder would cost it 1 KB
 * gzip of its 40 KB.
 */
export function parseRuleFile(text: string): RuleDocument {
  const document = parseRuleText(text);
  if (document.ok || document.path !== '$') return document;
  return { ...document, message: jsonSyntaxMessage(text) ?? document.message };
}
