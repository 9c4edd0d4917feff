/**
 * `npm run screenshots`: the README's pictures (docs/images/*.png), taken from
 * the built extension (dist/chrome) in headless Chromium with the console
 * emulator and the local test sites; nothing comes from the network.
 *
 *   tsx scripts/screenshots.ts [--out-dir DIR] [--extension-dir DIR]
 *   tsx scripts/screenshots.ts --set before-after --before DIR [--out-dir DIR]
 *
 * --set readme (default): the popup on an allowed and on an excluded site,
 *   the guard page and the options page's tester, light and dark, into
 *   --out-dir (default docs/images).
 * --set before-after: the states the pages' fixes concern (first sync, guard
 *   in a new tab, after "Continue", tester, browser policy, rule numbering,
 *   sync error, narrow widths), once from the build in --before (an older
 *   commit's dist/chrome) into <out-dir>/before and once from --extension-dir
 *   into <out-dir>/after (default out-dir test-results/before-after).
 *
 * Needs `npm run build` first. It writes Chromium's managed policy, so it
 * takes the machine-wide policy lock (as the end-to-end tests do). PNGs are
 * recompressed with optipng when that is installed.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHROME_DIST } from '../test/e2e/chromium';
import { startEnvironment, type E2eEnvironment, type EnvironmentOptions } from '../test/e2e/support/environment';
import { waitFor } from '../test/e2e/support/harness';
import { beforeAfterSet, BEFORE_AFTER_ENVIRONMENT } from './screenshots/before-after-set';
import { optimisePngs } from './screenshots/png';
import { readmeSet } from './screenshots/readme-set';
import { demoSeed, demoSettings } from './demo/seed';

const ROOT = path.resolve(import.meta.dirname, '..');
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Options {
  set: 'readme' | 'before-after';
  outDir: string;
  extensionDir: string;
  before: string | null;
}

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      set: { type: 'string', default: 'readme' },
      'out-dir': { type: 'string' },
      'extension-dir': { type: 'string' },
      before: { type: 'string' },
    },
    strict: true,
  });
  const set = values.set;
  if (set !== 'readme' && set !== 'before-after') throw new Error(`--set must be "readme" or "before-after", not "${set}"`);
  if (set === 'before-after' && !values.before) throw new Error('--set before-after needs --before DIR: the dist/chrome of the older build');
  if (set === 'readme' && values.before) throw new Error('--before goes with --set before-after');
  const defaultOut = set === 'readme' ? 'docs/images' : 'test-results/before-after';
  return {
    set,
    outDir: path.resolve(ROOT, values['out-dir'] ?? defaultOut),
    extensionDir: path.resolve(ROOT, values['extension-dir'] ?? CHROME_DIST),
    before: values.before ? path.resolve(ROOT, values.before) : null,
  };
}

function checkBuild(dir: string): void {
  if (!existsSync(path.join(dir, 'manifest.json'))) throw new Error(`${dir}/manifest.json is missing: build the extension first (npm run build)`);
}

/** Empties the PNGs (and notes) a previous run left in `dir`: a picture no longer taken must not linger. */
function freshDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir)) if (/\.(png|json)$/.test(file)) rmSync(path.join(dir, file));
}

async function withEnvironment<T>(options: EnvironmentOptions, run: (env: E2eEnvironment) => Promise<T>): Promise<T> {
  const env = await startEnvironment(options);
  try {
    return await run(env);
  } finally {
    await env.close();
  }
}

async function takeReadmeSet(options: Options): Promise<string[]> {
  // Overwritten by name: docs/images holds other pictures too.
  mkdirSync(options.outDir, { recursive: true });
  return withEnvironment({ seed: demoSeed(), policy: ({ consoleUrl }) => demoSettings(consoleUrl ?? ''), extensionDir: options.extensionDir }, async (env) => {
    await waitFor(
      () => env.ext.ask({ type: 'getStatus' }),
      (status) => status.sync.lastSuccessAt !== null,
      'the first sync from the console emulator',
      30_000,
    );
    return readmeSet(env, options.outDir);
  });
}

async function takeBeforeAfter(options: Options): Promise<string[]> {
  const written: string[] = [];
  for (const [label, build] of [
    ['before', options.before as string],
    ['after', options.extensionDir],
  ] as const) {
    const dir = path.join(options.outDir, label);
    freshDir(dir);
    log(`${label}: ${path.relative(ROOT, build) || build}`);
    written.push(...(await beforeAfterSet({ ...BEFORE_AFTER_ENVIRONMENT, extensionDir: build }, dir, log)));
  }
  return written;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  checkBuild(options.extensionDir);
  if (options.before) checkBuild(options.before);
  const written = options.set === 'readme' ? await takeReadmeSet(options) : await takeBeforeAfter(options);
  const pngs = written.filter((file) => file.endsWith('.png'));
  const optimised = optimisePngs(pngs);
  log(`Wrote ${written.length} files${optimised ? ' (PNGs recompressed with optipng)' : ''}:`);
  for (const file of written) log(`  ${path.relative(ROOT, file)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
