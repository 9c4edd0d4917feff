/**
 * Seeded rule sets for the policy export benchmark, in five mixes:
 * - `hosts`: many organisations' domains under shared suffixes, mostly exact
 *   hosts and `*.domain`, some `*domain`, ports 443/8443/any/`*443`, about
 *   20% deny rules, some hosts listed twice;
 * - `overlap`: few domains shared by many rules, nested subdomains one to
 *   three labels deep, about 30% deny rules cutting into allow wildcards,
 *   `label*.zone` and `*.label.*.domain` globs, IPv4 and IPv6 hosts, more
 *   port patterns and duplicates;
 * - `engine`: the engine benchmark's own rules (rule-data.ts), which the
 *   options page's benchmark exports too: about 4% globs open at the right
 *   (`mail12.*`, `10.1.2.*`, `*.sso3.*`), `mail-*.domain` and `*domain`
 *   globs, IPv4 hosts, many port patterns, 15% deny rules;
 * - `ports`: services on ports of their own: most rules name a host or
 *   `*.domain` and a port no other rule uses, a few gateways carry hundreds
 *   of ports each, port globs open at either end (`*443`, `84*`), 25% deny;
 * - `wildcards`: services reached on every host by their port: about 12% of
 *   the rules are `*` on a port of its own, some `*.tld`, the rest hosts
 *   under many domains that deny rules take out, 35% deny. Every such port
 *   matters on every host, so this mix costs the export the most.
 * The same seed gives the same rules in every run and process.
 */
import { generateBenchData, seededRandom, type RawBenchRule } from './rule-data';

export const EXPORT_MIXES = ['hosts', 'overlap', 'engine', 'ports', 'wildcards'] as const;
export type ExportMix = (typeof EXPORT_MIXES)[number];

/** Without a seed, each mix's own: `engine` then gives exactly `generateBenchData(count, 1).rules`. */
export function generateExportRules(mix: ExportMix, count: number, seed?: number): RawBenchRule[] {
  if (mix === 'engine') return generateBenchData(count, 1, seed).rules;
  if (mix === 'ports') return portsRules(count, seed ?? 11);
  if (mix === 'wildcards') return wildcardRules(count, seed ?? 11);
  return mix === 'hosts' ? hostsRules(count, seed ?? 11) : overlapRules(count, seed ?? 11);
}

const ORGS = ['acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'tyrell', 'hooli', 'soylent', 'wonka'];
const TLDS = ['com', 'net', 'org', 'co.uk', 'de', 'ch'];
const LABELS = ['www', 'mail', 'vpn', 'app', 'api', 'sso', 'eu', 'us', 'dev', 'prod', 'int', 'hr', 'pay', 'git'];

type Pick = <T>(items: readonly T[]) => T;

function picker(random: () => number): Pick {
  return <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
}

/** `length` domains `<org><i>.<tld>`, an organisation and a top-level domain picked for each. */
function orgDomains(pick: Pick, length: number): string[] {
  return Array.from({ length }, (_, i) => `${pick(ORGS)}${i}.${pick(TLDS)}`);
}

/** A rule as a rules file writes it: no port when it has none (the default, 443). */
function benchRule(host: string, port: string | undefined, action: RawBenchRule['action']): RawBenchRule {
  return port === undefined ? { host, action } : { host, port, action };
}

function port(random: () => number, shares: readonly [number, string | undefined][]): string | undefined {
  let roll = random();
  for (const [share, value] of shares) {
    if (roll < share) return value;
    roll -= share;
  }
  return undefined;
}

function hostsRules(count: number, seed: number): RawBenchRule[] {
  const random = seededRandom(seed ^ (count * 2246822519));
  const pick = picker(random);
  const domains = orgDomains(pick, Math.max(10, Math.floor(count / 6)));
  const rules: RawBenchRule[] = [];
  for (let i = 0; i < count; i++) {
    const shape = random();
    const domain = pick(domains);
    let host: string;
    if (shape < 0.5) host = `${pick(LABELS)}${random() < 0.3 ? i % 40 : ''}.${domain}`;
    else if (shape < 0.62) host = `${pick(LABELS)}.${pick(LABELS)}.${domain}`;
    else if (shape < 0.85) host = `*.${random() < 0.7 ? domain : `${pick(LABELS)}.${domain}`}`;
    else if (shape < 0.9) host = domain;
    else if (shape < 0.93) host = `*${domain}`;
    else if (shape < 0.97 && rules.length > 0) host = pick(rules).host;
    else host = `${pick(LABELS)}-${i % 50}.${domain}`;
    const chosen = port(random, [
      [0.1, '8443'],
      [0.05, '*'],
      [0.03, '*443'],
      [0.02, '443'],
    ]);
    const action = random() < 0.2 ? 'noCertificate' : 'useEnrollmentCertificate';
    rules.push(benchRule(host, chosen, action));
  }
  return rules;
}

function overlapRules(count: number, seed: number): RawBenchRule[] {
  const random = seededRandom(seed ^ (count * 2654435761));
  const pick = picker(random);
  // About one base domain per 40 rules: every domain collects many rules.
  const bases = Array.from({ length: Math.max(4, Math.floor(count / 40)) }, (_, i) => `${pick(ORGS)}${i % 7 === 0 ? '' : i}.${pick(TLDS)}`);
  const zones = Array.from({ length: Math.max(8, Math.floor(count / 6)) }, () => {
    const depth = 1 + Math.floor(random() * 3);
    return [...Array.from({ length: depth }, () => pick(LABELS)), pick(bases)].join('.');
  });
  const rules: RawBenchRule[] = [];
  for (let i = 0; i < count; i++) {
    const shape = random();
    let host: string;
    if (shape < 0.35) host = `${pick(LABELS)}${random() < 0.3 ? i % 20 : ''}.${pick(zones)}`;
    else if (shape < 0.6) host = `*.${pick(random() < 0.5 ? zones : bases)}`;
    else if (shape < 0.7) host = pick(random() < 0.5 ? zones : bases);
    else if (shape < 0.76) host = `${pick(LABELS)}*.${pick(zones)}`;
    else if (shape < 0.8) host = `*${pick(bases)}`;
    else if (shape < 0.83) host = `*.${pick(LABELS)}.*.${pick(bases)}`;
    else if (shape < 0.88) host = `10.${i % 16}.${Math.floor(random() * 8)}.${i % 256}`;
    else if (shape < 0.91) host = `fd00::${(i % 64).toString(16)}`;
    else if (shape < 0.95 && rules.length > 0) host = pick(rules).host;
    else host = `${pick(LABELS)}-${i % 30}.${pick(zones)}`;
    const chosen = port(random, [
      [0.15, '8443'],
      [0.1, '*'],
      [0.07, '*443'],
      [0.04, '443'],
      [0.04, '9443'],
    ]);
    const action = random() < 0.3 ? 'noCertificate' : 'useEnrollmentCertificate';
    rules.push(benchRule(host, chosen, action));
  }
  return rules;
}

/**
 * `ports`: services on ports of their own, as organisations run them: most
 * rules name one host (or `*.domain`) and a port nobody else uses, a few
 * gateways carry hundreds of ports each, some port globs open at either end
 * (`*443`, `84*`), about 25% deny rules, some rules listed twice.
 */
function portsRules(count: number, seed: number): RawBenchRule[] {
  const random = seededRandom(seed ^ (count * 2246822519) ^ 0x9e3779b9);
  const pick = picker(random);
  const domains = orgDomains(pick, Math.max(10, Math.floor(count / 20)));
  const gateways = Array.from({ length: 4 }, (_, i) => `gw${i}.${pick(domains)}`);
  const rules: RawBenchRule[] = [];
  for (let i = 0; i < count; i++) {
    const shape = random();
    let host: string;
    let chosen: string | undefined = String(1024 + Math.floor(random() * 64000));
    if (shape < 0.55) host = `${pick(LABELS)}${i % 50}.${pick(domains)}`;
    else if (shape < 0.67) host = `*.${pick(domains)}`;
    else if (shape < 0.8) host = pick(gateways);
    else if (shape < 0.88) {
      host = `${pick(LABELS)}.${pick(domains)}`;
      chosen = random() < 0.5 ? `*${Math.floor(random() * 1000)}` : `${1 + Math.floor(random() * 64)}*`;
    } else if (shape < 0.95) {
      host = `${pick(LABELS)}.${pick(domains)}`;
      chosen = port(random, [
        [0.4, '8443'],
        [0.2, '*'],
        [0.2, '443'],
      ]);
    } else host = rules.length > 0 ? pick(rules).host : `www.${pick(domains)}`;
    const action = random() < 0.25 ? 'noCertificate' : 'useEnrollmentCertificate';
    rules.push(benchRule(host, chosen, action));
  }
  return rules;
}

/**
 * `wildcards`: services an organisation reaches on every host by their port
 * (`*` on a port of its own, about 12%), some whole top-level domains
 * (`*.tld`), and hosts under many domains, with deny rules (35%) taking hosts
 * out: each such port matters on every host the space tells apart.
 */
function wildcardRules(count: number, seed: number): RawBenchRule[] {
  const random = seededRandom(seed ^ (count * 3266489917) ^ 0x85ebca6b);
  const pick = picker(random);
  const domains = orgDomains(pick, Math.max(10, Math.floor(count / 10)));
  const rules: RawBenchRule[] = [];
  for (let i = 0; i < count; i++) {
    const shape = random();
    const action = random() < 0.35 ? 'noCertificate' : 'useEnrollmentCertificate';
    const chosen = port(random, [
      [0.75, undefined],
      [0.1, '8443'],
      [0.07, '*'],
      [0.04, '*443'],
    ]);
    if (shape < 0.12) rules.push({ host: '*', port: String(1024 + Math.floor(random() * 64000)), action });
    else {
      const host = shape < 0.2 ? `*.${pick(TLDS)}` : `${pick(LABELS)}${Math.floor(random() * 50)}.${pick(domains)}`;
      rules.push(benchRule(host, chosen, action));
    }
  }
  return rules;
}
