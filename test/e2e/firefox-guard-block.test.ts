import { beforeAll, describe, expect, it } from 'vitest';
import { startFirefoxEnvironment, type FirefoxEnvironment } from './support/firefox-environment';
import { pollUntil } from './support/poll';
import { followLinkFrom } from './support/firefox-link';
import { HOSTS, e2eSeed } from './support/scenario';
import { consoleFormPolicy } from './support/shared-scenarios';
import { environmentForSuite } from './support/suite-environment';

/** Firefox ESR with policies.json: guard `block`, rules from the console. */
describe('guard block in Firefox ESR', () => {
  let env: FirefoxEnvironment;
  environmentForSuite('firefox guard-block suite', async () => (env = await startFirefoxEnvironment({ seed: e2eSeed(), policy: consoleFormPolicy({ guard: 'block' }) })));

  beforeAll(async () => {
    await pollUntil(() => env.ext.ask({ type: 'getStatus' }), (status) => status.sync.lastSuccessAt !== null && status.guard.applied, {
      timeoutMs: 20_000,
      what: 'the first sync and the guard rules',
    });
  });

  it('stops a deny-rule host with no way through, and the server never sees a request', async () => {
    const { sites } = env;
    const guardPage = env.ext.extensionUrl('src/ui/guard/index.html');
    const status = await env.ext.ask({ type: 'getStatus' });
    expect(status.guard).toMatchObject({ mode: 'block', applied: true, notFitted: [], error: null });
    expect(status.guard.browserRules).toBeGreaterThan(0);

    // From a link on a web page, and typed.
    const blockedUrl = sites.site(HOSTS.blocked, '/secret');
    const start = await followLinkFrom(env.ext, sites.site(HOSTS.unmatched, '/links'), blockedUrl);
    await pollUntil(() => env.ext.href(start), (href) => href === `${guardPage}?url=${blockedUrl}`, { what: 'the guard page' });
    const text = await pollUntil(
      () => start.evaluate(() => document.querySelector('main')?.textContent ?? ''),
      (shown) => shown.includes(HOSTS.blocked),
      { what: 'the guard page to render' },
    );
    expect(text).toContain('*.blocked.acme.test');
    // No "continue": the page offers only the way back.
    expect(await start.$('button.danger')).toBeNull();
    const denyPage = await env.ext.open(sites.site(HOSTS.deny, '/typed'));
    expect(await env.ext.href(denyPage)).toBe(`${guardPage}?url=${sites.site(HOSTS.deny, '/typed')}`);

    // Nor can a page ask the background to let it through.
    const refused = await env.ext.send({ type: 'guardContinue', url: blockedUrl });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await env.ext.navigate(start, blockedUrl);
    expect(await env.ext.href(start)).toBe(`${guardPage}?url=${blockedUrl}`);

    const state = await env.ext.tabState(start, (s) => s.host === HOSTS.blocked);
    expect(state.verdict).toMatchObject({ decision: 'noCertificate', reason: 'deny-rule', rule: { source: 'profile', index: 2 } });
    expect((await env.ext.badge(await env.ext.tabId(start))).text).toBe('✕');
    // The request log of the HTTPS server: nothing ever reached it for either host.
    expect(sites.requestsTo(HOSTS.blocked)).toEqual([]);
    expect(sites.requestsTo(HOSTS.deny)).toEqual([]);
    // The page the link was on did reach it: the log works.
    expect(sites.requestsTo(HOSTS.unmatched).map((request) => request.path)).toContain('/links');
    await Promise.all([start.close(), denyPage.close()]);
  });
});
