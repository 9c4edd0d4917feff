/**
 * Reads regedit files (.reg, "Windows Registry Editor Version 5.00") into a
 * registry tree, and turns a key of that tree into the object a browser sees,
 * modelled on each browser's source:
 *
 * - Chrome/Edge: components/policy/core/common/registry_dict.cc
 *   (RegistryDict::ConvertToJSON, ConvertRegistryValue). The extension's
 *   managed_schema.json drives the conversion: a string where the schema wants
 *   an object or array is parsed as JSON; numbered subkeys/values become list
 *   items; integers may also be written as strings. Names compare without case.
 * - Firefox: toolkit/components/enterprisepolicies/WindowsGPOParser.sys.mjs
 *   (registryToObject): no schema; REG_SZ stays a string, REG_DWORD is a
 *   number, subkeys are objects, and subkeys (or values) named 1, 2, … are a list.
 *
 * Only what the examples need is supported: REG_SZ ("…"), REG_DWORD
 * (dword:XXXXXXXX), key and value deletion. Anything else is an error, so an
 * example cannot silently use a form this model does not understand.
 */

export type RegValue = { name: string; type: 'REG_SZ'; data: string } | { name: string; type: 'REG_DWORD'; data: number };

export interface RegKey {
  name: string;
  /** In file order (Windows keeps values in the order they were written). */
  values: RegValue[];
  subkeys: RegKey[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = Record<string, unknown>;

const HEADER = 'Windows Registry Editor Version 5.00';
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
/** Windows enumerates subkeys in case-insensitive name order. */
const byName = (a: { name: string }, b: { name: string }) => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Decodes a .reg file: UTF-16LE with BOM (what regedit writes) or plain ASCII. */
export function decodeRegFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  const nonAscii = bytes.findIndex((byte) => byte > 0x7e || (byte < 0x20 && byte !== 0x0d && byte !== 0x0a && byte !== 0x09));
  if (nonAscii !== -1) throw new Error(`byte ${nonAscii} is not ASCII: save the file as UTF-16LE ("Unicode") or keep it ASCII`);
  return new TextDecoder('ascii').decode(bytes);
}

function readQuoted(line: string, start: number): { text: string; next: number } {
  if (line[start] !== '"') throw new Error(`expected a quoted string at ${start}: ${line}`);
  let text = '';
  for (let at = start + 1; at < line.length; at++) {
    const char = line[at]!;
    if (char === '"') return { text, next: at + 1 };
    if (char === '\\') {
      const escaped = line[at + 1];
      if (escaped !== '\\' && escaped !== '"') throw new Error(`unsupported escape \\${escaped ?? ''} in: ${line}`);
      text += escaped;
      at++;
    } else {
      text += char;
    }
  }
  throw new Error(`unterminated string: ${line}`);
}

/** The tree the file leaves behind when imported into an empty registry. */
export function parseRegFile(text: string): RegKey {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== HEADER) throw new Error(`the first line must be "${HEADER}"`);
  const root: RegKey = { name: '', values: [], subkeys: [] };
  let current: RegKey | null = null;

  const walk = (path: string, create: boolean): { parent: RegKey; key: RegKey | null; name: string } => {
    const parts = path.split('\\');
    if (parts.some((part) => part === '')) throw new Error(`bad key path "${path}"`);
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let child = node.subkeys.find((candidate) => same(candidate.name, part));
      if (!child) {
        if (!create) return { parent: node, key: null, name: parts.at(-1)! };
        child = { name: part, values: [], subkeys: [] };
        node.subkeys.push(child);
      }
      node = child;
    }
    const name = parts.at(-1)!;
    let key = node.subkeys.find((candidate) => same(candidate.name, name)) ?? null;
    if (!key && create) {
      key = { name, values: [], subkeys: [] };
      node.subkeys.push(key);
    }
    return { parent: node, key, name };
  };

  for (const [index, line] of lines.entries()) {
    if (index === 0 || line.trim() === '' || line.startsWith(';')) continue;
    const section = /^\[(-?)([^\]]+)\]$/.exec(line);
    if (section) {
      if (section[1] === '-') {
        const { parent, name } = walk(section[2]!, false);
        parent.subkeys = parent.subkeys.filter((candidate) => !same(candidate.name, name));
        current = null;
      } else {
        current = walk(section[2]!, true).key;
      }
      continue;
    }
    if (!current) throw new Error(`line ${index + 1}: a value outside a [key] section`);
    let name: string;
    let rest: string;
    if (line.startsWith('@=')) {
      name = '';
      rest = line.slice(2);
    } else {
      const quoted = readQuoted(line, 0);
      if (line[quoted.next] !== '=') throw new Error(`line ${index + 1}: expected "=" after the value name`);
      name = quoted.text;
      rest = line.slice(quoted.next + 1);
    }
    const key = current;
    key.values = key.values.filter((value) => !same(value.name, name));
    if (rest === '-') continue;
    if (rest.startsWith('"')) {
      const quoted = readQuoted(rest, 0);
      if (quoted.next !== rest.length) throw new Error(`line ${index + 1}: text after the string`);
      key.values.push({ name, type: 'REG_SZ', data: quoted.text });
      continue;
    }
    const dword = /^dword:([0-9a-fA-F]{8})$/.exec(rest);
    if (dword) {
      // Chrome reads a DWORD as a signed int (static_cast<int>).
      key.values.push({ name, type: 'REG_DWORD', data: parseInt(dword[1]!, 16) | 0 });
      continue;
    }
    throw new Error(`line ${index + 1}: unsupported value "${rest}" (only "strings" and dword:XXXXXXXX)`);
  }
  return root;
}

/** The key at a path such as HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Google\Chrome (any case), or null. */
export function regKey(root: RegKey, path: string): RegKey | null {
  let node: RegKey | undefined = root;
  for (const part of path.split('\\')) {
    node = node.subkeys.find((candidate) => same(candidate.name, part));
    if (!node) return null;
  }
  return node;
}

// ---- Chrome / Edge -------------------------------------------------------

const rawValue = (value: RegValue): Json => value.data;
const schemaType = (schema: SchemaNode | undefined) => schema?.['type'] as string | undefined;

function jsonTypeOf(value: Json): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const isKeyNumerical = (name: string) => /^[+-]?\d+$/.test(name) && Math.abs(Number(name)) <= 2 ** 31 - 1;

/** ConvertRegistryValue: one value (already JSON) toward the schema type; undefined = dropped. */
export function chromeConvertValue(value: Json, schema: SchemaNode | undefined): Json | undefined {
  const type = schemaType(schema);
  if (!schema || !type) return value;
  const actual = jsonTypeOf(value);
  if (actual === type) {
    if (type === 'object') {
      const properties = (schema['properties'] ?? {}) as Record<string, SchemaNode>;
      const out: Record<string, Json> = {};
      for (const [name, child] of Object.entries(value as Record<string, Json>)) {
        const converted = chromeConvertValue(child, properties[name]);
        if (converted !== undefined) out[name] = converted;
      }
      return out;
    }
    if (type === 'array') {
      return (value as Json[]).flatMap((item) => {
        const converted = chromeConvertValue(item, schema['items'] as SchemaNode);
        return converted === undefined ? [] : [converted];
      });
    }
    return value;
  }
  switch (type) {
    case 'boolean':
      if (typeof value === 'number') return value !== 0;
      if (typeof value === 'string' && isKeyNumerical(value)) return Number(value) !== 0;
      return undefined;
    case 'integer':
      return typeof value === 'string' && isKeyNumerical(value) ? Number(value) : undefined;
    case 'number':
      if (typeof value === 'number') return value;
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
    case 'array':
    case 'object': {
      // "Dictionaries [and lists] may be encoded as JSON strings."
      if (typeof value !== 'string') return undefined;
      try {
        const parsed = JSON.parse(value) as Json;
        return jsonTypeOf(parsed) === type ? parsed : undefined;
      } catch {
        return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** RegistryDict::ConvertToJSON: a key (with values and subkeys) under a schema. */
export function chromeConvertKey(key: RegKey, schema: SchemaNode | undefined): Json | undefined {
  const type = schemaType(schema) ?? 'object';
  if (type === 'object') {
    const properties = (schema?.['properties'] ?? {}) as Record<string, SchemaNode>;
    const out: Record<string, Json> = {};
    for (const value of [...key.values].sort(byName)) {
      const converted = chromeConvertValue(rawValue(value), properties[value.name]);
      if (converted !== undefined) out[value.name] = converted;
    }
    for (const subkey of [...key.subkeys].sort(byName)) {
      const converted = chromeConvertKey(subkey, properties[subkey.name]);
      if (converted !== undefined) out[subkey.name] = converted;
    }
    return out;
  }
  if (type === 'array') {
    const items = schema?.['items'] as SchemaNode | undefined;
    const out: Json[] = [];
    // Subkeys first, then values, each in (string) name order: "10" sorts before "2".
    for (const subkey of [...key.subkeys].sort(byName)) {
      if (!isKeyNumerical(subkey.name)) continue;
      const converted = chromeConvertKey(subkey, items);
      if (converted !== undefined) out.push(converted);
    }
    for (const value of [...key.values].sort(byName)) {
      if (!isKeyNumerical(value.name)) continue;
      const converted = chromeConvertValue(rawValue(value), items);
      if (converted !== undefined) out.push(converted);
    }
    return out;
  }
  return undefined;
}

// ---- Firefox -------------------------------------------------------------

/** registryToObject from WindowsGPOParser. */
export function firefoxConvertKey(key: RegKey): Json {
  const out: Record<string, Json> = {};
  if (key.values.length > 0) {
    if (key.values[0]!.name === '1') return key.values.map(rawValue);
    for (const value of key.values) out[value.name] = rawValue(value);
  }
  const subkeys = [...key.subkeys].sort(byName);
  if (subkeys.length > 0) {
    if (subkeys[0]!.name === '1') return subkeys.map(firefoxConvertKey);
    for (const subkey of subkeys) out[subkey.name] = firefoxConvertKey(subkey);
  }
  return out;
}
