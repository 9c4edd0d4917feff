#!/usr/bin/env node
/**
 * A deliberately naive `cert-rules check --rules FILE --stdin`, for the
 * process-to-process comparison in scripts/bench/cli-compare.ts: one
 * regular expression per rule, tried in turn — every deny rule in order, then
 * every allow rule — for each URL, exactly as docs/rules.md §5 reads. Honest,
 * not absurd: each expression is built once, anchored, and the output is
 * written in one go, as the real command does.
 *
 * It normalises only what the benchmark's rules contain (ASCII host names and
 * globs, ports as strings or missing); it has no IDNA, IPv6 or validation, so
 * it is not a replacement for the real command.
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const rulesPath = args[args.indexOf('--rules') + 1];
if (!args.includes('--rules') || !rulesPath || !args.includes('--stdin')) {
  process.stderr.write('usage: naive-check.mjs --rules FILE --stdin\n');
  process.exit(2);
}

const toRegExp = (pattern) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\-]/g, (ch) => (ch === '*' ? '.*' : `\\${ch}`))}$`);
const rules = JSON.parse(readFileSync(rulesPath, 'utf8')).map((raw, index) => {
  const host = String(raw.host).trim().toLowerCase().replace(/\.$/, '').replace(/\*+/g, '*');
  const text = raw.port === undefined || raw.port === null ? '' : String(raw.port).trim();
  const port = text === '' ? '443' : text.includes('*') ? text.replace(/\*+/g, '*') : String(Number(text));
  return { index, host, port, action: raw.action, hostRe: toRegExp(host), portRe: toRegExp(port) };
});

function decide(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return { decision: 'noCertificate', reason: 'invalid-url', rule: null };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'wss:') return { decision: 'notApplicable', reason: 'not-tls', rule: null };
  const host = parsed.hostname.replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port || '443';
  for (const action of ['noCertificate', 'useEnrollmentCertificate']) {
    for (const rule of rules) {
      if (rule.action === action && rule.hostRe.test(host) && rule.portRe.test(port)) {
        return {
          decision: action,
          reason: action === 'noCertificate' ? 'deny-rule' : 'allow-rule',
          rule: { source: 'file', index: rule.index, host: rule.host, port: rule.port, action },
        };
      }
    }
  }
  return { decision: 'noCertificate', reason: 'no-match', rule: null };
}

const urls = readFileSync(0, 'utf8')
  .split('\n')
  .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
  .filter((line) => line.trim() !== '');
let out = '';
for (const url of urls) out += `${JSON.stringify({ url, ...decide(url) })}\n`;
process.stdout.write(out);
