import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe';
import { startEnvironment, type E2eEnvironment } from './support/environment';
import { environmentForSuite } from './support/suite-environment';

/**
 * The tester in the options page and the popup, in real Chromium, as people
 * type addresses: a bare host (tested as https), host:port, a URL; and each
 * result gives its real reason — an address that cannot be read is not
 * "no TLS", and no rule was "not matched" when none could be compared.
 */
describe('the tester takes a host, host:port or URL (Chromium)', () => {
  let env: E2eEnvironment;
  environmentForSuite(
    'e2e tester suite',
    async () =>
      (env = await startEnvironment({
        seed: null,
        policy: () => ({
          rules: [
            { host: 'www.acme.test', port: '443', action: 'useEnrollmentCertificate' },
            { host: 'pay.acme.test', port: '8443', action: 'noCertificate' },
          ],
        }),
      })),
    600_000,
  );

  let tester: Page;
  const trace = () => tester.locator('.trace');

  async function testAddress(page: Page, typed: string): Promise<void> {
    await page.getByLabel('URL to test').fill(typed);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
  }

  it('a bare host is tested as https and decided by the rule for port 443', async () => {
    tester = await env.ext.context.newPage();
    await tester.goto(env.ext.extensionUrl('src/ui/options/index.html#tester'));
    await testAddress(tester, 'www.acme.test');
    await expect.poll(() => trace().locator('[data-decision]').getAttribute('data-decision'), { timeout: 10_000 }).toBe('allowed');
    const text = await trace().innerText();
    expect(text).toContain('https://www.acme.test');
    expect(text).toContain('(no scheme was typed: tested as https)');
    expect(text).not.toContain('Not a valid address');
    expect(text).not.toContain('no TLS');
    expect(await trace().locator('[data-decider="true"]').innerText()).toContain('www.acme.test');
    expect(await axeViolations(tester)).toEqual([]);
  });

  it('host:port keeps its port: the deny rule for 8443 decides', async () => {
    await testAddress(tester, 'pay.acme.test:8443');
    await expect.poll(() => trace().locator('[data-decision]').getAttribute('data-decision'), { timeout: 10_000 }).toBe('excluded');
    expect(await trace().locator('dl').innerText()).toMatch(/Port compared\s+8443/);
  });

  it('a full URL is tested as typed; plain http is "no TLS" and no rule applies', async () => {
    await testAddress(tester, 'http://www.acme.test/');
    await expect.poll(() => trace().locator('[data-decision]').getAttribute('data-decision'), { timeout: 10_000 }).toBe('not-tls');
    const text = await trace().innerText();
    expect(text).toContain('not compared (no TLS)');
    expect(text).toContain('No rule applies');
    expect(text).not.toContain('(no scheme was typed');
  });

  it('an address that cannot be read says so, not "no TLS" nor "no rule matched"', async () => {
    // A port out of range: no parser reads it.
    await testAddress(tester, 'www.acme.test:99999');
    await expect.poll(() => trace().locator('[data-decision]').getAttribute('data-decision'), { timeout: 10_000 }).toBe('invalid');
    const text = await trace().innerText();
    expect(text).toContain('not compared (not a valid address)');
    expect(text).not.toContain('no TLS');
    expect(text).not.toContain('No rule matched.');
    expect(await axeViolations(tester)).toEqual([]);
  });

  it('the popup\'s "Test a URL" takes a bare host too', async () => {
    const site = await env.ext.open(env.sites.plain('plain.acme.test', '/'));
    const tabId = await env.ext.tabId(site);
    const popup = await env.ext.context.newPage();
    await popup.goto(env.ext.extensionUrl(`src/ui/popup/index.html?tabId=${tabId}`));
    await testAddress(popup, 'pay.acme.test:8443');
    await expect.poll(() => popup.locator('.url-test-result [data-decision]').getAttribute('data-decision'), { timeout: 10_000 }).toBe('excluded');
    expect(await popup.locator('.url-test-result').innerText()).toContain('pay.acme.test:8443');
    await Promise.all([popup.close(), site.close()]);
  });
});
