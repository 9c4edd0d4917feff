/**
 * `cert-rules check --stdin` against a naive implementation, process to process
 * (docs/performance.md): the same seeded 10,000 rules and a few thousand URLs, each program
 * run as its own `node` process, alternated; the outputs must be identical.
 *
 *   npm run build   # makes dist/cli/cert-rules.mjs
 *   npx tsx scripts/bench/cli-compare.ts [--rules 10000] [--urls 4000] [--runs 3] [--json]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateBenchData } from './rule-data';
import { median } from './stats';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist/cli/cert-rules.mjs');
const naive = join(root, 'scripts/bench/naive-check.mjs');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

interface Run {
  ms: number;
  stdout: string;
}

function run(script: string, rulesFile: string, input: string): Run {
  const start = performance.now();
  const result = spawnSync(process.execPath, [script, 'check', '--rules', rulesFile, '--stdin'], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${script} exited with ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

function main(): void {
  const ruleCount = option('--rules', 10_000);
  const urlCount = option('--urls', 4_000);
  const runs = option('--runs', 3);
  const json = process.argv.includes('--json');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);

  const data = generateBenchData(ruleCount, urlCount, 11);
  // A few URLs of every other kind, so every reason appears in both outputs.
  const urls = [...data.urls, 'http://intranet.example/', 'not a url', 'wss://push.example:8443/', 'https://[::1]:8443/'];
  const dir = mkdtempSync(join(tmpdir(), 'cert-rules-compare-'));
  try {
    const rulesFile = join(dir, 'rules.json');
    writeFileSync(rulesFile, JSON.stringify(data.rules));
    const input = `${urls.join('\n')}\n`;
    const ours: number[] = [];
    const theirs: number[] = [];
    let reference: string | null = null;
    for (let i = 0; i < runs; i++) {
      // naive-check.mjs ignores the "check" word; both read the same file and input.
      for (const [name, script, times] of [
        ['cert-rules', cli, ours],
        ['naive', naive, theirs],
      ] as const) {
        const result = run(script, rulesFile, input);
        if (reference === null) reference = result.stdout;
        else if (result.stdout !== reference) throw new Error(`${name} printed different decisions from the first run`);
        times.push(result.ms);
        log(`run ${i + 1}/${runs}: ${name} ${result.ms.toFixed(0)} ms`);
      }
    }
    const lines = (reference ?? '').trim().split('\n');
    if (lines.length !== urls.length) throw new Error(`expected ${urls.length} output lines, got ${lines.length}`);
    const reasons: Record<string, number> = {};
    for (const line of lines) {
      const reason = (JSON.parse(line) as { reason: string }).reason;
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
    const result = {
      node: process.version,
      rules: ruleCount,
      urls: urls.length,
      cliMs: Math.round(median(ours)),
      naiveMs: Math.round(median(theirs)),
      ratio: Math.round((median(theirs) / median(ours)) * 10) / 10,
      identicalOutput: true,
      reasons,
      cliBuiltAt: statSync(cli).mtime.toISOString(),
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    console.log(
      `cert-rules check --stdin vs naive, ${ruleCount.toLocaleString('en-US')} rules, ${urls.length.toLocaleString('en-US')} URLs, process to process (median of ${runs})`,
    );
    console.log(`  cert-rules (dist/cli/cert-rules.mjs): ${result.cliMs} ms`);
    console.log(`  naive (scripts/bench/naive-check.mjs): ${result.naiveMs} ms`);
    console.log(`  ratio: ${result.ratio}×; outputs identical (${lines.length} lines: ${JSON.stringify(reasons)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
