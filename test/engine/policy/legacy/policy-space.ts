import { compileGlob, globMatches } from '../../../../src/engine/glob';
import type { NormalizedRule } from '../../../../src/engine/model';
import { compareSpecificity, type ChromePattern } from '../../../../src/engine/policy/chrome-pattern';
import { hostTypes, portTypes, type SpaceType } from './glob-space';
import { globOf, ipv6Probes } from '../../../../src/engine/policy/host-forms';

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

  private verdicts: { deny: Int32Array; allow: Int32Array } | null = null;
  private readonly formMasks = new Map<string, Uint8Array>();

  /** The engine's first deny and first allow rule per pair (rule index, or -1); they do not depend on the entries. */
  private engineVerdicts(): { deny: Int32Array; allow: Int32Array } {
    if (this.verdicts) return this.verdicts;
    const pairs = this.hosts.length * this.ports.length;
    const deny = new Int32Array(pairs).fill(-1);
    const allow = new Int32Array(pairs).fill(-1);
    const ruleHost = this.rules.map((rule) => this.hostIndex.get(rule.host) ?? -1);
    const rulePort = this.rules.map((rule) => this.portIndex.get(rule.port) ?? -1);
    this.hosts.forEach((host, h) => {
      for (let r = this.rules.length - 1; r >= 0; r -= 1) {
        if (host.matches[ruleHost[r]!] !== true) continue;
        const target = this.rules[r]!.action === 'noCertificate' ? deny : allow;
        this.ports.forEach((port, p) => {
          if (port.matches[rulePort[r]!] === true) target[h * this.ports.length + p] = r;
        });
      }
    });
    this.verdicts = { deny, allow };
    return this.verdicts;
  }

  /** Which host kinds a pattern's host form matches. */
  private formMask(pattern: ChromePattern): Uint8Array {
    const globs = globOf(pattern.host);
    const key = globs.join('\n');
    let mask = this.formMasks.get(key);
    if (!mask) {
      const indexes = globs.map((glob) => this.hostIndex.get(glob) ?? -1);
      mask = Uint8Array.from(this.hosts, (host) => (indexes.some((i) => host.matches[i] === true) ? 1 : 0));
      this.formMasks.set(key, mask);
    }
    return mask;
  }

  /** Outcomes for every (host kind × port kind), hosts in the order found (shortest first). */
  evaluate(entries: readonly SpaceEntry[]): PairOutcome[] {
    const { deny, allow } = this.engineVerdicts();
    const masks = entries.map((entry) => this.formMask(entry.pattern));
    const entryPort = entries.map((entry) => (entry.pattern.port === null ? -1 : (this.portIndex.get(entry.pattern.port) ?? -1)));
    const out: PairOutcome[] = [];
    this.hosts.forEach((host, h) => {
      const here: number[] = [];
      for (let e = 0; e < entries.length; e += 1) if (masks[e]![h] === 1) here.push(e);
      this.ports.forEach((port, p) => {
        let chosen: SpaceEntry | null = null;
        for (const e of here) {
          const portIndex = entryPort[e]!;
          if (portIndex >= 0 && port.matches[portIndex] !== true) continue;
          const entry = entries[e]!;
          if (!chosen || compareSpecificity(entry.pattern, chosen.pattern) > 0) chosen = entry;
        }
        const pair = h * this.ports.length + p;
        const d = deny[pair]!;
        const a = allow[pair]!;
        out.push({ host: host.witness, port: port.witness, deny: d < 0 ? null : d, allow: a < 0 ? null : a, chosen });
      });
    });
    return out;
  }
}

/** The engine's decision at a pair (docs/rules.md §5 steps 3–5). */
export const engineAllows = (pair: PairOutcome): boolean => pair.deny === null && pair.allow !== null;

/** Chrome auto-selects the enrollment certificate when the chosen entry's filter can match it. */
export const chromeSelects = (pair: PairOutcome): boolean => pair.chosen?.kind === 'allow';
