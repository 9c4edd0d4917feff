import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The Firefox suites write a machine-wide policies.json; on a machine that
 * already has one (an organisation's), it must come back exactly as it was,
 * even after a run that was killed before it could clean up.
 */
describe('policies.json written by the Firefox suites', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ccr-ff-policy-'));
  const file = path.join(dir, 'policies.json');
  let policy: typeof import('./support/firefox-policy');

  beforeAll(async () => {
    process.env['FIREFOX_POLICY_DIR'] = dir;
    policy = await import('./support/firefox-policy');
  });
  afterAll(() => {
    delete process.env['FIREFOX_POLICY_DIR'];
    rmSync(dir, { recursive: true, force: true });
  });

  it('is removed again when there was none', () => {
    const restore = policy.installFirefoxPolicy('ext@example.org', { guard: 'warn' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ policies: { '3rdparty': { Extensions: { 'ext@example.org': { guard: 'warn' } } } } });
    restore();
    expect(existsSync(file)).toBe(false);
    restore();
    expect(existsSync(file)).toBe(false);
  });

  it('puts back a pre-existing file, also when a killed run left its own file behind', () => {
    const original = '{"policies": {"DisableTelemetry": true}}\n';
    writeFileSync(file, original);
    policy.installFirefoxPolicy('ext@example.org', { guard: 'block' });
    // The run dies here; the next one installs (and repairs first), then restores.
    policy.installFirefoxPolicy('ext@example.org', null);
    expect(existsSync(file)).toBe(false);
    policy.restoreFirefoxPolicy();
    expect(readFileSync(file, 'utf8')).toBe(original);
  });
});
