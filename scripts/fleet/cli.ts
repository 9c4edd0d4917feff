/**
 * `npm run fleet`: what a fleet of browsers with the extension does to the
 * console, simulated (docs/fleet.md). For each scenario (a work week; an
 * update rollout; a 2-hour outage; 30 minutes of HTTP 503; a slow console)
 * it simulates the extension as built and, beside it, the baseline it is
 * measured against (syncing at every start and update, a sign-in check of
 * its own, 5-minute first retries), then prints the console's load, the
 * staleness of the fleet's rules and the issue's targets; and writes one SVG
 * plot per scenario.
 *
 *   npm run -s fleet -- [--devices 10000] [--interval 180] [--auth form|bearer|browserSession]
 *     [--seed 1] [--rules 50] [--session-minutes 30] [--off-overnight 0] [--restarts-per-day 2]
 *     [--scenarios week,update,outage,unavailable,slow] [--baseline] [--without CHANGE,…]
 *     [--json] [--plots DIR | --no-plots] [--table]
 *
 * --baseline simulates the baseline alone;
 * --without turns single changes off (startWhenDue, spread, oneRequestSignIn,
 * sessionReuse) to measure each on its own; --table prints the load table of
 * docs/fleet.md (the work week at 100 to 100,000 devices and 30, 180 and
 * 1,440 minutes). With --json, stdout holds exactly one JSON object.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { calibrate, type AuthMode, type Calibration } from './calibrate';
import type { Measured } from './metrics';
import { plotScenario } from './plot';
import { DEFAULT_FLEET, SCENARIOS, type FleetOptions, type Scenario } from './scenarios';
import { AS_BUILT, BASELINE, simulate, type Changes } from './simulate';
import { checkTargets, type TargetCheck } from './targets';

const CHANGES = Object.keys(AS_BUILT) as Array<keyof Changes>;
const REPORTED = [
  'syncs',
  'floorSyncs',
  'avgRps',
  'peakMinuteRequests',
  'avgMinuteRequests',
  'recoveryPeakMinuteRequests',
  'recoveryMinutes',
  'maxStaleMinutes',
  'loginsPerSync',
  'requestsPerSync',
  'requests',
  'refusedRequests',
  'requestsByKind',
  'profileBytes',
  'bytes',
  'perDay',
] as const;

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      devices: { type: 'string' },
      interval: { type: 'string' },
      auth: { type: 'string' },
      seed: { type: 'string' },
      rules: { type: 'string' },
      'session-minutes': { type: 'string' },
      'off-overnight': { type: 'string' },
      'restarts-per-day': { type: 'string' },
      scenarios: { type: 'string' },
      baseline: { type: 'boolean', default: false },
      without: { type: 'string' },
      json: { type: 'boolean', default: false },
      plots: { type: 'string' },
      'no-plots': { type: 'boolean', default: false },
      table: { type: 'boolean', default: false },
    },
  });
  const number = (name: string, value: string | undefined, fallback: number, min: number, max: number) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw new Error(`--${name} must be a number from ${min} to ${max}, not "${value}"`);
    return parsed;
  };
  const auth = (values.auth ?? DEFAULT_FLEET.auth) as AuthMode;
  if (!['form', 'bearer', 'browserSession'].includes(auth)) throw new Error(`--auth must be form, bearer or browserSession, not "${values.auth}"`);
  const fleet: FleetOptions = {
    devices: Math.round(number('devices', values.devices, DEFAULT_FLEET.devices, 1, 1_000_000)),
    intervalMinutes: number('interval', values.interval, DEFAULT_FLEET.intervalMinutes, 30, 1440),
    auth,
    seed: Math.round(number('seed', values.seed, DEFAULT_FLEET.seed, 0, 2 ** 32 - 1)),
    rules: Math.round(number('rules', values.rules, DEFAULT_FLEET.rules, 0, 5000)),
    sessionMinutes: number('session-minutes', values['session-minutes'], DEFAULT_FLEET.sessionMinutes, 1, 10_000),
    offOvernight: number('off-overnight', values['off-overnight'], DEFAULT_FLEET.offOvernight, 0, 1),
    restartsPerDay: number('restarts-per-day', values['restarts-per-day'], DEFAULT_FLEET.restartsPerDay, 0, 50),
  };
  const names = values.scenarios?.split(',') ?? SCENARIOS.map((scenario) => scenario.name);
  const scenarios = names.map((name) => {
    const found = SCENARIOS.find((scenario) => scenario.name === name);
    if (!found) throw new Error(`--scenarios: no scenario "${name}" (there are ${SCENARIOS.map((s) => s.name).join(', ')})`);
    return found;
  });
  const without = values.without?.split(',') ?? [];
  for (const change of without)
    if (!CHANGES.includes(change as keyof Changes)) throw new Error(`--without: no change "${change}" (there are ${CHANGES.join(', ')})`);
  const changes: Changes = values.baseline ? BASELINE : { ...AS_BUILT, ...Object.fromEntries(without.map((change) => [change, false])) };
  return {
    fleet,
    scenarios,
    changes,
    compare: !values.baseline,
    json: values.json,
    plots: values['no-plots'] ? null : (values.plots ?? 'docs/images/fleet'),
    table: values.table,
  };
}

interface ScenarioReport {
  title: string;
  wallTimeMs: number;
  targets: TargetCheck[];
  targetsHold: boolean;
  [metric: string]: unknown;
}

function report(measured: Measured, wallTimeMs: number): Record<string, unknown> {
  return { ...Object.fromEntries(REPORTED.map((key) => [key, measured[key]])), wallTimeMs };
}

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, Math.round(performance.now() - start)];
}

async function runScenarios(options: ReturnType<typeof parse>, calibration: Calibration) {
  const { fleet, changes } = options;
  const results = new Map<string, { built: Measured; baseline: Measured | null; wallTimeMs: number }>();
  const out: Record<string, ScenarioReport> = {};
  const weekScenario = SCENARIOS[0] as Scenario;
  for (const scenario of options.scenarios) {
    const [built, wallTimeMs] = timed(() => simulate(fleet, scenario, changes, calibration));
    const [baseline, baselineMs] = options.compare ? timed(() => simulate(fleet, scenario, BASELINE, calibration)) : [null, 0];
    results.set(scenario.name, { built, baseline, wallTimeMs });
    progress(`${scenario.name}: ${wallTimeMs} ms${baseline ? ` (the baseline: ${baselineMs} ms)` : ''}`, options.json);
    out[scenario.name] = {
      title: scenario.title,
      ...report(built, wallTimeMs),
      wallTimeMs,
      targets: [],
      targetsHold: true,
      ...(baseline ? { baseline: report(baseline, baselineMs) } : {}),
    };
  }
  // The normal busiest minute an incident's recovery is held against: the same fleet's work week.
  const week = results.get('week')?.built ?? simulate(fleet, weekScenario, changes, calibration);
  for (const scenario of options.scenarios) {
    const entry = out[scenario.name] as ScenarioReport;
    entry.targets = checkTargets(fleet, scenario, (results.get(scenario.name) as { built: Measured }).built, week);
    entry.targetsHold = entry.targets.every((check) => check.holds);
  }
  return { results, out };
}

function progress(message: string, json: boolean): void {
  if (json) process.stderr.write(`${message}\n`);
  else process.stdout.write(`${message}\n`);
}

function writePlots(dir: string, options: ReturnType<typeof parse>, results: Map<string, { built: Measured; baseline: Measured | null }>): string[] {
  mkdirSync(dir, { recursive: true });
  const { fleet } = options;
  const subtitle = `${fleet.devices.toLocaleString('en')} devices, syncIntervalMinutes ${fleet.intervalMinutes}, ${fleet.auth} sign-in, seed ${fleet.seed}; the busiest minute of every ten`;
  const written: string[] = [];
  for (const scenario of options.scenarios) {
    const result = results.get(scenario.name);
    if (!result) continue;
    const file = path.join(dir, `${scenario.name}.svg`);
    writeFileSync(file, plotScenario(scenario, result.built, result.baseline, subtitle));
    written.push(file);
  }
  return written;
}

function printText(out: Record<string, ScenarioReport>, compare: boolean): void {
  const rows: Array<[string, string, string]> = [];
  for (const [name, entry] of Object.entries(out)) {
    rows.push([`${name}: ${entry.title}`, 'as built', compare ? 'baseline' : '']);
    const baseline = entry['baseline'] as Record<string, unknown> | undefined;
    for (const key of REPORTED) {
      if (key === 'requestsByKind' || key === 'perDay') continue;
      rows.push([`  ${key}`, String(entry[key]), baseline ? String(baseline[key]) : '']);
    }
    for (const check of entry.targets) rows.push([`  ${check.holds ? 'holds' : 'FAILS'}: ${check.target}`, `${check.value} (limit ${check.limit})`, '']);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, built, baseline] of rows) process.stdout.write(`${label.padEnd(width)}  ${built.padStart(14)}  ${baseline.padStart(14)}\n`);
}

/** The load table of docs/fleet.md: the work week, per day, for each fleet size and interval. */
function printTable(options: ReturnType<typeof parse>, calibration: Calibration): void {
  const week = SCENARIOS[0] as Scenario;
  process.stdout.write(
    '| devices | interval (min) | syncs per day | requests per day | sign-ins per day | MB per day | busiest minute (requests) | average minute (requests) |\n',
  );
  process.stdout.write('|---:|---:|---:|---:|---:|---:|---:|---:|\n');
  for (const devices of [100, 1_000, 10_000, 100_000]) {
    for (const intervalMinutes of [30, 180, 1440]) {
      const fleet = { ...options.fleet, devices, intervalMinutes };
      const [measured, ms] = timed(() => simulate(fleet, week, options.changes, calibration));
      const day = measured.perDay;
      const format = (value: number) => value.toLocaleString('en');
      process.stdout.write(
        `| ${format(devices)} | ${format(intervalMinutes)} | ${format(day.syncs)} | ${format(day.requests)} | ${format(day.logins)} | ${(day.bytes / 1e6).toFixed(1)} | ${format(measured.peakMinuteRequests)} | ${measured.avgMinuteRequests} |\n`,
      );
      process.stderr.write(`${devices} devices, ${intervalMinutes} min: ${ms} ms\n`);
    }
  }
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`fleet: ${(error as Error).message}\n`);
    return 2;
  }
  const started = performance.now();
  const calibration = await calibrate(options.fleet.rules);
  try {
    if (options.table) {
      printTable(options, calibration);
      return 0;
    }
    const { results, out } = await runScenarios(options, calibration);
    const plots = options.plots ? writePlots(options.plots, options, results) : [];
    const targetsHold = Object.values(out).every((entry) => entry.targetsHold);
    const wallTimeMs = Math.round(performance.now() - started);
    if (options.json) {
      const changes = options.changes;
      process.stdout.write(
        `${JSON.stringify({ fleet: options.fleet, changes, profileBytes: calibration.profileBytes, scenarios: out, targetsHold, plots, wallTimeMs }, null, 2)}\n`,
      );
    } else {
      printText(out, options.compare);
      process.stdout.write(`${targetsHold ? 'every target holds' : 'a target FAILS'}; plots: ${plots.join(', ') || 'none'}; wall time ${wallTimeMs} ms\n`);
    }
    return 0;
  } finally {
    await calibration.close();
  }
}

process.exitCode = await main();
