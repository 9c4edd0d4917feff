import { describe, expect, it } from 'vitest';
import { chromeConvertKey, chromeConvertValue, decodeRegFile, firefoxConvertKey, parseRegFile, regKey } from './windows-registry';

const file = (...lines: string[]) => ['Windows Registry Editor Version 5.00', '', ...lines, ''].join('\r\n');
const schema = {
  type: 'object',
  properties: {
    text: { type: 'string' },
    count: { type: 'integer' },
    flag: { type: 'boolean' },
    list: { type: 'array', items: { type: 'object', properties: { host: { type: 'string' } } } },
    names: { type: 'array', items: { type: 'string' } },
    filter: { type: 'object', properties: { CN: { type: 'string' } } },
  },
};

describe('.reg reader', () => {
  it('reads strings with \\\\ and \\" escapes, dwords, nested keys, and deletions', () => {
    const root = parseRegFile(
      file(
        '; a comment',
        '[HKEY_LOCAL_MACHINE\\SOFTWARE\\A\\B]',
        '"s"="say \\"hi\\" C:\\\\x"',
        '"n"=dword:0000002a',
        '"gone"="x"',
        '"gone"=-',
        '[HKEY_LOCAL_MACHINE\\SOFTWARE\\A\\C]',
        '"v"="1"',
        '[-HKEY_LOCAL_MACHINE\\SOFTWARE\\A\\C]',
      ),
    );
    const key = regKey(root, 'hkey_local_machine\\software\\a\\b');
    expect(key?.values).toEqual([
      { name: 's', type: 'REG_SZ', data: 'say "hi" C:\\x' },
      { name: 'n', type: 'REG_DWORD', data: 42 },
    ]);
    expect(regKey(root, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\A\\C')).toBeNull();
  });

  it('refuses what it does not model, and non-ASCII text that is not UTF-16', () => {
    expect(() => parseRegFile('REGEDIT4\r\n')).toThrow(/first line/);
    expect(() => parseRegFile(file('[HKEY_LOCAL_MACHINE\\X]', '"b"=hex:01,02'))).toThrow(/unsupported value/);
    expect(() => parseRegFile(file('"orphan"="x"'))).toThrow(/outside a \[key\]/);
    expect(() => parseRegFile(file('[HKEY_LOCAL_MACHINE\\X]', '"t"="a\\nb"'))).toThrow(/escape/);
    expect(() => decodeRegFile(new TextEncoder().encode('Windows Registry Editor Version 5.00\r\n"x"="é"'))).toThrow(/ASCII/);
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...'ok'].map((c) => c.charCodeAt(0))).buffer)]);
    expect(decodeRegFile(utf16)).toBe('ok');
  });
});

describe("Chrome's registry conversion (registry_dict.cc)", () => {
  it('parses JSON text where the schema wants an object or a list, and integers written as strings', () => {
    const key = regKey(
      parseRegFile(
        file(
          '[HKEY_LOCAL_MACHINE\\P]',
          '"text"="plain"',
          '"count"="17"',
          '"flag"=dword:00000001',
          '"list"="[{\\"host\\":\\"a\\"}]"',
          '"filter"="{\\"CN\\":\\"CA\\"}"',
          '"unknown"="kept for the schema filter to drop"',
        ),
      ),
      'HKEY_LOCAL_MACHINE\\P',
    )!;
    expect(chromeConvertKey(key, schema)).toEqual({
      text: 'plain',
      count: 17,
      flag: true,
      list: [{ host: 'a' }],
      filter: { CN: 'CA' },
      unknown: 'kept for the schema filter to drop',
    });
  });

  it('drops values it cannot convert: a number for a string, bad JSON, JSON of the wrong type', () => {
    const key = regKey(
      parseRegFile(file('[HKEY_LOCAL_MACHINE\\P]', '"text"=dword:00000001', '"list"="[oops"', '"filter"="[1]"', '"count"="12x"')),
      'HKEY_LOCAL_MACHINE\\P',
    )!;
    expect(chromeConvertKey(key, schema)).toEqual({});
  });

  it('reads numbered subkeys and values as a list, in string order of their names', () => {
    const lines = [
      '[HKEY_LOCAL_MACHINE\\P\\list\\2]',
      '"host"="two"',
      '[HKEY_LOCAL_MACHINE\\P\\list\\10]',
      '"host"="ten"',
      '[HKEY_LOCAL_MACHINE\\P\\list\\x]',
      '"host"="ignored"',
    ];
    lines.push('[HKEY_LOCAL_MACHINE\\P\\names]', '"1"="a"', '"2"="b"', '"note"="ignored"');
    const key = regKey(parseRegFile(file(...lines)), 'HKEY_LOCAL_MACHINE\\P')!;
    // "10" sorts before "2": why the guide writes long lists as JSON text instead.
    expect(chromeConvertKey(key, schema)).toEqual({ list: [{ host: 'ten' }, { host: 'two' }], names: ['a', 'b'] });
    expect(chromeConvertValue('0', { type: 'boolean' })).toBe(false);
  });
});

describe("Firefox's registry reading (WindowsGPOParser)", () => {
  it('keeps strings as strings (no JSON), numbers as numbers, and reads subkeys named 1, 2, … as a list', () => {
    const root = parseRegFile(
      file(
        '[HKEY_LOCAL_MACHINE\\F]',
        '"text"="[1,2]"',
        '"count"=dword:00000005',
        '[HKEY_LOCAL_MACHINE\\F\\list\\1]',
        '"host"="one"',
        '[HKEY_LOCAL_MACHINE\\F\\list\\2]',
        '"host"="two"',
        '[HKEY_LOCAL_MACHINE\\F\\names]',
        '"1"="a"',
        '"2"="b"',
        '[HKEY_LOCAL_MACHINE\\F\\filter\\issuer]',
        '"CN"="CA"',
      ),
    );
    expect(firefoxConvertKey(regKey(root, 'HKEY_LOCAL_MACHINE\\F')!)).toEqual({
      text: '[1,2]',
      count: 5,
      list: [{ host: 'one' }, { host: 'two' }],
      names: ['a', 'b'],
      filter: { issuer: { CN: 'CA' } },
    });
  });
});
