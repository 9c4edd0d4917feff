import { compileGlob, globCovers, type Glob } from './glob';
import type { Finding, NormalizedRule } from './model';
import { normalizeRule } from './rule';

/** One rule as the unreachable check sees it. */
export interface LintEntry {
  rule: NormalizedRule;
  /** Place in the source's list: "earlier" and "first" are in this order. */
  position: number;
  host: Glob;
  port: Glob;
}

/**
 * Which of the wildcard rules (given in list order) may cover a rule's host
 * and port, in list order: every one of them, unless a finder that knows
 * better is given (lint-index.ts files them by host and port; the pages and the
 * CLI use it, the service worker keeps this scan, whose code is smaller). A
 * finder may return rules that cannot cover, never leave out one that can:
 * each candidate is checked.
 */
export type CoverFinder = (wide: readonly LintEntry[]) => (rule: { host: Glob; port: Glob }) => readonly LintEntry[];

const scanAll: CoverFinder = (wide) => () => wide;

/**
 * Lint for a list of rules as delivered (docs/rules.md §6): every validity
 * error, then warnings about valid rules that are risky or can never decide.
 */
export function lintRules(rawRules: readonly unknown[], finder: CoverFinder = scanAll): Finding[] {
  const errors: Finding[] = [];
  const valid: NormalizedRule[] = [];
  rawRules.forEach((raw, index) => {
    const checked = normalizeRule(raw, index, 'file');
    if (checked.ok) valid.push(checked.rule);
    else errors.push(...checked.errors);
  });
  const findings = [...errors, ...lintNormalized(valid, finder)];
  return findings.sort((a, b) => a.index - b.index || severityRank(a) - severityRank(b));
}

/** Warnings about valid rules, in one source's order. */
export function lintNormalized(rules: readonly NormalizedRule[], finder: CoverFinder = scanAll): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const suffix = wildcardSuffixWarning(rule);
    if (suffix) findings.push(suffix);
    const everywhere = allowEverywhereWarning(rule);
    if (everywhere) findings.push(everywhere);
    if (rule.action === 'useEnrollmentCertificate' && rule.port === '80') {
      findings.push(
        warning(
          rule,
          'plaintext-port',
          `rule ${rule.index}: port 80 carries plain HTTP, where no client certificate is ever sent; use 443 (or the service's TLS port)`,
        ),
      );
    }
  }
  findings.push(...unreachableWarnings(rules, finder));
  return findings.sort((a, b) => a.index - b.index);
}

/** The lint warnings that concern one rule, for showing beside it. */
export function warningsFor(rule: NormalizedRule, findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.index === rule.index);
}

function wildcardSuffixWarning(rule: NormalizedRule): Finding | null {
  const host = rule.host;
  if (host.includes(':')) return null;
  for (let at = host.indexOf('*'); at >= 0; at = host.indexOf('*', at + 1)) {
    const startsLabel = at === 0 || host[at - 1] === '.';
    const next = host[at + 1];
    if (startsLabel && next !== undefined && next !== '.') {
      const label = host.slice(at + 1).split(/[.*]/)[0] ?? '';
      const example = `${host.slice(0, at)}evil${host.slice(at + 1)}`.replace(/\*/g, 'x');
      const apex = host.slice(0, at) + host.slice(at + 1);
      const subdomains = `${host.slice(0, at)}*.${host.slice(at + 1)}`;
      return warning(
        rule,
        'wildcard-suffix',
        `rule ${rule.index}: "${host}" also matches "${example}" (the * runs into the label "${label}"); to cover "${apex.replace(/^\*\.?/, '')}" and its subdomains write two rules, "${apex}" and "${subdomains}"`,
      );
    }
  }
  return null;
}

const SECOND_LEVEL_SUFFIX = /^(?:co|com|net|org|gov|edu|ac|or|ne|go|gob|mil|nic|ltd|plc)\.[a-z]{2}$/;

function allowEverywhereWarning(rule: NormalizedRule): Finding | null {
  if (rule.action !== 'useEnrollmentCertificate') return null;
  if (!rule.host.startsWith('*')) return null;
  const literal = rule.host.replace(/^[*.]+/, '');
  const broad = /^[*.]*$/.test(literal) || (!literal.includes('*') && (!literal.includes('.') || SECOND_LEVEL_SUFFIX.test(literal)));
  if (!broad) return null;
  return warning(
    rule,
    'allow-everywhere',
    `rule ${rule.index}: "${rule.host}" sends the certificate to every site${literal ? ` under ".${literal}"` : ''}; name your organisation's domains instead (e.g. "*.acme.com")`,
  );
}

/** Rules that can never decide: covered by an earlier rule with the same action, or an allow rule covered by any deny rule. */
function unreachableWarnings(rules: readonly NormalizedRule[], finder: CoverFinder): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, NormalizedRule>();
  const compiled: LintEntry[] = rules.map((rule, position) => ({ rule, position, host: compileGlob(rule.host), port: compileGlob(rule.port) }));
  const wide = compiled.filter((entry) => entry.host.hasStar || entry.port.hasStar);
  const denies = compiled.filter((entry) => entry.rule.action === 'noCertificate');
  const exactDeny = new Map<string, NormalizedRule[]>();
  for (const entry of denies) if (!entry.host.hasStar) exactDeny.set(entry.rule.host, [...(exactDeny.get(entry.rule.host) ?? []), entry.rule]);
  // Pairwise coverage is quadratic in wildcard rules; beyond this budget only exact duplicates are reported.
  const coverageBudget = compiled.length * wide.length <= 20_000_000;
  const candidatesFor = coverageBudget ? finder(wide) : null;
  for (const entry of compiled) {
    const { rule } = entry;
    const key = `${rule.action}|${rule.host}|${rule.port}`;
    const duplicate = seen.get(key);
    if (duplicate) {
      findings.push(warning(rule, 'unreachable', `rule ${rule.index} duplicates rule ${duplicate.index} and can never decide anything; remove it`));
      continue;
    }
    seen.set(key, rule);
    if (!candidatesFor) continue;
    const candidates = candidatesFor(entry);
    const earlier = candidates.find((other) => other.rule.action === rule.action && other.position < entry.position && covers(other, entry));
    if (earlier) {
      findings.push(
        warning(
          rule,
          'unreachable',
          `rule ${rule.index} can never decide anything: rule ${earlier.rule.index} ("${earlier.rule.host}", port ${earlier.rule.port}) comes first and covers every host and port it names`,
        ),
      );
      continue;
    }
    if (rule.action === 'useEnrollmentCertificate') {
      const deny =
        (exactDeny.get(rule.host) ?? []).find((other) => globCovers(compileGlob(other.port), entry.port)) ??
        candidates.find((other) => other.rule.action === 'noCertificate' && other.host.hasStar && covers(other, entry))?.rule;
      if (deny) {
        findings.push(
          warning(
            rule,
            'unreachable',
            `rule ${rule.index} can never send the certificate: noCertificate rule ${deny.index} ("${deny.host}", port ${deny.port}) covers every host and port it names, and deny rules take precedence`,
          ),
        );
      }
    }
  }
  return findings;
}

function covers(outer: { host: Glob; port: Glob }, inner: { host: Glob; port: Glob }): boolean {
  return globCovers(outer.host, inner.host) && globCovers(outer.port, inner.port);
}

function warning(rule: NormalizedRule, code: Finding['code'], message: string): Finding {
  return { index: rule.index, severity: 'warning', code, message };
}

function severityRank(finding: Finding): number {
  return finding.severity === 'error' ? 0 : 1;
}
