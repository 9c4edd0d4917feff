import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { planGuardCandidates } from '../../src/background/guard-plan';
import { compileSource } from '../../src/engine/index';
import { PATTERN_RULES } from '../console/emulator/index';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { HOSTS, MANAGED_RULES, e2eSeed } from './support/scenario';
import { consoleFormPolicy } from './support/shared-scenarios';
import { environmentForSuite } from './support/suite-environment';

/** Guard `block`: a deny-rule host is never reached, whatever form the address takes. */
describe('guard block in Chromium', () => {
  let env: E2eEnvironment;
  // Guard rules for the profile's deny rules exist once the first sync is in.
  environmentForSuite(
    'e2e block suite',
    async () => (env = await startEnvironment({ seed: e2eSeed(), policy: consoleFormPolicy({ rules: MANAGED_RULES, guard: 'block' }) })),
    600_000,
  );

  const guardPage = () => env.ext.extensionUrl('src/ui/guard/index.html');

  it('puts the deny rules of every source into the browser once the profile is synced', async () => {
    await expect.poll(async () => (await env.ext.ask({ type: 'getStatus' })).sync.lastSuccessAt, { timeout: 20_000 }).not.toBeNull();
    await expect
      .poll(async () => (await env.ext.ask({ type: 'getStatus' })).guard, { timeout: 10_000 })
      .toMatchObject({ mode: 'block', applied: true, denyRulesTotal: 4, denyRulesCovered: 4, notFitted: [], error: null });
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

    // Every way of writing the address ends on the guard page: other paths, a
    // trailing dot, upper case, a user name, a link from a web page, a reload.
    const variants = [
      sites.site(HOSTS.blocked, '/other'),
      `https://${HOSTS.blocked}.:${sites.sitePort}/dot`,
      `https://${HOSTS.blocked.toUpperCase()}:${sites.sitePort}/upper`,
      `https://someone@${HOSTS.blocked}:${sites.sitePort}/user`,
      sites.site(HOSTS.blockedOther, '/'),
      sites.site(HOSTS.deny, '/'),
      sites.site(HOSTS.managedDeny, '/'),
      sites.site(HOSTS.intranet, '/'),
      `https://${HOSTS.intranet}.:${sites.sitePort}/dot`,
    ];
    for (const variant of variants) {
      await env.ext.navigate(page, variant);
      expect(page.url(), variant).toContain(`${guardPage()}?url=`);
    }
    await page.reload().catch(() => undefined);
    expect(page.url()).toContain(`${guardPage()}?url=`);
    await linkFrom(page, sites.site(HOSTS.allowed, '/links'), url);
    expect(page.url()).toBe(`${guardPage()}?url=${url}`);

    // The server's log is the proof: not one request for any deny-rule host.
    for (const host of [HOSTS.blocked, HOSTS.blockedOther, HOSTS.deny, HOSTS.managedDeny, HOSTS.intranet]) {
      expect(sites.requestsTo(host), host).toEqual([]);
    }
    // Hosts next to them are untouched.
    await env.ext.navigate(page, sites.site(HOSTS.blockedApex, '/apex'));
    expect(page.url()).toBe(sites.site(HOSTS.blockedApex, '/apex'));
    expect(sites.requestsTo(HOSTS.blockedApex)).toHaveLength(1);
    await page.close();
  });

  it('writes only expressions Chromium accepts (isRegexSupported), for every documented pattern form', async () => {
    const forms = [...PATTERN_RULES, { host: '*.org.*', port: '8*', action: 'noCertificate' }, { host: '*', port: '*', action: 'noCertificate' }];
    const denies = compileSource('managed', forms.map((rule) => ({ ...(rule as object), action: 'noCertificate' }))).rules;
    const longHosts = Array.from({ length: 30 }, (_, index) => ({ source: 'managed' as const, index, host: `application-${index}.branch-office.example.net`, port: '443', action: 'noCertificate' as const }));
    const candidates = [...planGuardCandidates(denies), ...planGuardCandidates(longHosts)];
    const refused = await env.ext.inWorker(
      async (regexes) => {
        const answers = await Promise.all(regexes.map((regex) => chrome.declarativeNetRequest.isRegexSupported({ regex, isCaseSensitive: false, requireCapturing: true })));
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
