import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS } from '../../src/console/client';
import { startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { DEMO_ADMIN } from '../console/emulator/seed';
import { BUILT_CLI } from '../helpers/paths';
import { lastGoodBytes } from '../sync/state-bytes';

const exec = promisify(execFile);

/**
 * "What it must show" 4 with nothing injected: the shipped
 * dist/cli/cert-rules.mjs, its own 15 s limit, against a console that never
 * answers. The one test that waits the real 15 s; every kind of hang is
 * covered in test/cli/sync-timeout.test.ts with the limit set to 200 ms.
 */
let emulator: ConsoleEmulator;
let dir: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await exec(process.execPath, [BUILT_CLI, ...args], { env: { ...process.env, CONSOLE_PASSWORD: DEMO_ADMIN.password }, timeout: 60_000 });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-timeout-e2e-'));
});
afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built cert-rules sync against a hung console', () => {
  it('fails with timeout after its own 15 s, exit 1, the stored rules untouched', async () => {
    const sync = (state: string) =>
      cli(['sync', '--console', emulator.url, '--user', DEMO_ADMIN.email, '--password-env', 'CONSOLE_PASSWORD', '--state', state]);
    const check = async (state: string) => (await cli(['check', '--state', state, 'https://intranet.corp.example.com/'])).stdout;
    const good = path.join(dir, 'good.json');
    expect((await sync(good)).code).toBe(0);
    const state = path.join(dir, 'hung.json');
    copyFileSync(good, state);
    const before = lastGoodBytes(state);
    const checkBefore = await check(state);
    emulator.setFault('profile', { type: 'hang' });
    const started = Date.now();
    const run = await sync(state);
    const elapsed = Date.now() - started;
    console.log(`hung console: the built sync failed after ${(elapsed / 1000).toFixed(1)} s`);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({
      ok: false,
      error: { code: 'timeout', message: expect.stringMatching(/did not answer within 15 s/) as string },
    });
    expect(elapsed).toBeGreaterThanOrEqual(DEFAULT_TIMEOUT_MS - 100);
    // The process's own start and the calls before the hung one come on top.
    expect(elapsed).toBeLessThan(DEFAULT_TIMEOUT_MS + 5000);
    expect(lastGoodBytes(state)).toBe(before);
    emulator.clearFaults();
    expect(await check(state)).toBe(checkBefore);
  });
});
