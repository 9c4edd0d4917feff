/**
 * `npm run bench`: the compiled rule index against the naive matcher (docs/performance.md).
 *
 *   node --expose-gc --import tsx scripts/bench/rules-bench.ts [--json] [--sizes 1000,10000,100000] [--urls 20000] [--rounds 5] [--export-sizes 500,5000]
 *
 * For each size: seeded realistic rules and URLs; memory first (heap after GC,
 * before and after normalising and indexing, references kept); compile time;
 * then, after a warm-up, rounds alternating our engine and the naive matcher on
 * the same pre-normalised targets, timing every decision. Then the policy
 * export at each --export-sizes size in each mix, one child process each
 * (export-bench.ts). With --json, stdout holds exactly one JSON object and
 * progress goes to stderr.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  buildRuleSet,
  compileSource,
  decide,
  decideTarget,
  loadRuleSet,
  saveRuleSet,
  normalizeTarget,
  type RuleSet,
  type Target,
} from '../../src/engine/index';
import { createNaiveMatcher, type NaiveMatcher } from '../../test/helpers/naive-matcher.mjs';
import { fileURLToPath } from 'node:url';
import { formatExportTable, measureExport, runExportChild } from './export-bench';
import { EXPORT_MIXES, type ExportMix } from './export-data';
import { generateBenchData } from './rule-data';
import { median, percentile, timerOverheadNs } from './stats';

interface Options {
  json: boolean;
  sizes: number[];
  urls: number;
  rounds: number;
  exportSizes: number[];
}

export interface SizeResult {
  rules: number;
  /** decideTarget on a pre-normalised host and port: the engine's matching. */
  engineMedianNs: number;
  engineP99Ns: number;
  naiveMedianNs: number;
  ratio: number;
  /** Building the index from normalised rules (buildRuleSet). */
  compileMs: number;
  /** Heap kept by the normalised rules and the index, per rule. */
  bytesPerRule: number;
  /** decide(ruleSet, url) on the URL string, URL parsing included. */
  urlMedianNs: number;
  urlP99Ns: number;
  naiveP99Ns: number;
  /** compileSource on the rules as delivered (validation and normalising). */
  normalizeMs: number;
  /** Heap kept by the index alone, per rule. */
  indexBytesPerRule: number;
  /** Mean ns per decideTarget over whole passes (no per-call timer). */
  engineMeanNs: number;
  /** What a service worker does at wake-up: loadRuleSet on the stored string (saveRuleSet: rules and index). */
  loadMs: number;
  /** Length of that stored string per rule. */
  storedCharsPerRule: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const list = (name: string, fallback: string) => {
    const sizes = (value(name) ?? fallback).split(',').map((size) => Number(size.trim()));
    if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) throw new Error(`${name} takes positive integers, e.g. ${name} 200,500`);
    return sizes;
  };
  return {
    json: argv.includes('--json'),
    sizes: list('--sizes', '1000,10000,100000'),
    urls: Number(value('--urls') ?? 20_000),
    rounds: Number(value('--rounds') ?? 5),
    exportSizes: list('--export-sizes', '500,5000'),
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
function settledHeap(): number {
  if (!gc) return Number.NaN;
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

let sink = 0;

function measureSize(size: number, options: Options, log: (line: string) => void): SizeResult {
  const data = generateBenchData(size, options.urls);
  const keep: unknown[] = [];

  // Memory: what the engine keeps for these rules, above the rules as delivered.
  const empty = settledHeap();
  const source = compileSource('profile', data.rules);
  keep.push(source);
  const normalised = settledHeap();
  const measured = buildRuleSet([source]);
  keep.push(measured);
  const indexed = settledHeap();
  const bytesPerRule = (indexed - empty) / size;
  const indexBytesPerRule = (indexed - normalised) / size;
  if (source.rules.length !== size) throw new Error(`only ${source.rules.length} of ${size} generated rules are valid`);

  const normalizeTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    keep.push(compileSource('profile', data.rules));
    normalizeTimes.push(performance.now() - start);
    keep.pop();
  }
  const compileTimes: number[] = [];
  let ruleSet: RuleSet | null = null;
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    ruleSet = buildRuleSet([source]);
    compileTimes.push(performance.now() - start);
  }
  const stored = saveRuleSet(ruleSet as RuleSet);
  if (stored === null) throw new Error('the rule set could not be saved');
  const loadTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const loaded = loadRuleSet(stored);
    if (!loaded) throw new Error('the saved rule set did not load');
    keep.push(loaded);
    loadTimes.push(performance.now() - start);
    keep.pop();
  }
  const naive = createNaiveMatcher(source.rules);
  const targets = data.urls.map(normalizeTarget).filter((target): target is Target & { kind: 'tls' } => target.kind === 'tls');
  checkAgreement(ruleSet, naive, targets.slice(0, 2_000));

  const overhead = timerOverheadNs();
  const engine: number[] = [];
  const viaUrl: number[] = [];
  const naiveTimes: number[] = [];
  const passMeans: number[] = [];
  // Warm-up: let the JIT settle on both before anything is recorded.
  timeEngine(ruleSet, targets, [], 0);
  timeUrl(ruleSet, data.urls, [], 0);
  timeNaive(naive, targets.slice(0, 50), [], 250);
  // The naive matcher gets a time budget per round; it sees a different slice each round.
  const naivePerRound = Math.max(20, Math.min(targets.length, Math.floor(300_000 / Math.max(1, size))));
  for (let round = 0; round < options.rounds; round++) {
    passMeans.push(timeEngine(ruleSet, targets, engine, overhead));
    const from = (round * naivePerRound) % Math.max(1, targets.length - naivePerRound);
    timeNaive(naive, targets.slice(from, from + naivePerRound), naiveTimes, 10_000);
    timeUrl(ruleSet, data.urls, viaUrl, overhead);
    log(`  ${size} rules: round ${round + 1}/${options.rounds}`);
  }
  const engineMedianNs = median(engine);
  const naiveMedianNs = median(naiveTimes);
  keep.length = 0;
  return {
    rules: size,
    engineMedianNs: round1(engineMedianNs),
    engineP99Ns: round1(percentile(engine, 0.99)),
    naiveMedianNs: round1(naiveMedianNs),
    ratio: Math.round(naiveMedianNs / engineMedianNs),
    compileMs: round2(median(compileTimes)),
    bytesPerRule: Math.round(bytesPerRule),
    urlMedianNs: round1(median(viaUrl)),
    urlP99Ns: round1(percentile(viaUrl, 0.99)),
    naiveP99Ns: round1(percentile(naiveTimes, 0.99)),
    normalizeMs: round2(median(normalizeTimes)),
    indexBytesPerRule: Math.round(indexBytesPerRule),
    engineMeanNs: round1(median(passMeans)),
    loadMs: round2(median(loadTimes)),
    storedCharsPerRule: round1(stored.length / size),
  };
}

/** A benchmark of a wrong matcher proves nothing: both must give the same answers. */
function checkAgreement(ruleSet: RuleSet | null, naive: NaiveMatcher, targets: readonly { host: string; port: string }[]): void {
  for (const target of targets) {
    const ours = decideTarget(ruleSet, { kind: 'tls', host: target.host, port: target.port });
    const theirs = naive.decide(target.host, target.port);
    if (ours.decision !== theirs.decision || (ours.rule?.index ?? null) !== theirs.rule) {
      throw new Error(`engine and naive matcher disagree on ${target.host}:${target.port}`);
    }
  }
}

/** Times every decideTarget call; returns the mean per call over the pass measured as a whole. */
function timeEngine(ruleSet: RuleSet | null, targets: readonly Target[], out: number[], overhead: number): number {
  const passStart = performance.now();
  for (const target of targets) {
    const start = performance.now();
    const verdict = decideTarget(ruleSet, target);
    const took = (performance.now() - start) * 1e6 - overhead;
    sink += verdict.reason.length;
    out.push(took > 0 ? took : 0);
  }
  const perCallWithTimer = ((performance.now() - passStart) * 1e6) / targets.length;
  // The pass mean includes two timer reads per call; take them out the same way.
  return Math.max(0, perCallWithTimer - overhead);
}

function timeUrl(ruleSet: RuleSet | null, urls: readonly string[], out: number[], overhead: number): void {
  for (const url of urls) {
    const start = performance.now();
    const verdict = decide(ruleSet, url);
    const took = (performance.now() - start) * 1e6 - overhead;
    sink += verdict.reason.length;
    out.push(took > 0 ? took : 0);
  }
}

function timeNaive(naive: NaiveMatcher, targets: readonly { host: string; port: string }[], out: number[], budgetMs: number): void {
  const until = performance.now() + budgetMs;
  for (const target of targets) {
    const start = performance.now();
    const verdict = naive.decide(target.host, target.port);
    out.push((performance.now() - start) * 1e6);
    sink += verdict.decision.length;
    if (performance.now() > until) break;
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

export function machine() {
  const cpus = os.cpus();
  return { node: process.version, cpu: cpus[0]?.model ?? 'unknown', cpus: cpus.length, platform: `${os.platform()} ${os.arch()}` };
}

function formatTable(results: readonly SizeResult[]): string {
  const header = [
    'rules',
    'engine median',
    'engine p99',
    'decide(url) median',
    'naive median',
    'vs naive',
    'compile',
    'bytes/rule (index)',
    'normalise',
    'load',
  ];
  const rows = results.map((r) => [
    r.rules.toLocaleString('en-US'),
    `${(r.engineMedianNs / 1000).toFixed(3)} µs`,
    `${(r.engineP99Ns / 1000).toFixed(3)} µs`,
    `${(r.urlMedianNs / 1000).toFixed(3)} µs`,
    `${(r.naiveMedianNs / 1000).toFixed(1)} µs`,
    `${r.ratio.toLocaleString('en-US')}×`,
    `${r.compileMs.toFixed(2)} ms`,
    `${r.bytesPerRule} (${r.indexBytesPerRule})`,
    `${r.normalizeMs.toFixed(1)} ms`,
    `${r.loadMs.toFixed(1)} ms`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function main(): void {
  const argv = process.argv.slice(2);
  const child = argv.indexOf('--child');
  if (child >= 0) {
    const mix = argv[child + 1] as ExportMix;
    if (!EXPORT_MIXES.includes(mix)) throw new Error(`--child takes a mix (${EXPORT_MIXES.join(', ')}) and a rule count`);
    process.stdout.write(`${JSON.stringify(runExportChild(mix, Number(argv[child + 2])))}\n`);
    return;
  }
  const options = parseOptions(argv);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!gc) log('note: run with node --expose-gc for memory figures (npm run bench does)');
  const results = options.sizes.map((size) => {
    log(`measuring ${size} rules …`);
    return measureSize(size, options, log);
  });
  const exported = measureExport(options.exportSizes, fileURLToPath(import.meta.url), log);
  const info = machine();
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ node: info.node, cpu: info.cpu, cpus: info.cpus, results, export: exported })}\n`);
    return;
  }
  console.log(`Node ${info.node}, ${info.cpus} × ${info.cpu}, ${info.platform}`);
  console.log(formatTable(results));
  console.log(`\n${formatExportTable(exported)}`);
  console.log(
    '\nengine = decideTarget on a pre-normalised host:port (the index lookups, deny then allow); decide(url) adds URL parsing;\n' +
      'per-call timer overhead is measured and subtracted; naive = one RegExp per rule, deny rules then allow rules, same targets;\n' +
      'compile = buildRuleSet from normalised rules; bytes/rule = heap after GC kept by the normalised rules plus the\n' +
      'index (the index alone in brackets); normalise = compileSource on rules as delivered (validation, IDNA);\n' +
      'load = loadRuleSet on the stored one-string form (rules and index, saveRuleSet: what a service worker does at wake-up);\n' +
      'export = one child process per size: compileSource, compilePolicy and the chrome-json file, cold; peak memory = the\n' +
      "child's process.resourceUsage().maxRSS (Node itself included).",
  );
  if (sink === 42) console.log('');
}

main();
