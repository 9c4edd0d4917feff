/**
 * The check the export's property tests make: on every URL given, Chrome (the
 * model, chrome-model.ts) must never auto-select where the engine says no,
 * and where the engine gives the certificate but Chrome will not, the report
 * must say narrower or not-expressible for the rule that decides there.
 */
import { decide, type RuleSet } from '../../../src/engine/index';
import type { CompiledPolicy } from '../../../src/engine/policy/index';
import { chromeChoice, loadPolicy, type ModelCertificate } from './chrome-model';

// The enrollment certificate; every filter the tests pick matches it.
export const CERT: ModelCertificate = {
  issuer: { CN: 'Test Enrollment CA', L: 'Zurich', O: ['Test Org'], OU: ['PKI'] },
  subject: { CN: 'device-1', L: '', O: ['Test Org'], OU: ['Devices'] },
};

export interface CheckCounts {
  ruleSets: number;
  pairs: number;
  autoSelected: number;
  denied: number;
  narrowerReported: number;
  violations: number;
  unreported: number;
}

export const newCounts = (): CheckCounts => ({ ruleSets: 0, pairs: 0, autoSelected: 0, denied: 0, narrowerReported: 0, violations: 0, unreported: 0 });

/** Hosts a rule set is likely to treat differently: its own patterns with `*` replaced in several ways, plus neighbours. */
export function probeHosts(patterns: readonly string[], neighbours: readonly string[]): string[] {
  const hosts = new Set<string>(['x', 'a.b', '10.0.0.1', '10.1.2.3', '1.2.3.1', '[::1]', '[fe80::1]', 'mail.acme.com', 'mail2.acme.com', 'xacme.com']);
  for (const domain of neighbours) for (const prefix of ['', 'x']) hosts.add(prefix + domain);
  for (const pattern of patterns) {
    const bracket = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
    for (const fill of ['', 'x', 'x.y', '1']) hosts.add(bracket(pattern.replaceAll('*', fill)));
    // The apex of "*.d", and "d" itself for "d.*".
    hosts.add(bracket(pattern.replaceAll('*.', '').replaceAll('.*', '')));
  }
  return [...hosts].filter((host) => {
    try {
      return new URL(`https://${host}/`).hostname !== '';
    } catch {
      return false;
    }
  });
}

/** Checks the policy on each URL; throws on a violation or an unreported difference. */
export function checkAgainstModel(ruleSet: RuleSet | null, policy: CompiledPolicy, urls: readonly string[], counts: CheckCounts): void {
  const model = loadPolicy(policy.entries);
  if (model.collisions.length > 0) throw new Error(`patterns Chrome would merge: ${JSON.stringify(model.collisions)}`);
  if (model.rules.length !== policy.entries.length) throw new Error(`${policy.entries.length - model.rules.length} entries Chrome would skip`);
  counts.ruleSets += 1;
  const report = new Map(policy.report.map((line) => [`${line.source}#${line.index}`, line]));
  for (const url of urls) {
    const verdict = decide(ruleSet, url);
    const chrome = chromeChoice(model, url, CERT);
    counts.pairs += 1;
    if (chrome.autoSelect) counts.autoSelected += 1;
    if (verdict.decision === 'noCertificate') counts.denied += 1;
    if (chrome.autoSelect && verdict.decision !== 'useEnrollmentCertificate') {
      counts.violations += 1;
      throw new Error(
        `violation: ${chrome.spec} auto-selects on ${url}, engine says ${verdict.decision} (${verdict.reason}); entries ${JSON.stringify(policy.entries)}`,
      );
    }
    if (!chrome.autoSelect && verdict.decision === 'useEnrollmentCertificate') {
      const line = report.get(`${verdict.rule?.source}#${verdict.rule?.index}`);
      counts.narrowerReported += 1;
      if (line?.outcome !== 'narrower' && line?.outcome !== 'not-expressible') {
        counts.unreported += 1;
        throw new Error(
          `unreported difference on ${url}: engine allows by ${JSON.stringify(verdict.rule)}, Chrome does not; report says ${JSON.stringify(line)}`,
        );
      }
    }
  }
}

export const describeCounts = (what: string, counts: CheckCounts) =>
  `${what}: ${counts.ruleSets} rule sets × host:port pairs = ${counts.pairs} pairs checked; ` +
  `Chrome model auto-selected on ${counts.autoSelected}, engine said noCertificate on ${counts.denied}; ` +
  `${counts.narrowerReported} allowed pairs without auto-selection, reported narrower/not-expressible; ` +
  `${counts.violations} violations, ${counts.unreported} unreported differences`;
