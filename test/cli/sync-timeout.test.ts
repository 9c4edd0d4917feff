import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS } from '../../src/console/client';
import { startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { DEMO_ADMIN } from '../console/emulator/seed';
import { runCli } from '../helpers/run-cli';
import { lastGoodBytes } from '../sync/state-bytes';

/** "What it must show" 4: a hung server fails the real command within about 15 s. The one slow test. */
let emulator: ConsoleEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startConsoleEmulator();
  dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-timeout-'));
});
afterAll(async () => {
  await emulator.close();
});

describe('cert-rules sync against a hung console', () => {
  it(
    'fails with timeout after ~15 s, exit 1, the stored rules untouched',
    async () => {
      const env = { CONSOLE_PASSWORD: DEMO_ADMIN.password };
      const argv = (state: string) => ['sync', '--console', emulator.url, '--user', DEMO_ADMIN.email, '--password-env', 'CONSOLE_PASSWORD', '--state', state];
      const good = path.join(dir, 'good.json');
      expect((await runCli(argv(good), '', env)).code).toBe(0);
      const state = path.join(dir, 'hung.json');
      copyFileSync(good, state);
      const before = lastGoodBytes(state);
      const checkBefore = (await runCli(['check', '--state', state, 'https://intranet.corp.example.com/'])).stdout;
      emulator.setFault('profile', { type: 'hang' });
      const started = Date.now();
      const run = await runCli(argv(state), '', env);
      const elapsed = Date.now() - started;
      console.log(`hung console: sync failed after ${(elapsed / 1000).toFixed(1)} s`);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({ ok: false, error: { code: 'timeout', message: expect.stringMatching(/did not answer within 15 s/) as string } });
      expect(elapsed).toBeGreaterThanOrEqual(DEFAULT_TIMEOUT_MS - 100);
      expect(elapsed).toBeLessThan(DEFAULT_TIMEOUT_MS + 3000);
      expect(lastGoodBytes(state)).toBe(before);
      expect((await runCli(['check', '--state', state, 'https://intranet.corp.example.com/'])).stdout).toBe(checkBefore);
    },
    30_000,
  );
});
