import { describe, expect, it } from 'vitest';
import { normalizePortPattern } from '../../src/engine/index';

describe('port pattern normalising (docs/rules.md §2)', () => {
  it.each([
    [undefined, '443'],
    [null, '443'],
    ['', '443'],
    ['  ', '443'],
    [8443, '8443'],
    ['08443', '8443'],
    [' 443 ', '443'],
    ['*', '*'],
    ['**', '*'],
    ['*443', '*443'],
    ['4**3', '4*3'],
    ['65535', '65535'],
    ['1', '1'],
  ])('%j → %j', (input, expected) => {
    expect(normalizePortPattern(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['0', /out of range/],
    ['00', /out of range/],
    ['70000', /out of range.*1 to 65535/],
    [65536, /out of range/],
    [-1, /only digits/],
    [443.5, /only digits/],
    ['44 3', /only digits/],
    ['https', /only digits/],
    [true, /string or a number, not a boolean/],
    [{}, /string or a number, not a object/],
    [[443], /not an array/],
  ])('%j is refused', (input, message) => {
    const result = normalizePortPattern(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
