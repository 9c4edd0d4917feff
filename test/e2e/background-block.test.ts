import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { planGuardCandidates } from '../../src/background/guard-plan';
import { compileSource } from '../../src/engine/index';
import { PATTERN_RULES } from '../console/emulator/index';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { HOSTS, MANAGED_RULES, e2eSeed } from './support/scenario';
import { asWritten, expectDeniedSpellingsGuarded, expectNearMissesLoad, expectNothingReached } from './support/guard-spelling-checks';
import { IDN_BLOCKED, spellingRules, type Target } from './support/guard-spellings';
import { consoleFormPolicy } from './support/shared-scenarios';
import { environmentForSuite } from './support/suite-environment';

/** Guard `block`: a deny-rule host is never reached, whatever form the address takes. */
describe('guard block in Chromium', () => {
  let env: E2eEnvironment;
  // Guard rules for the profile's deny rules exist once the first sync is in.
  environmentForSuite(
    'e2e block suite',
    async () =>
      (env = await startEnvironment({
        seed: e2eSeed(),
        policy: (context) => consoleFormPolicy({ rules: [...MANAGED_RULES, ...spellingRules(context.sites)], guard: 'block' })(context),
      })),
    600_000,
  );

  const guardPage = () => env.ext.extensionUrl('src/ui/guard/index.html');
  /** Every host (and server, for a rule with a port) a denied address in this suite names. */
  const denied: Target[] = [];

  it('puts the deny rules of every source into the browser once the profile is synced, and turns network prediction off', async () => {
    await expect.poll(async () => (await env.ext.ask({ type: 'getStatus' })).sync.lastSuccessAt, { timeout: 20_000 }).not.toBeNull();
    await expect
      .poll(async () => (await env.ext.ask({ type: 'getStatus' })).guard, { timeout: 10_000 })
      .toMatchObject({ mode: 'block', applied: true, denyRulesTotal: 6, denyRulesCovered: 6, notFitted: [], error: null });
    const setting = await env.ext.inWorker(() => chrome.privacy.network.networkPredictionEnabled.get({}), null);
    expect(setting).toEqual({ value: false, levelOfControl: 'controlled_by_this_extension' });
  });

  it('never lets a navigation to a deny-rule host reach the server, and offers no way through', async () => {
    const { sites } = env;
    const url = sites.site(HOSTS.blocked, '/private?token=1');
    const page = await env.ext.open(url);
    expect(page.url()).toBe(`${guardPage()}?url=${url}`);
    await expect.poll(() => page.locator('main').innerText(), { timeout: 10_000 }).toContain(HOSTS.blocked);
    // block: the page has no "continue" button, and the background refuses to add a way through.
    expect(await page.locator('button.danger').count()).toBe(0);
    const refused = await page.evaluate((target) => chrome.runtime.sendMessage({ type: 'guardContinue', url: target }), url);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await page.reload().catch(() => undefined);
    expect(page.url()).toContain(`${guardPage()}?url=`);
    denied.push(...[HOSTS.blocked, HOSTS.blockedOther, HOSTS.deny, HOSTS.managedDeny, HOSTS.intranet].map((host) => ({ host })));
    await env.ext.navigate(page, sites.site(HOSTS.blockedOther, '/'));
    await env.ext.navigate(page, sites.site(HOSTS.managedDeny, '/'));
    expect(page.url()).toContain(`${guardPage()}?url=`);
    await page.close();
  });

  it('stops every spelling of a denied address: case, trailing dot, :443, another port, user name, IDN, percent-encoding', async () => {
    const page = await env.ext.context.newPage();
    const visit = async (url: string) => {
      await env.ext.navigate(page, url);
      return page.url();
    };
    denied.push(...(await expectDeniedSpellingsGuarded(visit, env.sites, guardPage())));
    await page.close();
  });

  it('stops navigations a page starts: a link (also on an http page), location.href, and a 302 redirect (also from http) into a denied host', async () => {
    const { sites } = env;
    const page = await env.ext.context.newPage();
    const linked = `https://${HOSTS.deny}.:${sites.sitePort}/from-link`;
    await linkFrom(page, sites.site(HOSTS.allowed, '/links'), linked);
    expect(page.url()).toBe(`${guardPage()}?url=${linked}`);
    // From a plain-http page too: the navigation's initiator is then an http origin.
    const fromPlain = `https://${HOSTS.blockedOther}:${sites.sitePort}/from-plain-link`;
    await linkFrom(page, sites.plain(HOSTS.plain, '/links'), fromPlain);
    expect(page.url()).toBe(`${guardPage()}?url=${fromPlain}`);
    const plainRedirect = `https://${HOSTS.intranet}:${sites.sitePort}/from-plain-redirect`;
    await env.ext.navigate(page, `${sites.plain(HOSTS.plain, '/redirect')}?to=${encodeURIComponent(plainRedirect)}`);
    expect(page.url()).toBe(`${guardPage()}?url=${plainRedirect}`);

    const assigned = `https://${IDN_BLOCKED.unicode}:${sites.sitePort}/from-script`;
    await env.ext.navigate(page, sites.site(HOSTS.allowed, '/script'));
    await Promise.all([
      page.waitForURL((current) => current.href.startsWith(guardPage()), { timeout: 10_000 }),
      page.evaluate((href) => (location.href = href), assigned),
    ]);
    expect(page.url()).toBe(`${guardPage()}?url=${asWritten(assigned)}`);

    const target = `https://${HOSTS.managedDeny.toUpperCase()}.:${sites.sitePort}/after-redirect`;
    await env.ext.navigate(page, sites.redirect(HOSTS.allowed, target));
    expect(page.url()).toBe(`${guardPage()}?url=${asWritten(target)}`);
    // The redirect itself came from the allowed host; where it pointed was never asked.
    expect(sites.requestsTo(HOSTS.allowed).map((request) => request.path)).toContain(`/redirect?to=${encodeURIComponent(target)}`);
    denied.push(...[HOSTS.deny, HOSTS.blockedOther, HOSTS.intranet, IDN_BLOCKED.ascii, HOSTS.managedDeny].map((host) => ({ host })));
    expect(sites.requestsTo(HOSTS.plain).map((request) => request.path)).toContain('/links');
    await page.close();
  });

  it('still loads the addresses next to the denied ones: apex, siblings, an allowed subdomain, another port', async () => {
    const page = await env.ext.context.newPage();
    const visit = async (url: string) => {
      await env.ext.navigate(page, url);
      return page.url();
    };
    await expectNearMissesLoad(visit, env.sites, guardPage());
    await page.close();
  });

  it('proves it in the server logs: no request for a denied host, and no TLS handshake naming one (no preconnect)', () => {
    expect(new Set(denied.map((target) => target.host)).size).toBeGreaterThanOrEqual(8);
    expectNothingReached(env.sites, denied, { handshakes: true });
    // The logs work: the allowed hosts were both asked for and shaken hands with.
    expect(env.sites.requestsTo(HOSTS.allowed).length).toBeGreaterThan(0);
    expect(env.sites.handshakesTo(HOSTS.allowed).length).toBeGreaterThan(0);
  });

  it('writes only expressions Chromium accepts (isRegexSupported), for every documented pattern form', async () => {
    const forms = [...PATTERN_RULES, { host: '*.org.*', port: '8*', action: 'noCertificate' }, { host: '*', port: '*', action: 'noCertificate' }];
    const denies = compileSource(
      'managed',
      forms.map((rule) => ({ ...(rule as object), action: 'noCertificate' })),
    ).rules;
    const longHosts = Array.from({ length: 30 }, (_, index) => ({
      source: 'managed' as const,
      index,
      host: `application-${index}.branch-office.example.net`,
      port: '443',
      action: 'noCertificate' as const,
    }));
    const candidates = [...planGuardCandidates(denies), ...planGuardCandidates(longHosts)];
    const refused = await env.ext.inWorker(
      async (regexes) => {
        const answers = await Promise.all(
          regexes.map((regex) => chrome.declarativeNetRequest.isRegexSupported({ regex, isCaseSensitive: false, requireCapturing: true })),
        );
        return answers.map((answer, at) => ({ regex: regexes[at], ...answer })).filter((answer) => !answer.isSupported);
      },
      candidates.map((candidate) => candidate.regex),
    );
    // Groups are sized below Chromium's memory limit, so no round trip is wasted on splitting.
    expect(refused).toEqual([]);
  });

  async function linkFrom(page: Page, from: string, target: string): Promise<void> {
    await env.ext.navigate(page, from);
    await page.evaluate((href) => {
      const link = document.createElement('a');
      link.href = href;
      link.id = 'to-blocked';
      link.textContent = 'blocked';
      document.body.append(link);
    }, target);
    await Promise.all([page.waitForURL((current) => current.href.startsWith(guardPage()), { timeout: 10_000 }), page.click('#to-blocked')]);
  }
});
