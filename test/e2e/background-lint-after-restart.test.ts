import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnvironment, type E2eEnvironment } from './support/environment';

/**
 * After the browser stops the service worker, a wake-up reads the compiled
 * rules from their cache and never waits for their lint: a request that shows
 * lint reads the piece of it that holds its rule.
 */
describe('lint of the rules in force after the service worker was stopped (Chromium)', () => {
  let env: E2eEnvironment;
  const RULES = [
    // allow-everywhere: sends the certificate to every .com site.
    { host: '*.com', port: '', action: 'useEnrollmentCertificate' },
    { host: 'intranet.example.org', port: '', action: 'useEnrollmentCertificate' },
  ];

  beforeAll(async () => {
    env = await startEnvironment({ seed: null, policy: () => ({ localRules: 'all' }) });
    const reply = await env.ext.send({ type: 'setLocalRules', rules: RULES });
    expect(reply.ok).toBe(true);
  }, 600_000);

  afterAll(async () => {
    await env?.close();
  });

  const evaluate = (url: string) => env.ext.ask({ type: 'evaluateUrl', url });

  it('gives the same decision and lint from the cache as right after the rules were saved', async () => {
    const before = await evaluate('https://shop.example.com/');
    expect(before.rule).toMatchObject({ source: 'local', index: 0 });
    expect(before.lint['local:0']).toEqual([expect.objectContaining({ code: 'allow-everywhere', index: 0 })]);

    for (let round = 0; round < 2; round++) {
      await env.ext.stopWorker();
      const after = await evaluate('https://shop.example.com/');
      expect(await env.ext.wakeUpMarks()).toHaveProperty('cached');
      expect(after).toEqual(before);
      // A rule without findings has none after the wake-up either.
      expect((await evaluate('https://intranet.example.org/')).lint).toEqual({ 'local:1': [] });
    }
  });
});
