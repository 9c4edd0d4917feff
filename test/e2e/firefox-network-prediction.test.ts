import { describe, expect, it } from 'vitest';
import { startFirefoxEnvironment, type FirefoxEnvironment } from './support/firefox-environment';
import { followLinkFrom } from './support/firefox-link';
import { expectNothingReached } from './support/guard-spelling-checks';
import { pollUntil } from './support/poll';
import { HOSTS } from './support/scenario';
import { environmentForSuite } from './support/suite-environment';

/**
 * Firefox connects speculatively to a link being clicked (measured here: a
 * TLS handshake naming the link's host reached the server while the guard
 * stopped the navigation). The extension turns that off while the guard is
 * on; docs/deploy.md shows how an administrator locks it off in
 * policies.json instead, which this suite checks: the extension then reports
 * the setting as held by policy, and no handshake names the denied host.
 */
const LINKED = 'locked.blocked.acme.test';
const LOCKED_OFF = {
  Preferences: {
    'network.http.speculative-parallel-limit': { Value: 0, Status: 'locked' },
    'network.predictor.enabled': { Value: false, Status: 'locked' },
    'network.prefetch-next': { Value: false, Status: 'locked' },
    'network.dns.disablePrefetch': { Value: true, Status: 'locked' },
  },
};

describe('network prediction locked off by policies.json (Firefox ESR)', () => {
  let env: FirefoxEnvironment;
  environmentForSuite(
    'firefox prediction-policy suite',
    async () =>
      (env = await startFirefoxEnvironment({
        seed: null,
        hosts: [LINKED],
        browserPolicies: LOCKED_OFF,
        policy: () => ({ rules: [{ host: '*.blocked.acme.test', port: '*', action: 'noCertificate' }], guard: 'block' }),
      })),
  );

  it('shows prediction off by policy on the options page, and a clicked link to a denied host sends no handshake naming it', async () => {
    await pollUntil(
      () => env.ext.ask({ type: 'getStatus' }),
      (value) => value.guard.applied,
      { what: 'the guard rules' },
    );
    const prediction = await env.ext.inExtension((api) => api.privacy.network.networkPredictionEnabled.get({}), null);
    expect(prediction).toEqual({ value: false, levelOfControl: 'not_controllable' });
    const options = await env.ext.openExtensionPage('src/ui/options/index.html#policy');
    const text = await pollUntil(
      () => options.evaluate(() => document.querySelector('[data-guard="block"]')?.textContent ?? ''),
      (shown) => shown.includes('prediction'),
      {
        what: 'the guard status on the options page',
      },
    );
    expect(text).toContain('network prediction is off (a policy or another extension set it)');
    await options.close();
    const url = env.sites.site(LINKED, '/locked');
    const page = await followLinkFrom(env.ext, env.sites.site(HOSTS.unmatched, '/links'), url);
    await pollUntil(
      () => env.ext.href(page),
      (href) => href === `${env.ext.extensionUrl('src/ui/guard/index.html')}?url=${url}`,
      { what: 'the guard page' },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expectNothingReached(env.sites, [LINKED], { handshakes: true });
    expect(env.sites.handshakesTo(HOSTS.unmatched).length).toBeGreaterThan(0);
    await page.close();
  });
});
