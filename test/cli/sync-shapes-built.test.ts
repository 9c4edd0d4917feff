import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SyncStateSchema } from '../../src/sync/state';
import { startConsoleEmulator, type ConsoleEmulator, type FaultInput } from '../console/emulator/index';
import { PROFILE_SHAPES } from '../console/emulator/profile-shapes';
import { CORPORATE_PROFILE_ID, CORPORATE_RULES, DEMO_ADMIN } from '../console/emulator/seed';
import { BUILT_CLI } from '../helpers/paths';
import { lastGoodBytes } from '../sync/state-bytes';

const exec = promisify(execFile);

/**
 * The shipped command (`node dist/cli/cert-rules.mjs sync`, a separate
 * process) against every answer to the profile call that is not the profile
 * asked for: exit 1, a bad-data error that says what was expected and where,
 * and the state file's last good rules byte for byte as they were. A profile
 * that really is empty, in the full envelope with its id, is applied.
 */
let emulator: ConsoleEmulator;
let dir: string;
let baseline: string;

interface SyncLine {
  ok: boolean;
  changed: boolean;
  rules: number;
  error: { code: string; message: string } | null;
}

async function sync(state: string): Promise<{ code: number; stdout: string; stderr: string; result: SyncLine }> {
  const args = [
    BUILT_CLI,
    'sync',
    '--console',
    emulator.url,
    '--user',
    DEMO_ADMIN.email,
    '--password-env',
    'CONSOLE_PASSWORD',
    '--profile',
    CORPORATE_PROFILE_ID,
    '--state',
    state,
  ];
  let run: { code: number; stdout: string; stderr: string };
  try {
    const { stdout, stderr } = await exec(process.execPath, args, { env: { ...process.env, CONSOLE_PASSWORD: DEMO_ADMIN.password }, timeout: 30_000 });
    run = { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    run = { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
  return { ...run, result: JSON.parse(run.stdout.trimEnd().split('\n').at(-1) ?? '') as SyncLine };
}

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-shapes-'));
  baseline = path.join(dir, 'baseline.json');
  expect((await sync(baseline)).result).toMatchObject({ ok: true, changed: true, rules: CORPORATE_RULES.length });
}, 120_000);
afterEach(() => emulator.clearFaults());
afterAll(async () => {
  await emulator?.close();
});

const cases: Array<[string, FaultInput, RegExp]> = [
  ...PROFILE_SHAPES.map((type): [string, FaultInput, RegExp] => [
    type,
    { type },
    new RegExp(`^the answer to GET profile/${CORPORATE_PROFILE_ID} is not a profile: .*\\(at \\$[^)]*\\)$`),
  ]),
  ['200,000 nested arrays in an unknown rule key', { type: 'deep-nesting' }, /nests deeper than 64 levels/],
];

describe('built cert-rules sync: an answer that is not the profile never replaces its rules', () => {
  it.each(cases)('%s → exit 1, bad-data, the last good rules unchanged', { timeout: 30_000 }, async (_name, fault, message) => {
    const state = path.join(dir, `${fault.type}.json`);
    copyFileSync(baseline, state);
    const before = lastGoodBytes(state);
    emulator.setFault('profile', fault);
    const run = await sync(state);
    expect(run.code).toBe(1);
    expect(run.result).toMatchObject({ ok: false, changed: false, rules: CORPORATE_RULES.length, error: { code: 'bad-data' } });
    expect(run.result.error?.message).toMatch(message);
    expect(run.stderr).toContain('sync failed (bad-data)');
    expect(run.stderr).toMatch(/still holds the previous 4 rules/);
    expect(lastGoodBytes(state)).toBe(before);
    const stored = SyncStateSchema.parse(JSON.parse(readFileSync(state, 'utf8')));
    expect(stored.lastError).toMatchObject({ code: 'bad-data', message: run.result.error?.message });
  });

  it('a profile that really is empty, in the full envelope with its id, is applied: exit 0, no rules', { timeout: 30_000 }, async () => {
    const state = path.join(dir, 'really-empty.json');
    copyFileSync(baseline, state);
    emulator.model.setRules(CORPORATE_PROFILE_ID, []);
    try {
      const run = await sync(state);
      expect(run.code).toBe(0);
      expect(run.result).toMatchObject({ ok: true, changed: true, rules: 0, error: null });
      expect(SyncStateSchema.parse(JSON.parse(readFileSync(state, 'utf8'))).lastGood?.rules).toEqual([]);
    } finally {
      emulator.model.setRules(CORPORATE_PROFILE_ID, CORPORATE_RULES);
    }
  });
});
