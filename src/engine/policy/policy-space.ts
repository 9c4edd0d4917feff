import { compileGlob, globMatches } from '../glob';
import type { NormalizedRule } from '../model';
import { compareSpecificity, type ChromePattern } from './chrome-pattern';
import { hostTypes, portTypes, type SpaceType } from './glob-space';
import { globOf, ipv6Probes } from './host-forms';

/** One entry as the evaluation sees it; `allow` selects the certificate, `never` matches none. */
export interface SpaceEntry {
  key: string;
  pattern: ChromePattern;
  kind: 'allow' | 'never';
}

/** What happens at one (host kind, port kind): the engine's verdict and Chrome's choice. */
export interface PairOutcome {
  host: string;
  port: string;
  /** Index into rules of the first deny rule that matches, or null. */
  deny: number | null;
  /** Index into rules of the first allow rule that matches, or null. */
  allow: number | null;
  /** The most specific matching entry, or null when none matches. */
  chosen: SpaceEntry | null;
}

export interface SpaceLimits {
  maxStates?: number;
}

/**
 * Every host kind and port kind relative to the rule globs and a universe of
 * pattern forms, so that the engine and Chrome can be compared on all hosts
 * and ports by checking one witness per kind.
 */
export class PolicySpace {
  private readonly hostIndex = new Map<string, number>();
  private readonly portIndex = new Map<string, number>();
  readonly hosts: SpaceType[];
  readonly ports: SpaceType[];

  constructor(
    private readonly rules: readonly NormalizedRule[],
    hostGlobs: Iterable<string>,
    portGlobs: Iterable<string>,
    limits: SpaceLimits = {},
  ) {
    const hosts = [...new Set([...rules.map((rule) => rule.host), ...hostGlobs])];
    const ports = [...new Set([...rules.map((rule) => rule.port), ...portGlobs, '*'])];
    hosts.forEach((glob, i) => this.hostIndex.set(glob, i));
    ports.forEach((glob, i) => this.portIndex.set(glob, i));
    this.hosts = hostTypes(hosts, limits);
    const known = new Set(this.hosts.map((type) => type.matches.join()));
    const compiled = hosts.map(compileGlob);
    for (const probe of ipv6Probes(hosts)) {
      const matches = compiled.map((glob) => globMatches(glob, probe));
      if (!known.has(matches.join())) {
        known.add(matches.join());
        this.hosts.push({ witness: probe, matches });
      }
    }
    this.ports = portTypes(ports, limits);
  }

  /** Whether the space distinguishes everything this pattern needs (else build a bigger one). */
  covers(pattern: ChromePattern): boolean {
    return globOf(pattern.host).every((glob) => this.hostIndex.has(glob)) && (pattern.port === null || this.portIndex.has(pattern.port));
  }

  /** Outcomes for every (host kind × port kind), hosts in the order found (shortest first). */
  evaluate(entries: readonly SpaceEntry[]): PairOutcome[] {
    const ruleHost = this.rules.map((rule) => this.hostIndex.get(rule.host) ?? -1);
    const rulePort = this.rules.map((rule) => this.portIndex.get(rule.port) ?? -1);
    const entryHost = entries.map((entry) => globOf(entry.pattern.host).map((glob) => this.hostIndex.get(glob) ?? -1));
    const entryPort = entries.map((entry) => (entry.pattern.port === null ? -1 : (this.portIndex.get(entry.pattern.port) ?? -1)));
    const out: PairOutcome[] = [];
    for (const host of this.hosts) {
      const rulesHere = this.rules.map((_, r) => host.matches[ruleHost[r]!] === true);
      const entriesHere = entries
        .map((entry, e) => ({ entry, e }))
        .filter(({ e }) => entryHost[e]!.some((i) => host.matches[i] === true));
      for (const port of this.ports) {
        let deny: number | null = null;
        let allow: number | null = null;
        this.rules.forEach((rule, r) => {
          if (!rulesHere[r] || port.matches[rulePort[r]!] !== true) return;
          if (rule.action === 'noCertificate') deny ??= r;
          else allow ??= r;
        });
        let chosen: SpaceEntry | null = null;
        for (const { entry, e } of entriesHere) {
          const p = entryPort[e]!;
          if (p >= 0 && port.matches[p] !== true) continue;
          if (!chosen || compareSpecificity(entry.pattern, chosen.pattern) > 0) chosen = entry;
        }
        out.push({ host: host.witness, port: port.witness, deny, allow, chosen });
      }
    }
    return out;
  }
}

/** The engine's decision at a pair (spec/rules.md §5 steps 3–5). */
export const engineAllows = (pair: PairOutcome): boolean => pair.deny === null && pair.allow !== null;

/** Chrome auto-selects the enrollment certificate when the chosen entry's filter can match it. */
export const chromeSelects = (pair: PairOutcome): boolean => pair.chosen?.kind === 'allow';
