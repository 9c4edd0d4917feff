import { lazySchema, z } from '../lib/zod';
import type { CompiledSource } from './compile';
import { FindingSchema, SourceNameSchema, type NormalizedRule, type SourceName } from './model';
import { fail, ok, type Result } from './result';

/**
 * The compact text form of normalised rules, one line per rule, sections per
 * source (the background keys its compiled-rules cache by it: equal text,
 * equal rules; a rule set is stored whole by rule-set.ts saveRuleSet):
 *
 *   cert-rules/1 3                     format and rule count (a cut-off string is caught)
 *   @profile {"total":4,…}             a source; the JSON part only in encodeSources
 *   +intranet.acme.com                 + useEnrollmentCertificate, - noCertificate
 *   -*.lab.acme.com 8443               port written only when it is not 443
 *   +fe80::*#3                         index written only when it is not previous + 1
 *
 * Normalised hosts and ports never contain a space, "#", "@" or a line break,
 * so no escaping is needed. Decoding checks every line against that grammar and
 * fails on anything else, so a damaged string fails closed (the caller treats it
 * as unreadable storage) instead of yielding a partial rule set — dropping a
 * deny rule would widen where the certificate goes.
 */
const MAGIC = 'cert-rules/1';
const RULE_LINE = /^([+-])([a-z0-9._\-*:]+)(?: ([0-9*]+))?(?:#(0|[1-9][0-9]{0,8}))?$/;
const SOURCE_LINE = /^@([a-z]+)(?: (.*))?$/;

const SourceMetaSchema = lazySchema(() =>
  z.object({
    label: z.optional(z.string()),
    accepted: z.boolean(),
    total: z.number().check(z.int(), z.nonnegative()),
    errors: z.array(FindingSchema),
    warnings: z.array(FindingSchema),
  }),
);
type SourceMeta = z.infer<typeof SourceMetaSchema>;

/** Rules (in overall order, any mix of sources) to the stored string. */
export function encodeRules(rules: readonly NormalizedRule[]): string {
  return encode(groupBySource(rules).map(({ name, rules: group }) => ({ name, meta: null, rules: group })));
}

/** The stored string back to rules; fails on anything that encodeRules could not have written. */
export function decodeRules(text: string): Result<NormalizedRule[]> {
  const decoded = decode(text);
  return decoded.ok ? ok(decoded.value.flatMap((section) => section.rules)) : decoded;
}

/** Whole validated sources (labels, counts, findings and rules) to one string. */
export function encodeSources(sources: readonly CompiledSource[]): string {
  return encode(
    sources.map((source) => {
      const meta: SourceMeta = { accepted: source.accepted, total: source.total, errors: source.errors, warnings: source.warnings };
      if (source.label !== undefined) meta.label = source.label;
      return { name: source.name, meta, rules: source.rules };
    }),
  );
}

export function decodeSources(text: string): Result<CompiledSource[]> {
  const decoded = decode(text);
  if (!decoded.ok) return decoded;
  const sources: CompiledSource[] = [];
  for (const section of decoded.value) {
    if (section.meta === null) return fail(`the stored source "${section.name}" has no description`);
    sources.push({ name: section.name, ...section.meta, label: section.meta.label, rules: section.rules });
  }
  return ok(sources);
}

interface Section {
  name: SourceName;
  meta: SourceMeta | null;
  rules: NormalizedRule[];
}

function groupBySource(rules: readonly NormalizedRule[]): { name: SourceName; rules: NormalizedRule[] }[] {
  const groups: { name: SourceName; rules: NormalizedRule[] }[] = [];
  for (const rule of rules) {
    const last = groups[groups.length - 1];
    // Indices rise within a source; a repeat starts a new section rather than being lost.
    if (last && last.name === rule.source && (last.rules[last.rules.length - 1] as NormalizedRule).index < rule.index) last.rules.push(rule);
    else groups.push({ name: rule.source, rules: [rule] });
  }
  return groups;
}

function encode(sections: readonly { name: SourceName; meta: SourceMeta | null; rules: readonly NormalizedRule[] }[]): string {
  const lines = [`${MAGIC} ${sections.reduce((sum, section) => sum + section.rules.length, 0)}`];
  for (const section of sections) {
    lines.push(section.meta === null ? `@${section.name}` : `@${section.name} ${JSON.stringify(section.meta)}`);
    let previous = -1;
    for (const rule of section.rules) {
      let line = (rule.action === 'noCertificate' ? '-' : '+') + rule.host;
      if (rule.port !== '443') line += ` ${rule.port}`;
      if (rule.index !== previous + 1) line += `#${rule.index}`;
      previous = rule.index;
      lines.push(line);
    }
  }
  return lines.join('\n');
}

function decode(text: string): Result<Section[]> {
  const lines = text.split('\n');
  const header = /^cert-rules\/1 (0|[1-9][0-9]{0,8})$/.exec(lines[0] ?? '');
  if (!header) return fail('the stored rules are not in a format this version reads');
  const sections: Section[] = [];
  let section: Section | null = null;
  let previous = -1;
  let count = 0;
  for (let at = 1; at < lines.length; at++) {
    const line = lines[at] as string;
    if (line.charCodeAt(0) === 0x40 /* @ */) {
      const parsed = parseSourceLine(line);
      if (!parsed.ok) return fail(`stored rules, line ${at + 1}: ${parsed.message}`);
      section = { ...parsed.value, rules: [] };
      sections.push(section);
      previous = -1;
      continue;
    }
    const match = RULE_LINE.exec(line);
    if (!match || section === null) return fail(`stored rules, line ${at + 1} is damaged`);
    const port = match[3] ?? '443';
    const index = match[4] === undefined ? previous + 1 : Number(match[4]);
    if (index <= previous || !validPort(port) || (match[2] as string).includes('**')) return fail(`stored rules, line ${at + 1} is damaged`);
    previous = index;
    section.rules.push({
      source: section.name,
      index,
      host: match[2] as string,
      port,
      action: match[1] === '-' ? 'noCertificate' : 'useEnrollmentCertificate',
    });
    count += 1;
  }
  if (count !== Number(header[1])) return fail(`the stored rules are incomplete (${count} of ${header[1]})`);
  return ok(sections);
}

function parseSourceLine(line: string): Result<{ name: SourceName; meta: SourceMeta | null }> {
  const match = SOURCE_LINE.exec(line);
  const name = SourceNameSchema.safeParse(match?.[1]);
  if (!match || !name.success) return fail('unknown source');
  if (match[2] === undefined) return ok({ name: name.data, meta: null });
  let json: unknown;
  try {
    json = JSON.parse(match[2]);
  } catch {
    return fail('damaged source description');
  }
  const meta = SourceMetaSchema.safeParse(json);
  return meta.success ? ok({ name: name.data, meta: meta.data }) : fail('damaged source description');
}

/** A port pattern as normalising writes it: with a star, or 1–65535 without leading zeros. */
function validPort(port: string): boolean {
  if (port.includes('*')) return !port.includes('**');
  const value = Number(port);
  return port[0] !== '0' && value >= 1 && value <= 65535;
}
