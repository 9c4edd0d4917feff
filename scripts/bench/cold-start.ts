/**
 * `npm run bench:cold-start`: how long the first decision takes after the
 * browser stopped the service worker (the budget: ≤ 60 ms with 10,000 rules
 * stored, and at least 4× faster than the same with the naive matcher).
 *
 *   tsx scripts/bench/cold-start.ts [--rules 10000] [--runs 15] [--source stored|local|managed] [--json] [--no-naive] [--engine-dir dist/chrome]
 *
 * For each variant — the shipped build (dist/chrome) and the naive variant
 * (the same build with the naive matcher and no compiled-rules cache, built
 * into .tmp/cold-naive by naive-build.ts) — one Chromium launch with the rules
 * stored as in production:
 * - `stored` (default): half the rules (at most 5,000, the most a profile may
 *   hold) synced by the extension itself from the console emulator's default
 *   profile, the rest saved as local rules (policy `localRules: all`);
 * - `local`: all of them as local rules;
 * - `managed`: the profile's half as above, the rest in the managed policy
 *   (read from storage.managed at every wake-up).
 * Once the rules are in force and the worker has woken up from its cache once
 * (a warm cache, as after the first wake-up), each run stops the service
 * worker through the DevTools protocol, then sends ONE `evaluateUrl` from the
 * open options page and times send → reply there. The two variants must give
 * the same decisions. With --json, stdout holds exactly one JSON object and
 * progress goes to stderr. Needs `npm run build` first. Not a test: CI runs it
 * only as a smoke check with small sizes (test/e2e/cold-start-bench.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compileSource } from '../../src/engine/index';
import type { UrlEvaluation } from '../../src/shared/messages';
import { DEMO_USER } from '../../test/console/emulator/index';
import { CHROME_DIST, CHROMIUM } from '../../test/e2e/chromium';
import { startEnvironment, type E2eEnvironment } from '../../test/e2e/support/environment';
import { waitFor } from '../../test/e2e/support/harness';
import { buildNaiveVariant } from './naive-build';
import { generateBenchData, type RawBenchRule } from './rule-data';
import { median, percentile } from './stats';

/** The most rules a console profile may hold (docs/console-api.md), and the managed policy alike. */
const MAX_PER_SOURCE = 5000;
const PROFILE_ID = 'c01d5747-0000-4000-8000-000000000001';

const SOURCES = ['stored', 'local', 'managed'] as const;
type Source = (typeof SOURCES)[number];

interface Options {
  rules: number;
  runs: number;
  source: Source;
  json: boolean;
  naive: boolean;
  /** The build measured as "engine" (default dist/chrome). */
  engineDir: string;
}

export interface VariantResult {
  variant: 'engine' | 'naive';
  /** send → reply of the one evaluateUrl after each stop, in the options page. */
  samplesMs: number[];
  medianMs: number;
  p90Ms: number;
  /** Medians of the background's own marks (ms since the worker started): start, loaded, compiled. */
  wakeUpMs: Record<string, number>;
  /** Runs in which the background woke up from its compiled-rules cache. */
  fromCache: number;
  decisions: string[];
}

export interface ColdStartResult {
  rules: number;
  engineMedianMs: number;
  naiveMedianMs: number | null;
  ratio: number | null;
  runs: number;
  engineP90Ms: number;
  naiveP90Ms: number | null;
  source: Source;
  chromium: string;
  engineWakeUpMs: Record<string, number>;
  naiveWakeUpMs: Record<string, number> | null;
  sameDecisions: boolean | null;
  engineDir: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      rules: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '15' },
      source: { type: 'string', default: 'stored' },
      json: { type: 'boolean', default: false },
      'no-naive': { type: 'boolean', default: false },
      'engine-dir': { type: 'string', default: CHROME_DIST },
    },
  });
  const rules = Number(values.rules);
  const runs = Number(values.runs);
  const source = values.source as Source;
  if (!Number.isInteger(rules) || rules < 2) throw new Error('--rules must be an integer ≥ 2');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  if (!SOURCES.includes(source)) throw new Error(`--source is one of ${SOURCES.join(', ')}`);
  if (source === 'managed' && rules > 2 * MAX_PER_SOURCE)
    throw new Error(`--source managed holds at most ${2 * MAX_PER_SOURCE} rules (policy and profile ${MAX_PER_SOURCE} each)`);
  return { rules, runs, source, json: values.json, naive: !values['no-naive'], engineDir: path.resolve(values['engine-dir']) };
}

const log = (options: Options, line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);

/** Half the rules (at most a profile's worth) for the profile, the rest for the other source. */
function splitRules(rules: RawBenchRule[]): { profile: RawBenchRule[]; rest: RawBenchRule[] } {
  const profileCount = Math.min(MAX_PER_SOURCE, Math.floor(rules.length / 2));
  return { profile: rules.slice(0, profileCount), rest: rules.slice(profileCount) };
}

async function setLocalRules(env: E2eEnvironment, rules: RawBenchRule[]): Promise<void> {
  const reply = await env.ext.send({ type: 'setLocalRules', rules });
  if (!reply.ok) {
    await env.close();
    throw new Error(`the local rules were refused: ${reply.error.message}`);
  }
}

async function startVariant(options: Options, rules: RawBenchRule[], extensionDir: string): Promise<E2eEnvironment> {
  if (options.source === 'local') {
    const env = await startEnvironment({ seed: null, extensionDir, policy: () => ({ localRules: 'all' }) });
    await setLocalRules(env, rules);
    return env;
  }
  const { profile, rest } = splitRules(rules);
  const managed = options.source === 'managed' ? rest : undefined;
  const env = await startEnvironment({
    extensionDir,
    seed: {
      accounts: [DEMO_USER],
      profiles: [{ id: PROFILE_ID, name: 'Cold start', description: 'Benchmark rules', rules: profile }],
      defaultProfileId: PROFILE_ID,
    },
    policy: ({ consoleUrl }) => ({
      consoleUrl,
      authMode: 'bearer',
      token: DEMO_USER.token,
      syncIntervalMinutes: 1440,
      localRules: 'all',
      ...(managed ? { rules: managed } : {}),
    }),
  });
  // The first start syncs the profile; its storage write brings the new rules in force.
  await waitFor(
    () => env.ext.ask({ type: 'getStatus' }),
    (status) => status.sync.lastSuccessAt !== null || status.sync.lastError !== null,
    'the first sync',
    60_000,
  );
  if (!managed) await setLocalRules(env, rest);
  return env;
}

/** Fails unless exactly the expected rules are in force (a rejected source would make the numbers meaningless). */
async function checkRulesInForce(env: E2eEnvironment, expected: number): Promise<void> {
  const sources = await waitFor(
    () => env.ext.ask({ type: 'getRuleSources' }),
    (value) => value.sources.filter((source) => source.inForce).reduce((sum, source) => sum + source.rules.length, 0) === expected,
    `${expected} rules in force`,
    60_000,
  );
  const problems = sources.sources.flatMap((source) => [...source.errors, ...source.warnings]);
  if (problems.length > 0) throw new Error(`the benchmark rules have problems: ${problems[0]?.message ?? ''}`);
}

/** Stops the worker, then times one evaluateUrl from the options page. */
async function coldDecision(env: E2eEnvironment, url: string): Promise<{ ms: number; evaluation: UrlEvaluation; timings: Record<string, number> }> {
  await env.ext.stopWorker();
  // Let the DevTools session close and the browser settle before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const page = await env.ext.messengerPage();
  const { ms, reply } = await page.evaluate(async (target) => {
    const start = performance.now();
    const answer = await chrome.runtime.sendMessage({ type: 'evaluateUrl', url: target });
    return { ms: performance.now() - start, reply: answer as { ok: boolean; value?: unknown; error?: { message: string } } };
  }, url);
  if (!reply.ok) throw new Error(`evaluateUrl failed: ${reply.error?.message ?? 'no reply'}`);
  const timings = await env.ext.wakeUpMarks();
  return { ms, evaluation: reply.value as UrlEvaluation, timings };
}

/** What must be equal between the variants: the decision, its reason, the deciding rule and every match. */
const decisionKey = (evaluation: UrlEvaluation) =>
  JSON.stringify([evaluation.decision, evaluation.reason, evaluation.rule, evaluation.matched.map((rule) => [rule.source, rule.index])]);

async function measureVariant(
  options: Options,
  variant: 'engine' | 'naive',
  extensionDir: string,
  rules: RawBenchRule[],
  urls: string[],
): Promise<VariantResult> {
  log(
    options,
    `${variant}: starting Chromium with ${rules.length} rules (${options.source}) from ${path.relative(process.cwd(), extensionDir) || extensionDir}`,
  );
  const env = await startVariant(options, rules, extensionDir);
  try {
    await checkRulesInForce(env, rules.length);
    // One wake-up before measuring: the cache is then written and read as after any first wake-up.
    await coldDecision(env, urls[0] as string);
    const samplesMs: number[] = [];
    const decisions: string[] = [];
    const marks: Record<string, number[]> = {};
    let fromCache = 0;
    for (let run = 0; run < options.runs; run++) {
      const { ms, evaluation, timings } = await coldDecision(env, urls[run % urls.length] as string);
      samplesMs.push(ms);
      decisions.push(decisionKey(evaluation));
      if ('cached' in timings) fromCache += 1;
      for (const [mark, at] of Object.entries(timings)) (marks[mark] ??= []).push(at);
      log(options, `  ${variant} run ${run + 1}/${options.runs}: ${ms.toFixed(1)} ms  (worker marks: ${JSON.stringify(timings)})`);
    }
    const wakeUpMs = Object.fromEntries(Object.entries(marks).map(([mark, values]) => [mark, median(values)]));
    return { variant, samplesMs, medianMs: median(samplesMs), p90Ms: percentile(samplesMs, 0.9), wakeUpMs, fromCache, decisions };
  } finally {
    await env.close();
  }
}

/** The browser's own version line, for the report. */
function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return 'unknown';
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

export async function runColdStart(argv: string[]): Promise<ColdStartResult> {
  const options = parseOptions(argv);
  if (!existsSync(path.join(options.engineDir, 'manifest.json'))) throw new Error(`${options.engineDir} is missing: run "npm run build" first`);
  const data = generateBenchData(options.rules, Math.max(options.runs, 1) + 1);
  // Only rules the engine accepts as they are: a dropped or refused rule would skew the count.
  const check = compileSource('local', data.rules, {});
  if (!check.accepted || check.errors.length + check.warnings.length > 0) throw new Error('the generated benchmark rules do not all compile');
  const naiveDir = options.naive ? await buildNaiveVariant() : null;

  const engine = await measureVariant(options, 'engine', options.engineDir, data.rules, data.urls);
  if (engine.fromCache !== options.runs)
    throw new Error(`the shipped build woke up from its compiled-rules cache in ${engine.fromCache} of ${options.runs} runs`);
  const naive = naiveDir ? await measureVariant(options, 'naive', naiveDir, data.rules, data.urls) : null;
  if (naive && naive.fromCache !== 0) throw new Error('the naive variant used a compiled-rules cache');
  const sameDecisions = naive ? naive.decisions.every((key, at) => key === engine.decisions[at]) : null;
  if (sameDecisions === false) throw new Error('the naive variant and the engine disagree on a decision');

  const roundAll = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).map(([key, value]) => [key, round(value)]));
  return {
    rules: options.rules,
    engineMedianMs: round(engine.medianMs),
    naiveMedianMs: naive ? round(naive.medianMs) : null,
    ratio: naive ? round(naive.medianMs / engine.medianMs) : null,
    runs: options.runs,
    engineP90Ms: round(engine.p90Ms),
    naiveP90Ms: naive ? round(naive.p90Ms) : null,
    source: options.source,
    chromium: chromiumVersion(),
    engineWakeUpMs: roundAll(engine.wakeUpMs),
    naiveWakeUpMs: naive ? roundAll(naive.wakeUpMs) : null,
    sameDecisions,
    engineDir: options.engineDir,
  };
}

function printTable(result: ColdStartResult): void {
  const ms = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} ms`);
  const rows = [
    ['variant', 'median', 'p90', 'worker marks (median ms since worker start)'],
    [
      `engine (${path.relative(process.cwd(), result.engineDir) || result.engineDir})`,
      ms(result.engineMedianMs),
      ms(result.engineP90Ms),
      JSON.stringify(result.engineWakeUpMs),
    ],
    ['naive (.tmp/cold-naive)', ms(result.naiveMedianMs), ms(result.naiveP90Ms), result.naiveWakeUpMs ? JSON.stringify(result.naiveWakeUpMs) : '—'],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  process.stdout.write(`\nCold start: ${result.rules} rules (${result.source}), ${result.runs} runs, ${result.chromium}\n`);
  for (const row of rows) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}\n`);
  if (result.ratio !== null) process.stdout.write(`engine is ${result.ratio}× faster than naive; same decisions: ${result.sameDecisions}\n`);
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  runColdStart(process.argv.slice(2))
    .then((result) => {
      if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
      else printTable(result);
    })
    .catch((error: unknown) => {
      process.stderr.write(`cold-start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
