import { buildRuleSet, decide, type CompiledSource, type RuleSet, type UnavailableSource } from '../../engine/index';
import { parseCommandArgs } from '../args';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, usageErrorText, type CliIo } from '../io';
import { loadManagedFile, loadRulesFile, type LoadedRules } from '../load-rules';
import { loadStateFileRules } from '../state-file';

export const CHECK_HELP = `Usage: cert-rules check --rules FILE [--managed POLICY] [--stdin] [URL ...]
       cert-rules check --state FILE [--managed POLICY] [--stdin] [URL ...]
       cert-rules check --managed POLICY [--stdin] [URL ...]

Decides each URL against the rules in FILE, exactly as the extension does, and
prints one JSON object per URL, one per line, in input order:
  {"url": …, "decision": …, "reason": …, "rule": null | {"source", "index", "host", "port", "action"}}

FILE may be a bare array of rules, {"clientCertsUrlMatchingRules": [...]}, or a
console profile response. "index" is the rule's 0-based position in FILE.

Options:
  --rules FILE   the rules to decide with
  --state FILE   decide with the profile rules "cert-rules sync" last stored in
                 FILE (source "profile"); when FILE holds none, every decision
                 fails closed with reason "no-rules" and the exit code is 1
  --managed POLICY
                 also decide with the managed policy's rules (source
                 "managed", before the others): POLICY is the policy object as
                 deployed (its "rules" key) or the rules array
  --stdin        also read URLs from standard input, one per line
  -h, --help     this help

Every given source must be known: when one is rejected (an invalid
noCertificate rule or an unknown action) or holds no rules (never synced),
the rule set is unusable and every TLS decision is "noCertificate" with reason
"no-rules"; stderr says which source and why ("rules unavailable: …").

Exit: 0 decided; 1 the rules are unavailable (a source was rejected or holds
none; every decision still printed, failing closed with reason "no-rules");
2 usage error or unreadable file.
`;

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(argv, {
      rules: { type: 'string' },
      stdin: { type: 'boolean' },
      state: { type: 'string' },
      managed: { type: 'string' },
    });
    if (values.help) {
      io.stdout(CHECK_HELP);
      return EXIT_OK;
    }
    if (!values.rules && !values.state && !values.managed) throw new UsageError('--rules FILE is required (or --state FILE, or --managed POLICY)');
    if (values.rules && values.state) throw new UsageError('give --rules FILE or --state FILE, not both');
    if (positionals.length === 0 && !values.stdin) throw new UsageError('give one or more URLs, or --stdin to read them one per line');
    const loaded: LoadedRules[] = [];
    if (values.managed) loaded.push(await loadManagedFile(values.managed));
    if (values.state) loaded.push(await loadStateFileRules(values.state, Date.now()));
    if (values.rules) loaded.push(await loadRulesFile(values.rules));
    for (const message of loaded.flatMap((source) => source.messages)) io.stderr(`${message}\n`);
    const { ruleSet, unavailable } = usableRuleSet(loaded);
    const urls = [...positionals, ...(values.stdin ? splitLines(await io.readStdin()) : [])];
    io.stdout(formatDecisions(ruleSet, urls));
    return ruleSet && unavailable.length === 0 ? EXIT_OK : EXIT_FAILED;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(usageErrorText('check', error.message));
      return EXIT_USAGE;
    }
    throw error;
  }
}

/**
 * The rule set of the given sources, or null when any of them is not known
 * (docs/rules.md §5 step 2: its rules may deny what the others allow) or none
 * holds rules.
 */
export function usableRuleSet(loaded: readonly Pick<LoadedRules, 'source' | 'unavailable'>[]): { ruleSet: RuleSet | null; unavailable: UnavailableSource[] } {
  const unavailable = loaded.flatMap((source) => (source.unavailable ? [source.unavailable] : []));
  const sources = loaded.flatMap((source): CompiledSource[] => (source.source?.accepted ? [source.source] : []));
  return { ruleSet: unavailable.length > 0 ? null : buildRuleSet(sources), unavailable };
}

/** One JSON line per URL, built into one string so thousands of URLs cost one write. */
export function formatDecisions(ruleSet: RuleSet | null, urls: readonly string[]): string {
  let out = '';
  for (const url of urls) {
    const verdict = decide(ruleSet, url);
    out += `${JSON.stringify({ url, decision: verdict.decision, reason: verdict.reason, rule: verdict.rule })}\n`;
  }
  return out;
}

/** Lines of standard input; blank lines are skipped and a trailing CR is dropped. */
export function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line.trim() !== '');
}
