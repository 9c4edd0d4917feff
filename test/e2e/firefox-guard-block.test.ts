import { beforeAll, describe, expect, it } from 'vitest';
import { startFirefoxEnvironment, type FirefoxEnvironment } from './support/firefox-environment';
import { pollUntil } from './support/poll';
import { followLinkFrom } from './support/firefox-link';
import { asWritten, expectDeniedSpellingsGuarded, expectNearMissesLoad, expectNothingReached } from './support/guard-spelling-checks';
import { IDN_BLOCKED, SPELLING_HOSTS, spellingRules, type Target } from './support/guard-spellings';
import { HOSTS, MANAGED_RULES, e2eSeed } from './support/scenario';
import { consoleFormPolicy } from './support/shared-scenarios';
import { environmentForSuite } from './support/suite-environment';

/** Hosts never visited before their link test: a connection left open by an earlier visit would hide a speculative one. */
const LINKED_HOST = 'linked.blocked.acme.test';
const PREDICTED_HOST = 'predicted.blocked.acme.test';

/** Firefox ESR with policies.json: guard `block`, rules from the console and the policy. */
describe('guard block in Firefox ESR', () => {
  let env: FirefoxEnvironment;
  environmentForSuite(
    'firefox guard-block suite',
    async () =>
      (env = await startFirefoxEnvironment({
        seed: e2eSeed(),
        hosts: [...SPELLING_HOSTS, LINKED_HOST, PREDICTED_HOST],
        policy: (context) => consoleFormPolicy({ rules: [...MANAGED_RULES, ...spellingRules(context.sites)], guard: 'block' })(context),
      })),
  );
  const guardPage = () => env.ext.extensionUrl('src/ui/guard/index.html');
  /** Every host (and server, for a rule with a port) a denied address in this suite names. */
  const denied: Target[] = [];

  beforeAll(async () => {
    await pollUntil(
      () => env.ext.ask({ type: 'getStatus' }),
      (status) => status.sync.lastSuccessAt !== null && status.guard.applied,
      {
        timeoutMs: 20_000,
        what: 'the first sync and the guard rules',
      },
    );
  });

  it('stops a deny-rule host with no way through, and turns network prediction off', async () => {
    const { sites } = env;
    const status = await env.ext.ask({ type: 'getStatus' });
    expect(status.guard).toMatchObject({ mode: 'block', applied: true, denyRulesTotal: 6, denyRulesCovered: 6, notFitted: [], error: null });
    const prediction = await env.ext.inExtension((api) => api.privacy.network.networkPredictionEnabled.get({}), null);
    expect(prediction).toEqual({ value: false, levelOfControl: 'controlled_by_this_extension' });

    // From a link on a web page (a host never contacted before).
    const blockedUrl = sites.site(LINKED_HOST, '/secret');
    const start = await followLinkFrom(env.ext, sites.site(HOSTS.unmatched, '/links'), blockedUrl);
    await pollUntil(
      () => env.ext.href(start),
      (href) => href === `${guardPage()}?url=${blockedUrl}`,
      { what: 'the guard page' },
    );
    const text = await pollUntil(
      () => start.evaluate(() => document.querySelector('main')?.textContent ?? ''),
      (shown) => shown.includes(LINKED_HOST),
      { what: 'the guard page to render' },
    );
    expect(text).toContain('*.blocked.acme.test');
    // No "continue": the page offers only the way back.
    expect(await start.$('button.danger')).toBeNull();
    const denyPage = await env.ext.open(sites.site(HOSTS.deny, '/typed'));
    expect(await env.ext.href(denyPage)).toBe(`${guardPage()}?url=${sites.site(HOSTS.deny, '/typed')}`);

    // Nor can a page ask the background to let it through.
    const refused = await env.ext.send({ type: 'guardContinue', url: blockedUrl });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await env.ext.navigate(start, blockedUrl);
    expect(await env.ext.href(start)).toBe(`${guardPage()}?url=${blockedUrl}`);

    const state = await env.ext.tabState(start, (s) => s.host === LINKED_HOST);
    expect(state.verdict).toMatchObject({ decision: 'noCertificate', reason: 'deny-rule', rule: { source: 'profile', index: 2 } });
    expect((await env.ext.badge(await env.ext.tabId(start))).text).toBe('✕');
    denied.push({ host: LINKED_HOST }, { host: HOSTS.deny });
    // The page the link was on did reach the server: the log works.
    expect(sites.requestsTo(HOSTS.unmatched).map((request) => request.path)).toContain('/links');
    await Promise.all([start.close(), denyPage.close()]);
  });

  it('stops every spelling of a denied address: case, trailing dot, :443, another port, user name, IDN, percent-encoding', async () => {
    const page = await env.ext.firefox.browser.newPage();
    const visit = async (url: string) => {
      await env.ext.navigate(page, url);
      return env.ext.href(page);
    };
    denied.push(...(await expectDeniedSpellingsGuarded(visit, env.sites, guardPage())));
    await page.close();
  });

  it('stops navigations a page starts: location.href, a 302 redirect, a link on an http page and a redirect from one', async () => {
    const { sites } = env;
    const page = await env.ext.open(sites.site(HOSTS.allowed, '/script'));
    const assigned = `https://${IDN_BLOCKED.unicode}.:${sites.sitePort}/from-script`;
    await page.evaluate((href) => (location.href = href), assigned);
    await pollUntil(
      () => env.ext.href(page),
      (href) => href === `${guardPage()}?url=${asWritten(assigned)}`,
      { what: 'the guard page after location.href' },
    );

    const target = `https://${HOSTS.managedDeny.toUpperCase()}.:${sites.sitePort}/after-redirect`;
    await env.ext.navigate(page, sites.redirect(HOSTS.allowed, target));
    await pollUntil(
      () => env.ext.href(page),
      (href) => href === `${guardPage()}?url=${asWritten(target)}`,
      { what: 'the guard page after a redirect' },
    );
    // The redirect itself came from the allowed host; where it pointed was never asked.
    expect(sites.requestsTo(HOSTS.allowed).map((request) => request.path)).toContain(`/redirect?to=${encodeURIComponent(target)}`);
    // From a plain-http page: the navigation's initiator is then an http origin.
    const fromPlain = `https://${HOSTS.blockedOther}:${sites.sitePort}/from-plain-link`;
    const plainPage = await followLinkFrom(env.ext, sites.plain(HOSTS.plain, '/links'), fromPlain);
    await pollUntil(
      () => env.ext.href(plainPage),
      (href) => href === `${guardPage()}?url=${fromPlain}`,
      { what: 'the guard page after a link on an http page' },
    );
    const plainRedirect = `https://${HOSTS.intranet}:${sites.sitePort}/from-plain-redirect`;
    await env.ext.navigate(plainPage, `${sites.plain(HOSTS.plain, '/redirect')}?to=${encodeURIComponent(plainRedirect)}`);
    await pollUntil(
      () => env.ext.href(plainPage),
      (href) => href === `${guardPage()}?url=${plainRedirect}`,
      { what: 'the guard page after a redirect from http' },
    );
    expect(sites.requestsTo(HOSTS.plain).map((request) => request.path)).toContain('/links');
    denied.push({ host: IDN_BLOCKED.ascii }, { host: HOSTS.managedDeny }, { host: HOSTS.blockedOther }, { host: HOSTS.intranet });
    await Promise.all([page.close(), plainPage.close()]);
  });

  it('still loads the addresses next to the denied ones: apex, siblings, an allowed subdomain, another port', async () => {
    const page = await env.ext.firefox.browser.newPage();
    const visit = async (url: string) => {
      await env.ext.navigate(page, url);
      return env.ext.href(page);
    };
    await expectNearMissesLoad(visit, env.sites, guardPage());
    await page.close();
  });

  it('proves it in the server logs: no request for a denied host, and no TLS handshake naming one (no speculative connection)', () => {
    expect(new Set(denied.map((target) => target.host)).size).toBeGreaterThanOrEqual(8);
    expectNothingReached(env.sites, denied, { handshakes: true });
    expect(env.sites.handshakesTo(HOSTS.allowed).length).toBeGreaterThan(0);
  });

  it('would show the speculative connection of a link click with prediction on: the handshake log catches it (the control for the check above)', async () => {
    // The extension's own value, switched on from inside it for this check only.
    await env.ext.inExtension((api) => api.privacy.network.networkPredictionEnabled.set({ value: true }), null);
    const url = env.sites.site(PREDICTED_HOST, '/predicted');
    const page = await followLinkFrom(env.ext, env.sites.site(HOSTS.unmatched, '/predicted-links'), url);
    await pollUntil(
      () => env.ext.href(page),
      (href) => href === `${guardPage()}?url=${url}`,
      { what: 'the guard page' },
    );
    await pollUntil(
      async () => env.sites.handshakesTo(PREDICTED_HOST).length,
      (count) => count > 0,
      { timeoutMs: 5_000, what: 'a handshake naming the denied host' },
    );
    // Still no request: the guard stopped the navigation; only the speculative connection got through.
    expect(env.sites.requestsTo(PREDICTED_HOST)).toEqual([]);
    await env.ext.inExtension((api) => api.privacy.network.networkPredictionEnabled.set({ value: false }), null);
    await page.close();
  });
});
