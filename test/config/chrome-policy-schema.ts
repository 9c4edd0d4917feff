/**
 * A model of how Chrome treats an extension's managed_schema.json and the
 * policy values for it, written from Chromium's
 * components/policy/core/common/schema.cc and schema_map.cc:
 *
 * - Schema::Parse: JSON schema subset; unknown attributes are ignored; the
 *   root must be type "object" without additionalProperties/patternProperties;
 *   every schema needs a single string `type` (no type arrays, no anyOf) or
 *   `$ref`; `enum` only on string/integer; arrays need `items`.
 * - SchemaMap::FilterBundle: each top-level policy key is normalised with
 *   SCHEMA_ALLOW_UNKNOWN; a key without a schema, or whose value does not fit,
 *   is dropped (the extension never sees it). Inside objects, unknown
 *   properties are removed; an invalid list item invalidates the whole key.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = Record<string, unknown>;

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'] as const;
const ATTRIBUTES: Record<string, Record<string, string>> = {
  array: { description: 'string', id: 'string', items: 'object', sensitiveValue: 'boolean', title: 'string', type: 'string' },
  boolean: { description: 'string', id: 'string', sensitiveValue: 'boolean', title: 'string', type: 'string' },
  integer: {
    description: 'string',
    enum: 'array',
    id: 'string',
    maximum: 'number',
    minimum: 'number',
    sensitiveValue: 'boolean',
    title: 'string',
    type: 'string',
  },
  number: { description: 'string', id: 'string', sensitiveValue: 'boolean', title: 'string', type: 'string' },
  object: {
    additionalProperties: 'object',
    description: 'string',
    id: 'string',
    patternProperties: 'object',
    properties: 'object',
    required: 'array',
    sensitiveValue: 'boolean',
    title: 'string',
    type: 'string',
  },
  string: { description: 'string', enum: 'array', id: 'string', pattern: 'string', sensitiveValue: 'boolean', title: 'string', type: 'string' },
};

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** Problems Chrome would report when parsing the schema; [] = Chrome accepts it. */
export function chromeSchemaProblems(schema: unknown): string[] {
  const problems: string[] = [];
  if (jsonType(schema) !== 'object') return ['the schema must be a JSON object'];
  const root = schema as SchemaNode;
  if (root['type'] !== 'object') problems.push('the main schema must have type "object"');
  if ('additionalProperties' in root || 'patternProperties' in root) {
    problems.push('additionalProperties/patternProperties are not supported at the main schema');
  }
  checkNode(root, '$', problems);
  return problems;
}

function checkNode(node: SchemaNode, path: string, problems: string[]): void {
  if ('$ref' in node) return;
  const type = node['type'];
  if (typeof type !== 'string') {
    problems.push(`${path}: "type" must be a single string`);
    return;
  }
  if (!(TYPES as readonly string[]).includes(type)) {
    problems.push(`${path}: unknown type "${type}"`);
    return;
  }
  const allowed = ATTRIBUTES[type]!;
  for (const [attribute, value] of Object.entries(node)) {
    const expected = allowed[attribute];
    // Unknown attributes are ignored by Schema::Parse (kSchemaOptionsIgnoreUnknownAttributes).
    if (!expected) continue;
    const actual = jsonType(value);
    if (actual !== expected && !(expected === 'number' && actual === 'number')) {
      problems.push(`${path}: attribute "${attribute}" must be ${expected}`);
    }
  }
  if ('enum' in node) {
    const values = node['enum'];
    const itemType = type === 'integer' ? 'number' : 'string';
    if (!Array.isArray(values) || values.length === 0 || values.some((item) => typeof item !== itemType)) {
      problems.push(`${path}: "enum" must be a non-empty list of ${type} values`);
    }
  }
  if (type === 'array') {
    const items = node['items'];
    if (jsonType(items) !== 'object') problems.push(`${path}: an array schema needs "items"`);
    else checkNode(items as SchemaNode, `${path}.items`, problems);
  }
  if (type === 'object') {
    const properties = (node['properties'] ?? {}) as Record<string, unknown>;
    for (const [name, child] of Object.entries(properties)) {
      if (jsonType(child) !== 'object') problems.push(`${path}.${name}: must be a schema object`);
      else checkNode(child as SchemaNode, `${path}.${name}`, problems);
    }
    const required = node['required'];
    if (Array.isArray(required)) {
      for (const name of required) {
        if (typeof name !== 'string' || !(name in properties)) problems.push(`${path}: required "${String(name)}" is not a property`);
      }
    }
  }
}

type Normalized = { ok: true; value: Json } | { ok: false; error: string };

/** Schema::Normalize with SCHEMA_ALLOW_UNKNOWN for one value. */
export function normalizeValue(schema: SchemaNode, value: Json, path = '$'): Normalized {
  const type = schema['type'] as string;
  const actual = jsonType(value);
  // Chrome's integer type takes only whole numbers; number takes integers too.
  const fits = type === 'integer' ? typeof value === 'number' && Number.isInteger(value) : type === 'number' ? typeof value === 'number' : type === actual;
  if (!fits) return { ok: false, error: `${path}: policy type mismatch: expected ${type}, actual ${actual}` };
  if ((type === 'string' || type === 'integer') && Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).includes(value)) {
    return { ok: false, error: `${path}: value not in enum` };
  }
  if (type === 'integer') {
    const n = value as number;
    if (typeof schema['minimum'] === 'number' && n < schema['minimum']) return { ok: false, error: `${path}: below minimum` };
    if (typeof schema['maximum'] === 'number' && n > schema['maximum']) return { ok: false, error: `${path}: above maximum` };
  }
  if (type === 'string' && typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern']).test(value as string)) {
    return { ok: false, error: `${path}: does not match pattern` };
  }
  if (type === 'array') {
    const items = schema['items'] as SchemaNode;
    const out: Json[] = [];
    for (const [index, item] of (value as Json[]).entries()) {
      const normalized = normalizeValue(items, item, `${path}[${index}]`);
      if (!normalized.ok) return normalized;
      out.push(normalized.value);
    }
    return { ok: true, value: out };
  }
  if (type === 'object') {
    const properties = (schema['properties'] ?? {}) as Record<string, SchemaNode>;
    const additional = schema['additionalProperties'] as SchemaNode | undefined;
    const out: Record<string, Json> = {};
    for (const [key, child] of Object.entries(value as Record<string, Json>)) {
      const childSchema = properties[key] ?? additional;
      if (!childSchema) continue; // unknown property: dropped with a warning
      const normalized = normalizeValue(childSchema, child, `${path}.${key}`);
      if (!normalized.ok) return normalized;
      out[key] = normalized.value;
    }
    for (const name of (schema['required'] as string[] | undefined) ?? []) {
      if (!(name in out)) return { ok: false, error: `${path}: missing required property ${name}` };
    }
    return { ok: true, value: out };
  }
  return { ok: true, value };
}

/** What storage.managed returns in Chrome for this policy object, and what Chrome dropped. */
export function chromeFilterPolicy(schema: SchemaNode, policy: Record<string, Json>): { delivered: Record<string, Json>; dropped: string[] } {
  const properties = (schema['properties'] ?? {}) as Record<string, SchemaNode>;
  const delivered: Record<string, Json> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(policy)) {
    const propertySchema = properties[key];
    const normalized = propertySchema ? normalizeValue(propertySchema, value, key) : null;
    if (normalized?.ok) delivered[key] = normalized.value;
    else dropped.push(key);
  }
  return { delivered, dropped };
}
