import { describe, expect, it } from 'vitest';
import { normalizeHostPattern } from '../../src/engine/index';

const value = (input: unknown) => {
  const result = normalizeHostPattern(input);
  if (!result.ok) throw new Error(`expected ok for ${JSON.stringify(input)}, got: ${result.message}`);
  return result.value;
};
const problem = (input: unknown) => {
  const result = normalizeHostPattern(input);
  if (result.ok) throw new Error(`expected an error for ${JSON.stringify(input)}, got ${result.value}`);
  return result.message;
};

describe('host pattern normalising (docs/rules.md §2)', () => {
  it.each([
    ['  Mail.ACME.com ', 'mail.acme.com'],
    ['acme.com.', 'acme.com'],
    ['*.acme.com', '*.acme.com'],
    ['**.acme.com', '*.acme.com'],
    ['a***b', 'a*b'],
    ['*', '*'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['MÜNCHEN.DE', 'xn--mnchen-3ya.de'],
    ['*.münchen.de', '*.xn--mnchen-3ya.de'],
    ['xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
    ['[::1]', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['[FE80::1]', 'fe80::1'],
    ['fe80::*', 'fe80::*'],
    ['[fe80::**]', 'fe80::*'],
    ['10.0.0.*', '10.0.0.*'],
    ['under_score.acme.com', 'under_score.acme.com'],
  ])('%j → %j', (input, expected) => {
    expect(value(input)).toBe(expected);
  });

  it.each([
    [42, /must be a string/],
    [null, /must be a string/],
    [['a'], /must be a string, not an array/],
    ['', /empty/],
    ['   ', /empty/],
    ['.', /empty/],
    ['https://bad.acme.com/', /scheme \("https:\/\/"\); write just the host, e\.g\. "bad\.acme\.com"/],
    ['acme.com/path', /path.*"acme\.com"/],
    ['acme.com?x', /path, query or fragment/],
    ['acme.com:8443', /port \(":8443"\); write "acme\.com" as the host and "8443" in the port field/],
    ['[::1]:8443', /port/],
    ['bad host.acme.com', /white space/],
    ['a..acme.com', /empty label/],
    ['.acme.com', /starts with "\."; for every subdomain write "\*\.acme\.com"/],
    ['acme.com..', /empty label/],
    ['acme!.com', /contains "!"/],
    ['user@acme.com', /user name/],
    ['*münchen.de', /mixes non-ASCII letters and "\*"/],
    ['fe80::g', /not an IPv6 address/],
    ['1::2::3', /not a valid IPv6 address/],
  ])('%j is refused with a precise message', (input, message) => {
    expect(problem(input)).toMatch(message);
  });
});
