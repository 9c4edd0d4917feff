import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxMessage, jsonSyntaxProblem } from '../../src/engine/json-syntax';
import { propertyRuns } from '../helpers/property-runs';

describe('where JSON text goes wrong, by line and column', () => {
  it.each([
    ['[{"a":1} {"b":2}]', 1, 10, 'expected "," or "]" after an array element, found "{"'],
    ['[\n  {"host": "a"}\n  {"host": "b"}\n]', 3, 3, 'expected "," or "]" after an array element, found "{"'],
    ['[1,2', 1, 5, 'expected "," or "]" after an array element, found the end of the text'],
    ['{"a" 1}', 1, 6, 'expected ":" after the property name, found "1"'],
    ['[abc]', 1, 2, 'expected a value (text in double quotes, a number, true, false, null, [ or {), found "a"'],
    ['', 1, 1, 'expected a value (text in double quotes, a number, true, false, null, [ or {), found the end of the text'],
    ['{"a":1,}', 1, 8, 'expected another property after ","; JSON allows no "," before "}", found "}"'],
    ['[1,\n 2,\n]', 3, 1, 'expected another element after ","; JSON allows no "," before "]", found "]"'],
    ["{'host': 'a'}", 1, 2, 'expected a property name in double quotes, found "\'"'],
    ['{"host": "a\nb"}', 1, 12, 'a line break or control character inside a text in double quotes; write it as \\n or \\t, or close the quotes'],
    ['["\\x"]', 1, 3, 'expected an escape such as \\" \\\\ \\n or \\u00e9 after "\\", found "x"'],
    ['["open', 1, 2, 'expected the closing double quote of this text, found the end of the text'],
    ['[] []', 1, 4, 'expected the end of the text after the JSON value, found "["'],
    ['[01]', 1, 3, 'expected "," or "]" after an array element, found "1"'],
    ['\uFEFF[]', 1, 1, 'expected a value (text in double quotes, a number, true, false, null, [ or {), found the character U+FEFF'],
  ])('%j: line %i, column %i', (text, line, column, message) => {
    expect(jsonSyntaxProblem(text)).toEqual({ line, column, message });
    expect(() => JSON.parse(text)).toThrow();
  });

  it('says it in one line, with no character positions or parser words', () => {
    expect(jsonSyntaxMessage('[\n  {"host": "a"}\n  {"host": "b"}\n]')).toBe(
      'not valid JSON at line 3, column 3: expected "," or "]" after an array element, found "{"',
    );
    expect(jsonSyntaxMessage('[{"host": "a"}]')).toBeNull();
  });

  it('valid JSON has no problem, however deep', () => {
    expect(jsonSyntaxProblem(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeNull();
    expect(jsonSyntaxProblem(' {"a": [1, -2.5e+3, "x\\u00e9\\n", true, false, null, {}], "b": {"c": []}} ')).toBeNull();
  });

  it('agrees with JSON.parse on valid documents and on every damaged one', () => {
    const damaged = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', ']', '}', '"', ':', 'x', '\n', '\\', '[', '{', ' '), fc.boolean())
      .map(([text, at, piece, remove]) => {
        const where = text.length === 0 ? 0 : at % text.length;
        return remove ? text.slice(0, where) + text.slice(where + 1) : text.slice(0, where) + piece + text.slice(where);
      });
    fc.assert(
      fc.property(fc.oneof(fc.json(), damaged), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(jsonSyntaxProblem(text) === null).toBe(valid);
      }),
      { numRuns: propertyRuns(2000) },
    );
  });
});
