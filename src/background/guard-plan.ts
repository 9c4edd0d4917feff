import type { NormalizedRule, ReportedRule } from '../engine/index';
import { dotSuffix, exactHostsRegex, fullRegex, hostRegex, isIpv6Pattern, portRegex, suffixHostsRegex } from './guard-regex';

/**
 * Compiles the deny rules into declarativeNetRequest redirect rules for
 * top-level navigations (pure; guard-apply.ts talks to the browser).
 *
 * Every rule is a regexFilter alone, because only a regexFilter can (a) be
 * exact — `requestDomains: ["acme.com"]` also matches every subdomain, so
 * neither an exact host nor `*.acme.com` (subdomains, not the apex) can be
 * expressed with domain lists, and a condition has no port field — and (b)
 * hand the blocked URL to the guard page through `regexSubstitution`.
 *
 * No rule carries `requestDomains`, not even as a pre-filter: Firefox compares
 * them with the host as written, trailing dot included, so
 * `https://acme.com./` would pass a rule whose domain is `acme.com` (Chromium
 * drops the dot first). The regex sees the whole URL in both browsers and
 * allows the one trailing dot, a user name and any port spelling the rule
 * covers, so it alone decides.
 *
 * Exact hosts and `*.suffix` patterns with the same port are grouped into one
 * alternation, so the browser's 1,000-regex budget covers several times as
 * many deny rules. Anything else becomes one rule per pattern.
 */

/** The subset of chrome.declarativeNetRequest.Rule this module produces. */
export interface GuardDnrRule {
  id: number;
  priority: number;
  action: { type: 'redirect'; redirect: { regexSubstitution: string } };
  condition: {
    regexFilter: string;
    resourceTypes: ['main_frame'];
    isUrlFilterCaseSensitive: false;
  };
}

/** One DNR rule before it gets an id: the regex and the deny rules it stands for. */
export interface GuardCandidate {
  kind: 'exact' | 'suffix' | 'pattern';
  /** Port pattern shared by the group. */
  port: string;
  /** Exact hosts or suffixes (kind exact/suffix), or the one host pattern. */
  hosts: string[];
  /** The deny rules covered, in rule order (several rules may share a host). */
  members: ReportedRule[];
  regex: string;
}

export const GUARD_RULE_PRIORITY = 1;
/** The length of an alternation body above which a group is split before asking the browser (measured in Chromium 156: a 6-host group of 150 characters was refused, 4 hosts of 135 accepted; splitting handles the rest). */
export const DEFAULT_GROUP_BUDGET = 100;

/** The deny rules of a rule set, in order, each (host, port) once. */
export function denyRulesOf(rules: readonly NormalizedRule[]): NormalizedRule[] {
  return rules.filter((rule) => rule.action === 'noCertificate');
}

/** Groups the deny rules into regex candidates, in the order of their first rule. */
export function planGuardCandidates(denyRules: readonly (NormalizedRule | ReportedRule)[], groupBudget = DEFAULT_GROUP_BUDGET): GuardCandidate[] {
  // Same (host, port) twice needs one regex; all its rules are reported as covered.
  const byPattern = new Map<string, { host: string; port: string; members: ReportedRule[] }>();
  for (const rule of denyRules) {
    if (rule.action !== 'noCertificate') continue;
    const key = `${rule.host} ${rule.port}`;
    const entry = byPattern.get(key);
    // The rules themselves: read, never changed or kept beyond the guard's status.
    if (entry) entry.members.push(rule);
    else byPattern.set(key, { host: rule.host, port: rule.port, members: [rule] });
  }
  const candidates: GuardCandidate[] = [];
  const open = new Map<string, GuardCandidate>();
  for (const { host, port, members } of byPattern.values()) {
    const suffix = dotSuffix(host);
    const kind: GuardCandidate['kind'] = suffix !== null ? 'suffix' : !host.includes('*') && !isIpv6Pattern(host) ? 'exact' : 'pattern';
    if (kind === 'pattern') {
      candidates.push({ kind, port, hosts: [host], members, regex: fullRegex(hostRegex(host), portRegex(port)) });
      continue;
    }
    const literal = suffix ?? host;
    const groupKey = `${kind} ${port}`;
    const current = open.get(groupKey);
    if (current && bodyLength([...current.hosts, literal]) <= groupBudget) {
      current.hosts.push(literal);
      current.members.push(...members);
      refresh(current);
      continue;
    }
    const fresh: GuardCandidate = { kind, port, hosts: [literal], members: [...members], regex: '' };
    refresh(fresh);
    open.set(groupKey, fresh);
    candidates.push(fresh);
  }
  return candidates;
}

/** Rebuilds a group's regex after its hosts changed (also used when a group is split). */
export function refresh(candidate: GuardCandidate): GuardCandidate {
  if (candidate.kind === 'pattern') return candidate;
  const hostPart = candidate.kind === 'exact' ? exactHostsRegex(candidate.hosts) : suffixHostsRegex(candidate.hosts);
  candidate.regex = fullRegex(hostPart, portRegex(candidate.port));
  return candidate;
}

/** Splits a group in two halves (by host), keeping each member with its host. */
export function splitCandidate(candidate: GuardCandidate): [GuardCandidate, GuardCandidate] | null {
  if (candidate.kind === 'pattern' || candidate.hosts.length < 2) return null;
  const middle = Math.ceil(candidate.hosts.length / 2);
  const halves = [candidate.hosts.slice(0, middle), candidate.hosts.slice(middle)] as const;
  const [first, second] = halves.map((hosts) => {
    const wanted = new Set(hosts);
    const members = candidate.members.filter((member) => wanted.has(memberLiteral(candidate.kind, member.host)));
    return refresh({ ...candidate, hosts: [...hosts], members, regex: '' });
  });
  return [first as GuardCandidate, second as GuardCandidate];
}

function memberLiteral(kind: GuardCandidate['kind'], host: string): string {
  return kind === 'suffix' ? (dotSuffix(host) ?? host) : host;
}

function bodyLength(hosts: readonly string[]): number {
  return hosts.reduce((sum, host) => sum + host.length + 1 + (host.match(/\./g)?.length ?? 0), 0);
}

/** The guard page URL with the blocked URL appended by the browser (`\0` is the whole match: the whole URL). */
export function guardSubstitution(guardPage: string): string {
  return `${guardPage}?url=\\0`;
}

export function toDnrRule(candidate: GuardCandidate, id: number, guardPage: string): GuardDnrRule {
  return {
    id,
    priority: GUARD_RULE_PRIORITY,
    action: { type: 'redirect', redirect: { regexSubstitution: guardSubstitution(guardPage) } },
    condition: {
      regexFilter: candidate.regex,
      resourceTypes: ['main_frame'],
      isUrlFilterCaseSensitive: false,
    },
  };
}
