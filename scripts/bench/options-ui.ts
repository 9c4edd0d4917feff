/**
 * `npm run bench:ui`: the options page with a real-size rule set in headless
 * Chromium (Debian's /usr/bin/chromium, the built extension in dist/chrome):
 *
 *   tsx scripts/bench/options-ui.ts [--rules 5000] [--runs 5] [--mix engine|hosts|overlap] [--json] [--no-export]
 *
 * One Chromium launch with the console emulator's default profile holding
 * `--rules` rules (synced by the extension itself, as in production) and a
 * console admin, then, `--runs` times each in a fresh tab. The rules are the
 * engine benchmark's mix (`--mix engine`, scripts/bench/rule-data.ts) or one
 * of the export benchmark's (`hosts`, `overlap`: scripts/bench/export-data.ts).
 * The figures, each under its own name in `figures`:
 * - first render: navigation start → the first frame after the rules section
 *   shows the profile's rows (the page loads, asks the background for the
 *   rules, renders one page of them);
 * - filter keystroke: a query typed key by key into the rules filter; each
 *   keystroke from the key event to the next frame after the page updated;
 * - export in the worker: the browser policy section's preview export, from
 *   the worker's start to its answer, and to the first frame that shows it;
 *   until the answer, the longest gap between two frames of the page (the
 *   page stays responsive while the worker works);
 * - the console profile editor: "Open" → the first frame with its rows, and
 *   keystrokes in its filter;
 * - then the same rules again as local rules (the rule editor): first render
 *   of the rules section with both (twice the rules on the page), and
 *   keystrokes in the local rules' filter;
 * - then the local rules alone (the console profile emptied and synced): the
 *   rule editor opening a `--rules` rule set, as the rules list and the
 *   profile editor do above.
 * The times come from the page's own clock (performance.now()), read through
 * a script added to every page before its own (nothing in the product is there
 * for the benchmark). With --json, stdout holds exactly one JSON object and
 * progress goes to stderr: `figures.{rulesList,localEditor,localEditorWithProfile,profileEditor,exportInWorker}`
 * give each figure's median and worst, `details` every sample. Needs
 * `npm run build` first, and the e2e lock: `flock /tmp/e2e.lock npm run bench:ui`
 * (it writes Chromium's policy).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { compileSource } from '../../src/engine/index';
import { DEMO_ADMIN } from '../../test/console/emulator/index';
import { CHROME_DIST, CHROMIUM } from '../../test/e2e/chromium';
import { startEnvironment, type E2eEnvironment } from '../../test/e2e/support/environment';
import { waitFor } from '../../test/e2e/support/harness';
import { EXPORT_MIXES, generateExportRules } from './export-data';
import { generateBenchData, type RawBenchRule } from './rule-data';
import { median, percentile } from './stats';

const PROFILE_ID = 'b3c4d5e6-0000-4000-8000-000000000005';
const PROFILE_NAME = 'Benchmark';
const QUERY = 'acme1 port:8443';

const MIXES = ['engine', ...EXPORT_MIXES] as const;
type Mix = (typeof MIXES)[number];

interface Options {
  rules: number;
  mix: Mix;
  runs: number;
  json: boolean;
  exportToo: boolean;
  timeoutMs: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      rules: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '5' },
      mix: { type: 'string', default: 'engine' },
      json: { type: 'boolean', default: false },
      'no-export': { type: 'boolean', default: false },
      'export-timeout': { type: 'string', default: '600' },
    },
  });
  const rules = Number(values.rules);
  const runs = Number(values.runs);
  const timeout = Number(values['export-timeout']);
  if (!Number.isInteger(rules) || rules < 1 || rules > 5000) throw new Error('--rules must be an integer from 1 to 5000 (the most a console profile holds)');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  if (!Number.isFinite(timeout) || timeout <= 0) throw new Error('--export-timeout is in seconds, more than 0');
  const mix = MIXES.find((name) => name === values.mix);
  if (mix === undefined) throw new Error(`--mix must be one of ${MIXES.join(', ')}, not "${values.mix}"`);
  return { rules, runs, mix, json: values.json, exportToo: !values['no-export'], timeoutMs: timeout * 1000 };
}

/**
 * Added to every page before its own scripts: marks the first frame after
 * each watched element appears, times keystrokes in the filter boxes to the
 * next frame, and notes when an export worker starts and answers, with the
 * page's frames meanwhile.
 */
const PAGE_PROBE = `(() => {
  const marks = {};
  const keys = [];
  const frames = [];
  let exporting = false;
  globalThis.__uiBench = { marks, keys, frames };
  // The end of the next frame: a message posted from its animation-frame callback runs once the frame's task (style,
  // layout, paint, commit) is done. A zero timeout posted there ran up to 40 ms after an idle frame here (Chrome's
  // timer scheduling), which timed the scheduler, not the page.
  const afterFrame = (then) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => then();
    channel.port2.postMessage(null);
  });
  const watches = [
    ['profileTable', '[data-source="profile"] tbody tr'],
    ['localEditor', '[data-source="local"] li.rule-row'],
    ['profileEditor', '.profile-editor li.rule-row'],
    ['exportShown', '.policy-preview'],
  ];
  const check = () => {
    for (const [name, selector] of watches) {
      if (name in marks || !document.querySelector(selector)) continue;
      marks[name] = null;
      afterFrame(() => { marks[name] = performance.now(); });
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  document.addEventListener('keydown', (event) => {
    const id = event.target && event.target.id;
    if (id !== 'rules-filter' && id !== 'profile-filter') return;
    const start = event.timeStamp;
    afterFrame(() => keys.push(performance.now() - start));
  }, true);
  const frame = (at) => { frames.push(at); if (exporting) requestAnimationFrame(frame); };
  const Original = globalThis.Worker;
  globalThis.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      marks.workerStart = performance.now();
      exporting = true;
      frames.length = 0;
      requestAnimationFrame(frame);
      this.addEventListener('message', (event) => {
        if (event.data && (event.data.type === 'result' || event.data.type === 'error')) {
          marks.workerAnswer = performance.now();
          marks.workerOutcome = event.data.type === 'result' ? 'result' : event.data.message;
          afterFrame(() => { exporting = false; });
        }
      });
    }
  };
})();`;

interface Probe {
  marks: Record<string, number | string | null>;
  keys: number[];
  frames: number[];
}

const readProbe = (page: Page) => page.evaluate(() => (globalThis as unknown as { __uiBench: Probe }).__uiBench);

async function waitMark(page: Page, name: string, timeoutMs = 60_000): Promise<number> {
  const probe = await waitFor(
    () => readProbe(page),
    (value) => typeof value.marks[name] === 'number',
    `the page to show ${name}`,
    timeoutMs,
  );
  return probe.marks[name] as number;
}

async function optionsPage(env: E2eEnvironment, hash: string): Promise<Page> {
  const page = await env.ext.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.addInitScript(PAGE_PROBE);
  await page.goto(env.ext.extensionUrl(`src/ui/options/index.html#${hash}`));
  return page;
}

/** Types the query into a filter box key by key, each after the page settled; the keystrokes' times. */
async function typeQuery(page: Page, boxId: string, query: string): Promise<number[]> {
  const box = page.locator(`#${boxId}`);
  await box.click();
  await page.evaluate(() => (globalThis as unknown as { __uiBench: Probe }).__uiBench.keys.splice(0));
  for (const key of query) {
    await page.keyboard.type(key);
    await page.waitForTimeout(150);
  }
  await box.fill('');
  const probe = await readProbe(page);
  return probe.keys.slice(0, query.length);
}

const log = (options: Options, line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
const round = (value: number) => Math.round(value * 10) / 10;
/** A figure as the docs give it: the median of the samples and the worst one. */
const medianAndMax = (figure: { median: number; max: number }) => ({ median: figure.median, max: figure.max });
const summary = (samples: number[]) => ({
  median: round(median(samples)),
  p90: round(percentile(samples, 0.9)),
  max: round(Math.max(...samples)),
  samples: samples.map(round),
});

async function rulesSection(env: E2eEnvironment, options: Options, watch: 'profileTable' | 'localEditor', label: string) {
  const render: number[] = [];
  const keys: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const page = await optionsPage(env, 'rules');
    render.push(await waitMark(page, watch));
    keys.push(...(await typeQuery(page, 'rules-filter', QUERY)));
    const rows = await page.locator('tbody tr, li.rule-row').count();
    log(options, `  ${label} run ${run + 1}/${options.runs}: first render ${render.at(-1)?.toFixed(1)} ms, ${rows} rows in the DOM`);
    await page.close();
  }
  return { firstRenderMs: summary(render), filterKeystrokeMs: summary(keys) };
}

async function exportInWorker(env: E2eEnvironment, options: Options) {
  const total: number[] = [];
  const shown: number[] = [];
  const longestFrame: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const page = await optionsPage(env, 'browser-policy');
    const start = await waitMark(page, 'workerStart');
    const answer = await waitMark(page, 'workerAnswer', options.timeoutMs);
    const outcome = (await readProbe(page)).marks['workerOutcome'];
    // The page's frames while the worker worked (until its answer came): the longest gap is how long the page did not answer.
    const frames = (await readProbe(page)).frames.filter((at) => at <= answer);
    const gaps = frames.slice(1).map((at, i) => at - (frames[i] as number));
    if (outcome !== 'result') {
      // Reported, not thrown: the other figures still stand (the compiler's bound is the export's business).
      const longest = round(Math.max(0, ...gaps));
      log(
        options,
        `  export run ${run + 1}/${options.runs}: the worker answered with an error after ${(answer - start).toFixed(0)} ms (longest frame meanwhile ${longest} ms): ${String(outcome)}`,
      );
      await page.close();
      return {
        exportWorkerMs: null,
        exportShownMs: null,
        exportLongestFrameMs: summary([longest]),
        exportError: String(outcome),
        exportErrorAfterMs: round(answer - start),
      };
    }
    const painted = await waitMark(page, 'exportShown');
    total.push(answer - start);
    shown.push(painted - start);
    longestFrame.push(Math.max(0, ...gaps));
    log(
      options,
      `  export run ${run + 1}/${options.runs}: worker ${total.at(-1)?.toFixed(0)} ms, shown ${shown.at(-1)?.toFixed(0)} ms, longest frame meanwhile ${longestFrame.at(-1)?.toFixed(1)} ms (${frames.length} frames)`,
    );
    await page.close();
  }
  return { exportWorkerMs: summary(total), exportShownMs: summary(shown), exportLongestFrameMs: summary(longestFrame), exportError: null };
}

async function profileEditor(env: E2eEnvironment, options: Options) {
  const open: number[] = [];
  const keys: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const page = await optionsPage(env, 'profiles');
    const button = page.getByRole('button', { name: `Open ${PROFILE_NAME}` });
    await button.waitFor({ timeout: 30_000 });
    const clicked = await page.evaluate(() => performance.now());
    await button.click();
    open.push((await waitMark(page, 'profileEditor')) - clicked);
    keys.push(...(await typeQuery(page, 'profile-filter', QUERY)));
    log(options, `  profile editor run ${run + 1}/${options.runs}: open ${open.at(-1)?.toFixed(1)} ms (includes the console's answer)`);
    await page.close();
  }
  return { openMs: summary(open), filterKeystrokeMs: summary(keys) };
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return 'unknown';
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** The console's profile holds no rules any more, and the extension has synced that: only the local rules are left. */
async function emptyProfile(env: E2eEnvironment): Promise<void> {
  if (!env.console) throw new Error('the benchmark needs the console emulator');
  env.console.model.setRules(PROFILE_ID, []);
  const outcome = await env.ext.ask({ type: 'syncNow' });
  if (!outcome.ok) throw new Error(`the sync after emptying the profile failed: ${outcome.error?.message ?? 'no reason given'}`);
}

async function checkRules(env: E2eEnvironment, expected: number): Promise<void> {
  await waitFor(
    () => env.ext.ask({ type: 'getRuleSources' }),
    (value) => value.sources.filter((source) => source.inForce).reduce((sum, source) => sum + source.rules.length, 0) === expected,
    `${expected} rules in force`,
    120_000,
  );
}

export async function runOptionsUiBench(argv: string[]) {
  const options = parseOptions(argv);
  if (!existsSync(path.join(CHROME_DIST, 'manifest.json'))) throw new Error(`${CHROME_DIST} is missing: run "npm run build" first`);
  const rules: RawBenchRule[] = options.mix === 'engine' ? generateBenchData(options.rules, 1).rules : generateExportRules(options.mix, options.rules);
  const check = compileSource('profile', rules, {});
  if (!check.accepted || check.errors.length > 0) throw new Error('the generated benchmark rules do not all compile');
  const before = machine();
  log(options, `starting Chromium with a ${options.rules}-rule console profile`);
  const env = await startEnvironment({
    seed: {
      accounts: [DEMO_ADMIN],
      profiles: [{ id: PROFILE_ID, name: PROFILE_NAME, description: 'Benchmark rules', rules }],
      defaultProfileId: PROFILE_ID,
    },
    policy: ({ consoleUrl }) => ({
      consoleUrl,
      authMode: 'form',
      username: DEMO_ADMIN.email,
      password: DEMO_ADMIN.password,
      syncIntervalMinutes: 1440,
      localRules: 'all',
      allowProfileAdmin: true,
      certificateFilter: { issuer: { CN: 'Benchmark Enrollment CA' } },
    }),
  });
  try {
    await checkRules(env, options.rules);
    log(options, `rules section, ${options.rules} profile rules:`);
    const profileRules = await rulesSection(env, options, 'profileTable', 'rules section');
    const exported = options.exportToo ? (log(options, 'browser policy export:'), await exportInWorker(env, options)) : null;
    log(options, `console profile editor, ${options.rules} rules:`);
    const editor = await profileEditor(env, options);
    const reply = await env.ext.send({ type: 'setLocalRules', rules });
    if (!reply.ok) throw new Error(`the local rules were refused: ${reply.error.message}`);
    await checkRules(env, 2 * options.rules);
    log(options, `rules section, ${options.rules} profile rules and ${options.rules} local rules in the editor:`);
    const withBoth = await rulesSection(env, options, 'localEditor', 'rules section with both');
    await emptyProfile(env);
    await checkRules(env, options.rules);
    log(options, `rules section, ${options.rules} local rules in the editor alone:`);
    const withLocal = await rulesSection(env, options, 'localEditor', 'rules section with the local editor');
    return {
      rules: options.rules,
      runs: options.runs,
      mix: options.mix,
      query: QUERY,
      figures: {
        rulesList: { firstRenderMs: medianAndMax(profileRules.firstRenderMs), keystrokeMs: medianAndMax(profileRules.filterKeystrokeMs) },
        localEditor: { firstRenderMs: medianAndMax(withLocal.firstRenderMs), keystrokeMs: medianAndMax(withLocal.filterKeystrokeMs) },
        localEditorWithProfile: { firstRenderMs: medianAndMax(withBoth.firstRenderMs), keystrokeMs: medianAndMax(withBoth.filterKeystrokeMs) },
        profileEditor: { openMs: medianAndMax(editor.openMs), keystrokeMs: medianAndMax(editor.filterKeystrokeMs) },
        exportInWorker: exported
          ? {
              workerMs: exported.exportWorkerMs ? medianAndMax(exported.exportWorkerMs) : null,
              shownMs: exported.exportShownMs ? medianAndMax(exported.exportShownMs) : null,
              longestFrameMs: medianAndMax(exported.exportLongestFrameMs),
              error: exported.exportError,
            }
          : null,
      },
      // The rules list's own figures and the export's, also at the top level; `figures` above names every table's.
      firstRenderMs: profileRules.firstRenderMs.median,
      filterKeystrokeMs: profileRules.filterKeystrokeMs.median,
      filterKeystrokeMaxMs: profileRules.filterKeystrokeMs.max,
      exportWorkerMs: exported?.exportWorkerMs?.median ?? null,
      exportLongestFrameMs: exported?.exportLongestFrameMs?.median ?? null,
      exportError: exported?.exportError ?? null,
      details: {
        rulesSection: profileRules,
        export: exported,
        profileEditor: editor,
        rulesSectionWithLocalEditor: withLocal,
        rulesSectionWithBoth: withBoth,
      },
      chromium: chromiumVersion(),
      machine: { ...before, loadAverageAfter: os.loadavg().map((value) => Math.round(value * 100) / 100) },
    };
  } finally {
    await env.close();
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  runOptionsUiBench(process.argv.slice(2))
    .then((result) => {
      if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(`\n${JSON.stringify(result, null, 2)}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`bench:ui: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
