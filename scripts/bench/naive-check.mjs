#!/usr/bin/env node
/**
 * A deliberately naive `cert-rules check --rules FILE --stdin`, for the
 * process-to-process comparison in scripts/bench/cli-compare.ts: the naive
 * reference matcher of test/helpers/naive-matcher.mjs (one regular expression
 * per rule, tried in turn — every deny rule in order, then every allow rule)
 * for each URL, exactly as docs/rules.md §5 reads. Honest, not absurd: each
 * expression is built once, and the output is written in one go, as the real
 * command does.
 *
 * It normalises only what the benchmark's rules contain (ASCII host names and
 * globs, ports as strings or missing); it has no IDNA, IPv6 or validation, so
 * it is not a replacement for the real command.
 */
import { readFileSync } from 'node:fs';
import { createNaiveMatcher, naiveDecideUrl, naiveNormalize } from '../../test/helpers/naive-matcher.mjs';

const args = process.argv.slice(2);
const rulesPath = args[args.indexOf('--rules') + 1];
if (!args.includes('--rules') || !rulesPath || !args.includes('--stdin')) {
  process.stderr.write('usage: naive-check.mjs --rules FILE --stdin\n');
  process.exit(2);
}

const rules = JSON.parse(readFileSync(rulesPath, 'utf8')).map(naiveNormalize);
const matcher = createNaiveMatcher(rules);

function decide(url) {
  const verdict = naiveDecideUrl(matcher, url);
  const rule = verdict.rule === null ? null : { source: 'file', index: verdict.rule, ...rules[verdict.rule] };
  return { ...verdict, rule };
}

const urls = readFileSync(0, 'utf8')
  .split('\n')
  .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
  .filter((line) => line.trim() !== '');
let out = '';
for (const url of urls) out += `${JSON.stringify({ url, ...decide(url) })}\n`;
process.stdout.write(out);
