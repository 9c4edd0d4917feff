import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { BUILT_CLI, REPO_ROOT } from '../helpers/paths';
import { jsonLines } from '../helpers/run-cli';

const exec = promisify(execFile);
const PROFILE_ID = '0c0c0c0c-1111-4222-8333-444455556666';
const allow = (host: string) => ({ host, action: 'useEnrollmentCertificate' });
const deny = (host: string) => ({ host, action: 'noCertificate' });
/** The managed rules of spec/rules.md §5's example: a valid deny rule and one the engine rejects. */
const REJECTED_MANAGED = [deny('secret.corp'), deny('bad host')];

/**
 * `cert-rules check` as the shipped file runs it: a source that is given but
 * not known (managed rules rejected, a profile whose first sync was rejected)
 * makes every decision no-rules, exit 1, and stderr names the source and why.
 * The state files come from `cert-rules sync` against the console emulator.
 */
let emulator: ConsoleEmulator;
let dir: string;

beforeAll(async () => {
  if (!existsSync(BUILT_CLI)) {
    await exec(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'vite.cli.config.ts', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
    });
  }
  emulator = await startConsoleEmulator({
    seed: { accounts: [DEMO_ADMIN], profiles: [{ id: PROFILE_ID, name: 'Corp', description: '', rules: [allow('*.corp')] }], defaultProfileId: PROFILE_ID },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'cert-rules-unavailable-'));
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
const sync = (state: string) => built(['sync', '--console', emulator.url, '--user', DEMO_ADMIN.email, '--password-env', 'CONSOLE_PASSWORD', '--state', state]);
const file = (name: string, content: unknown) => {
  const target = path.join(dir, name);
  writeFileSync(target, JSON.stringify(content));
  return target;
};
const reasons = (stdout: string) => (jsonLines(stdout) as { reason: string }[]).map((line) => line.reason);
const NO_RULES = { decision: 'noCertificate', reason: 'no-rules', rule: null };

describe('built cert-rules check: a given source that is not known fails closed', () => {
  it('managed rules rejected (no last good) beside a synced profile allowing *.corp: https://secret.corp/ is no-rules', { timeout: 60_000 }, async () => {
    const state = path.join(dir, 'corp.json');
    expect((await sync(state)).code).toBe(0);
    // The profile alone allows the host.
    expect(reasons((await built(['check', '--state', state, 'https://secret.corp/'])).stdout)).toEqual(['allow-rule']);

    for (const policy of [file('policy.json', { consoleUrl: emulator.url, rules: REJECTED_MANAGED }), file('managed-rules.json', REJECTED_MANAGED)]) {
      const run = await built(['check', '--managed', policy, '--state', state, 'https://secret.corp/', 'https://mail.corp/', 'http://secret.corp/']);
      expect(run.code).toBe(1);
      expect(jsonLines(run.stdout)).toEqual([
        { url: 'https://secret.corp/', ...NO_RULES },
        { url: 'https://mail.corp/', ...NO_RULES },
        { url: 'http://secret.corp/', decision: 'notApplicable', reason: 'not-tls', rule: null },
      ]);
      expect(run.stderr).toMatch(
        /rules unavailable: the managed policy's rules were rejected and no earlier version was accepted: rule 2 \(index 1\): the host contains white space/,
      );
    }

    // Acceptable managed rules decide first, then the profile's: exit 0.
    const good = await built([
      'check',
      '--managed',
      file('good.json', { rules: [deny('secret.corp')] }),
      '--state',
      state,
      'https://secret.corp/',
      'https://mail.corp/',
    ]);
    expect(good.code).toBe(0);
    expect(jsonLines(good.stdout)).toMatchObject([
      { reason: 'deny-rule', rule: { source: 'managed', index: 0 } },
      { reason: 'allow-rule', rule: { source: 'profile', index: 0 } },
    ]);
    // A policy without rules has no managed source: the profile decides alone.
    expect(reasons((await built(['check', '--managed', file('no-rules.json', { guard: 'warn' }), '--state', state, 'https://secret.corp/'])).stdout)).toEqual([
      'allow-rule',
    ]);
  });

  it(
    'a profile rejected at its first sync: no-rules, stderr says it was rejected (not only "never synced"); a later rejection keeps the last good',
    { timeout: 60_000 },
    async () => {
      const corp = path.join(dir, 'kept.json');
      expect((await sync(corp)).code).toBe(0);
      emulator.model.setRules(PROFILE_ID, [allow('*.corp'), deny('https://hr.corp/')]);
      try {
        const fresh = path.join(dir, 'first-rejected.json');
        const first = await sync(fresh);
        expect(first.code).toBe(1);
        expect(first.stdout).toMatch(/"code":"rejected"/);
        const run = await built(['check', '--state', fresh, 'https://mail.corp/']);
        expect(run.code).toBe(1);
        expect(jsonLines(run.stdout)).toEqual([{ url: 'https://mail.corp/', ...NO_RULES }]);
        expect(run.stderr).toMatch(
          /rules unavailable: the console profile's rules were rejected and no earlier version was accepted: profile "Corp" \(\S+\) rejected: rule 2 \(index 1\): the host must not contain a scheme/,
        );

        // The state that held accepted rules keeps them through the rejected sync.
        expect((await sync(corp)).code).toBe(1);
        const kept = await built(['check', '--state', corp, 'https://mail.corp/']);
        expect(kept.code).toBe(0);
        expect(reasons(kept.stdout)).toEqual(['allow-rule']);
      } finally {
        emulator.model.setRules(PROFILE_ID, [allow('*.corp')]);
      }
    },
  );

  it('a managed policy file that is not JSON is not known either', async () => {
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"rules": [');
    const state = path.join(dir, 'broken-beside.json');
    expect((await sync(state)).code).toBe(0);
    const run = await built(['check', '--managed', broken, '--state', state, 'https://mail.corp/']);
    expect(run.code).toBe(1);
    expect(reasons(run.stdout)).toEqual(['no-rules']);
    expect(run.stderr).toMatch(/broken\.json: rules unavailable: the managed policy's rules could not be read: not valid JSON/);
  });
});
