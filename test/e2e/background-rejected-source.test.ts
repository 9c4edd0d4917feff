import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_USER, type ConsoleSeed } from '../console/emulator/index';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { consoleFormPolicy } from './support/shared-scenarios';
import { environmentForSuite } from './support/suite-environment';

const PROFILE_ID = 'e2e00000-0000-4000-8000-0000000000c0';
/** docs/rules.md §5's example: a valid deny rule, then one the engine rejects, so the whole managed source is rejected. */
const MANAGED = [
  { host: 'secret.corp', action: 'noCertificate' },
  { host: 'bad host', action: 'noCertificate' },
];
const SEED: ConsoleSeed = {
  accounts: [DEMO_USER],
  profiles: [
    {
      id: PROFILE_ID,
      name: 'Corp',
      description: 'allows every .corp host but one',
      rules: [
        { host: '*.corp', action: 'useEnrollmentCertificate' },
        { host: 'hr.corp', action: 'noCertificate' },
      ],
    },
  ],
  defaultProfileId: PROFILE_ID,
};
const NO_RULES = { decision: 'noCertificate', reason: 'no-rules', rule: null };

/**
 * Managed rules rejected with no earlier good copy, beside a synced console
 * profile that allows *.corp: the rule set is unusable, so https://secret.corp/
 * is "rules unavailable" (no-rules), never "allowed" by the profile; the popup
 * and the options page say the managed policy was rejected and why. With the
 * guard on, every deny rule that can be read stays guarded: the profile's
 * hr.corp, and the rejected source's valid secret.corp (the organisation's
 * word on where the certificate must not go, though it decides nothing).
 */
describe('a rejected managed source with no last good copy (Chromium)', () => {
  let env: E2eEnvironment;
  environmentForSuite(
    'e2e rejected-source suite',
    async () =>
      (env = await startEnvironment({
        seed: SEED,
        policy: consoleFormPolicy({ rules: MANAGED, guard: 'block' }),
        extraHosts: ['secret.corp', 'mail.corp', 'hr.corp'],
      })),
    600_000,
  );

  const guardPage = () => env.ext.extensionUrl('src/ui/guard/index.html');

  async function extensionPage(pathAndQuery: string): Promise<Page> {
    const page = await env.ext.context.newPage();
    await page.goto(env.ext.extensionUrl(pathAndQuery));
    return page;
  }

  it('decides https://secret.corp/ no-rules although the synced profile allows *.corp, naming the managed source', async () => {
    await expect.poll(async () => (await env.ext.ask({ type: 'getStatus' })).sync.lastSuccessAt, { timeout: 20_000 }).not.toBeNull();
    const sources = await env.ext.ask({ type: 'getRuleSources' });
    expect(sources.rulesAvailable).toBe(false);
    expect(sources.unavailable).toEqual([{ source: 'managed', code: 'rejected', message: expect.stringMatching(/^rule 1: the host contains white space/) }]);
    // The profile is synced and readable; it does not decide while the managed rules are unknown.
    expect(sources.sources.find((source) => source.name === 'profile')).toMatchObject({ label: 'Corp', rules: [{ host: '*.corp' }, { host: 'hr.corp' }] });
    for (const url of ['https://secret.corp/', 'https://mail.corp/', 'https://hr.corp/']) {
      expect(await env.ext.ask({ type: 'evaluateUrl', url }), url).toMatchObject({
        ...NO_RULES,
        unavailable: [expect.objectContaining({ source: 'managed' })],
      });
    }
  });

  it('keeps guarding every deny rule it can read: https://hr.corp/ (profile) and https://secret.corp/ (the rejected source) are stopped', async () => {
    await expect
      .poll(async () => (await env.ext.ask({ type: 'getStatus' })).guard, { timeout: 10_000 })
      .toMatchObject({ mode: 'block', applied: true, denyRulesTotal: 2, denyRulesCovered: 2, error: null });
    for (const url of ['https://hr.corp/', 'https://secret.corp/']) {
      const page = await env.ext.open(url);
      expect(page.url()).toBe(`${guardPage()}?url=${url}`);
      await page.close();
    }
  });

  it('https://secret.corp/: the badge and the popup say rules unavailable, naming the rejected managed source', async () => {
    // The guard stops it (its deny rule is readable in the rejected source); the tab stands for the address it stopped.
    const page = await env.ext.open('https://secret.corp/');
    const tabId = await env.ext.tabId(page);
    await expect.poll(async () => (await env.ext.ask({ type: 'getTabState', tabId }))?.verdict, { timeout: 10_000 }).toEqual(NO_RULES);
    const badge = await env.ext.badge(tabId);
    expect(badge.text).toBe('!');
    expect(badge.title).toContain('Rules unavailable');
    const state = await env.ext.ask({ type: 'getPopupState', tabId });
    expect(state.current).toMatchObject({ host: 'secret.corp', port: '443', verdict: NO_RULES });
    expect(state.unavailable.map((entry) => [entry.source, entry.code])).toEqual([['managed', 'rejected']]);

    const popup = await extensionPage(`src/ui/popup/index.html?tabId=${tabId}`);
    await popup.locator('.current [data-decision]').waitFor({ timeout: 10_000 });
    expect(await popup.locator('.current [data-decision]').getAttribute('data-decision')).toBe('unavailable');
    const named = popup.locator('.unavailable li[data-unavailable-source="managed"]');
    expect(await named.innerText()).toMatch(
      /Organisation policy — rejected, and no earlier version was accepted: .*rule 2 \(index 1\): the host contains white space/,
    );
    await popup.close();
    await page.close();
  });

  it('the options page says which source was rejected and why, on the source itself too', async () => {
    const options = await extensionPage('src/ui/options/index.html#rules');
    const block = options.locator('section[data-source="managed"]');
    await block.waitFor({ timeout: 10_000 });
    expect(await options.locator('.unavailable li[data-unavailable-source="managed"]').innerText()).toMatch(
      /^Organisation policy — rejected, and no earlier version was accepted: rule 2 \(index 1\)/,
    );
    expect(await block.locator('.source-unavailable').innerText()).toMatch(
      /^Because of this source the rules are unavailable: .*rule 2 \(index 1\): the host contains white space/,
    );
    expect(await options.locator('section[data-source="profile"] .source-unavailable').count()).toBe(0);
    await options.close();
  });

  it('a service worker woken from its compiled-rules cache still knows the rules are unavailable, and why', async () => {
    await env.ext.stopWorker();
    const evaluation = await env.ext.ask({ type: 'evaluateUrl', url: 'https://mail.corp/' });
    expect(evaluation).toMatchObject({ ...NO_RULES, unavailable: [expect.objectContaining({ source: 'managed', code: 'rejected' })] });
    expect((await env.ext.ask({ type: 'getStatus' })).guard).toMatchObject({ applied: true, denyRulesTotal: 2 });
    expect((await env.ext.ask({ type: 'getRuleSources' })).unavailable).toEqual([expect.objectContaining({ source: 'managed', code: 'rejected' })]);
  });
});
