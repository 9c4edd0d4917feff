import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { CORPORATE_PROFILE_ID, CORPORATE_RULES, DEMO_ADMIN } from '../console/emulator/seed';
import { BUILT_CLI } from '../helpers/paths';

const exec = promisify(execFile);

/** The shipped file: dist/cli/cert-rules.mjs as a separate process (the built project makes sure it is the build of the sources). */
let emulator: ConsoleEmulator;
let dir: string;

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-built-'));
}, 120_000);
afterAll(async () => {
  await emulator?.close();
});

async function built(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BUILT_CLI, ...args], {
      env: { ...process.env, CONSOLE_PASSWORD: DEMO_ADMIN.password },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
const last = (stdout: string) => JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '') as Record<string, unknown>;

describe('built cert-rules: sync and check --state as a separate process', () => {
  it('syncs, stays unchanged, fails on a fault with the rules kept, follows a console change', { timeout: 60_000 }, async () => {
    const state = path.join(dir, 'state.json');
    const sync = () => built(['sync', '--console', emulator.url, '--user', DEMO_ADMIN.email, '--password-env', 'CONSOLE_PASSWORD', '--state', state]);
    const check = async () => (await built(['check', '--state', state, 'https://intranet.corp.example.com/', 'https://only-new.example.com/'])).stdout;

    const first = await sync();
    expect(first.code).toBe(0);
    expect(last(first.stdout)).toMatchObject({ ok: true, changed: true, rules: 4 });
    expect(`${first.stdout}${first.stderr}`).not.toContain(DEMO_ADMIN.password);
    expect(last((await sync()).stdout)).toMatchObject({ ok: true, changed: false });
    const decisions = await check();
    expect(decisions).toContain('"reason":"allow-rule"');

    emulator.setFault('profile', { type: 'status', status: 503, retryAfter: '30' });
    const failed = await sync();
    emulator.clearFaults();
    expect(failed.code).toBe(1);
    expect(last(failed.stdout)).toMatchObject({ ok: false, error: { code: 'http' } });
    expect(await check()).toBe(decisions);

    emulator.model.setRules(CORPORATE_PROFILE_ID, [{ host: 'only-new.example.com', port: '', action: 'useEnrollmentCertificate' }]);
    try {
      expect(last((await sync()).stdout)).toMatchObject({ ok: true, changed: true, rules: 1 });
      const after = (await check())
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { reason: string });
      expect(after.map((d) => d.reason)).toEqual(['no-match', 'allow-rule']);
    } finally {
      emulator.model.setRules(CORPORATE_PROFILE_ID, CORPORATE_RULES);
    }
  });
});
