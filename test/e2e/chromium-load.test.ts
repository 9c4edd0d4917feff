import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectExtensionId } from '../../scripts/extension-id.mjs';
import { REPO_ROOT } from '../helpers/paths';
import { CHROME_DIST, launchChromiumWithExtension, type ChromiumWithExtension } from './chromium';

const expectedId = projectExtensionId();
const packageVersion = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;

describe('dist/chrome in Debian Chromium', () => {
  let browser: ChromiumWithExtension;

  beforeAll(async () => {
    browser = await launchChromiumWithExtension();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads, and its service worker runs under the id that manifest.json key gives', () => {
    expect(expectedId).toMatch(/^[a-p]{32}$/);
    expect(browser.extensionId).toBe(expectedId);
    expect(browser.serviceWorker.url()).toBe(
      `chrome-extension://${expectedId}/${JSON.parse(readFileSync(path.join(CHROME_DIST, 'manifest.json'), 'utf8')).background.service_worker}`,
    );
  });

  it('carries the version from package.json and the managed storage schema', async () => {
    const manifest = await browser.serviceWorker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.version).toBe(packageVersion);
    expect((manifest as { storage?: { managed_schema?: string } }).storage?.managed_schema).toBe('managed_schema.json');
    // No policy installed for this id: Chrome answers {} rather than failing.
    const managed = await browser.serviceWorker.evaluate(() => chrome.storage.managed.get(null));
    expect(managed).toEqual({});
  });

  it('opens the options page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${expectedId}/src/ui/options/index.html`);
    await expect.poll(() => page.locator('#app').innerHTML(), { timeout: 10_000 }).not.toBe('');
    await page.close();
  });

  it('lets a declarativeNetRequest redirect from a web page reach the guard page (web_accessible_resources)', async () => {
    const ruleId = 990_001;
    await browser.serviceWorker.evaluate(async (id) => {
      await chrome.declarativeNetRequest.updateSessionRules({
        removeRuleIds: [id],
        addRules: [
          {
            id,
            priority: 1,
            action: { type: 'redirect' as chrome.declarativeNetRequest.RuleActionType, redirect: { extensionPath: '/src/ui/guard/index.html' } },
            condition: {
              requestDomains: ['guard-smoke.invalid'],
              resourceTypes: ['main_frame' as chrome.declarativeNetRequest.ResourceType],
            },
          },
        ],
      });
    }, ruleId);
    // A link on a web page: the navigation's initiator is a web origin, and
    // Chrome then follows the redirect only to a web-accessible resource
    // (without the manifest entry it shows ERR_BLOCKED_BY_CLIENT; a typed URL
    // would not need it).
    const server = http.createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end('<a id="link" href="https://guard-smoke.invalid/some/path">go</a>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const page = await browser.context.newPage();
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      // The redirect happens before any DNS lookup, so the .invalid host needs no server.
      await page.click('#link');
      await expect.poll(() => page.url(), { timeout: 10_000 }).toBe(`chrome-extension://${expectedId}/src/ui/guard/index.html`);
      await expect.poll(() => page.locator('#app').innerHTML(), { timeout: 10_000 }).not.toBe('');
    } finally {
      await page.close();
      server.close();
      await browser.serviceWorker.evaluate((id) => chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: [id] }), ruleId);
    }
  });
});
