// The self-hosted package for real: `npm run package` signs a .crx and writes
// update.xml for a loopback base URL; Chromium is given only the admin guide's
// Linux policy file (docs/examples/chrome-linux-policy.json: ExtensionSettings
// force_installed from update.xml, our settings under 3rdparty) and must fetch
// update.xml, download the .crx, verify its CRX3 signature against the id,
// install it and hand it the managed settings.
//
// Signed with a throwaway key, so the id differs from the test key's id that
// other browser tests load unpacked; the example's id and placeholder address
// are replaced by those of this run.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionIdFromPem, projectExtensionId } from '../../scripts/extension-id.mjs';
import { manifestVersion } from '../../scripts/manifest-target';
import { PLACEHOLDER_BASE_URL } from '../../scripts/package/update-manifest';
import { REPO_ROOT } from '../helpers/paths';
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium';
import { CHROMIUM_POLICY_DIR, acquirePolicyLock } from './support/policy';

const run = promisify(execFile);
const POLICY_FILE = path.join(CHROMIUM_POLICY_DIR, 'client-certificate-rules-crx-install-e2e.json');
const version = manifestVersion(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version).version;
const OPTIONS_PAGE = JSON.parse(readFileSync(path.join(REPO_ROOT, 'manifest.json'), 'utf8')).options_ui.page as string;
const settings = JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs/examples/managed-settings.json'), 'utf8')) as Record<string, unknown>;

describe("the self-hosted .crx in Debian Chromium, force-installed and configured by the guide's Linux policy file", () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ccr-crx-install-'));
  const outDir = path.join(scratch, 'artifacts');
  const requests: string[] = [];
  let server: http.Server;
  let extensionId: string;
  let context: BrowserContext | undefined;
  let page: Page;
  let releaseLock: (() => void) | undefined;

  beforeAll(async () => {
    const keyPath = path.join(scratch, 'key.pem');
    writeFileSync(keyPath, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    extensionId = extensionIdFromPem(readFileSync(keyPath, 'utf8'));

    server = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      const name = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.slice(1));
      let body: Buffer;
      try {
        if (name.includes('/') || name.startsWith('.')) throw new Error('no such file');
        body = readFileSync(path.join(outDir, name));
      } catch {
        response.writeHead(404).end();
        return;
      }
      const type = name.endsWith('.xml') ? 'text/xml' : 'application/x-chrome-extension';
      response.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

    await run(process.execPath, ['--import', 'tsx', 'scripts/package.ts', '--no-build', '--out-dir', outDir, '--key', keyPath, '--base-url', baseUrl], {
      cwd: REPO_ROOT,
      timeout: 90_000,
    });

    releaseLock = await acquirePolicyLock();
    mkdirSync(CHROMIUM_POLICY_DIR, { recursive: true });
    const example = readFileSync(path.join(REPO_ROOT, 'docs/examples/chrome-linux-policy.json'), 'utf8')
      .replaceAll(projectExtensionId(), extensionId)
      .replaceAll(PLACEHOLDER_BASE_URL, baseUrl);
    writeFileSync(
      POLICY_FILE,
      JSON.stringify({
        ...JSON.parse(example),
        // By default Chrome keeps DevTools (and so the test driver) away from
        // extensions installed by policy; this test needs to look inside.
        DeveloperToolsAvailability: 1,
      }),
    );
    context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
      executablePath: CHROMIUM,
      headless: false,
      // Force installs are downloads the browser makes in the background, and
      // Playwright's defaults would switch both extensions and those off.
      args: CHROMIUM_FLAGS.filter((flag) => flag !== '--disable-background-networking'),
      ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking'],
    });
    // The extension appears once Chromium has fetched, verified and installed the
    // .crx; until then its pages do not load. Its own options page then gives
    // the test the extension's chrome.* APIs.
    page = await context.newPage();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const loaded = await page
        .goto(`chrome-extension://${extensionId}/${OPTIONS_PAGE}`, { timeout: 5_000 })
        .then(() => page.evaluate(() => typeof chrome !== 'undefined' && chrome.runtime?.id))
        .catch(() => false);
      if (loaded === extensionId) break;
      if (Date.now() > deadline) throw new Error(`Chromium did not install ${extensionId}; requests seen: ${requests.join(', ') || 'none'}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    rmSync(POLICY_FILE, { force: true });
    releaseLock?.();
    await new Promise((resolve) => server?.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('fetched update.xml and then the .crx it names', () => {
    expect(requests.some((url) => url.startsWith('/update.xml'))).toBe(true);
    expect(requests).toContain(`/client-certificate-rules-${JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version}.crx`);
  });

  it('runs the installed extension under the id of the signing key, at the packaged version', async () => {
    const manifest = await page.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.version).toBe(version);
    expect((manifest as { update_url?: string }).update_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/update\.xml$/);
    const installType = await page.evaluate(() => chrome.management.getSelf().then((self) => self.installType));
    expect(installType).toBe('admin');
  });

  it('receives the example settings (docs/examples/managed-settings.json) through storage.managed', async () => {
    // The policy for an extension installed while the browser runs is loaded
    // once its managed_schema.json is registered, a moment after the install.
    const deadline = Date.now() + 30_000;
    let managed: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      managed = await page.evaluate(() => chrome.storage.managed.get(null));
      if (Object.keys(managed).length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(managed).toEqual(settings);
  });
});
