import { describe, expect, it } from 'vitest';
import { startListener } from '../background/recording-fetch';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { environmentForSuite } from './support/suite-environment';
import { E2E_USER } from './support/scenario';

const POLICY_PASSWORD = 'e2e-policy-password-71c4';

/**
 * The managed policy supplies a form login but no console; a console URL on
 * this computer points at a loopback listener. Whatever the user does, the
 * policy's password is never posted there: nothing is synced at all.
 */
describe('a password from policy and a console URL set locally (Chromium)', () => {
  let env: E2eEnvironment;
  let listener: Awaited<ReturnType<typeof startListener>>;
  environmentForSuite(
    'e2e policy-credential suite',
    async () => {
      listener = await startListener();
      env = await startEnvironment({
        seed: null,
        policy: () => ({ authMode: 'form', username: E2E_USER.email, password: POLICY_PASSWORD }),
      });
      return {
        close: async () => {
          await env.close();
          await listener.close();
        },
      };
    },
    600_000,
  );

  it("the console URL is the policy's (none), locked, and the options page refuses a local one", async () => {
    const status = await env.ext.ask({ type: 'getStatus' });
    expect(status.settings.values['consoleUrl']).toBe('');
    for (const key of ['consoleUrl', 'authMode', 'profileId', 'password'] as const) expect(status.settings.origins[key], key).toBe('policy');
    expect(status.settings.policyWarnings.map((warning) => warning.key)).toContain('consoleUrl');
    expect(JSON.stringify(status)).not.toContain(POLICY_PASSWORD);
    const refused = await env.ext.send({ type: 'setLocalSettings', settings: { consoleUrl: listener.url } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'managed' } });
  });

  it('a console URL already in local storage is ignored: sync now, profile requests, and time pass with nothing sent', async () => {
    // As if saved before the policy arrived, or written into storage by hand.
    await env.ext.inWorker(async (url) => {
      await chrome.storage.local.set({ localSettings: { consoleUrl: url, authMode: 'form', profileId: 'permissive-profile', syncIntervalMinutes: 45 } });
    }, listener.url);
    // The interval is not bound to the credential: once it is local, the background has read the new settings.
    await expect.poll(async () => (await env.ext.ask({ type: 'getStatus' })).settings.origins['syncIntervalMinutes'], { timeout: 10_000 }).toBe('local');
    const synced = await env.ext.send({ type: 'syncNow' });
    const listed = await env.ext.send({ type: 'consoleListProfiles' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(listener.received).toEqual([]);
    expect(synced).toMatchObject({ ok: false, error: { code: 'config' } });
    expect(listed).toMatchObject({ ok: false, error: { code: 'managed' } });
    const status = await env.ext.ask({ type: 'getStatus' });
    expect(status.settings.values['consoleUrl']).toBe('');
    expect(status.settings.values['profileId']).toBe('');
    expect(status.settings.origins['profileId']).toBe('policy');
    expect(status.sync.configured).toBe(false);
    expect(await env.ext.inWorker(async () => (await chrome.alarms.getAll()).map((alarm) => alarm.name), null)).not.toContain('sync');
  });

  it('the options page says why nothing is synced and offers no field for a console', async () => {
    const page = await env.ext.context.newPage();
    await page.goto(env.ext.extensionUrl('src/ui/options/index.html#sync'));
    await page.getByText('names no console, so nothing is synced').waitFor();
    expect(await page.getByLabel('Console URL').count()).toBe(0);
    expect(listener.received).toEqual([]);
  });
});
