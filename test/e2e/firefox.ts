import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { REPO_ROOT } from '../helpers/paths';

export const FIREFOX = process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';
/** The build under test; FIREFOX_EXTENSION_DIR points elsewhere (e.g. a private build while others rebuild dist/). */
export const FIREFOX_DIST = process.env['FIREFOX_EXTENSION_DIR'] ?? path.join(REPO_ROOT, 'dist/firefox');

/** The gecko id from manifest.json: the key of the extension's policies.json entry. */
export const GECKO_ID: string = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'manifest.json'), 'utf8')) as {
    browser_specific_settings: { gecko: { id: string } };
  }
).browser_specific_settings.gecko.id;

/**
 * Firefox gives every installation a random moz-extension:// UUID. The
 * `extensions.webextensions.uuids` pref, read when the add-on is installed,
 * fixes it, so tests can open the extension's pages without asking for it.
 */
export const EXTENSION_UUID = '6f1d3c2b-8a4e-4b7d-9c0e-c1e2c3e4f5a6';

export interface FirefoxWithExtension {
  browser: Browser;
  uuid: string;
  extensionUrl(pagePath: string): string;
  close(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  /** Host names Firefox resolves to loopback (network.dns.localDomains takes exact names, no wildcards). */
  hosts: readonly string[];
  extensionDir?: string;
  /** Extra preferences, e.g. for a demo. */
  prefs?: Record<string, string | number | boolean>;
  headless?: boolean;
}

/**
 * Preferences that keep Firefox offline except for loopback and deterministic
 * for the tests. Puppeteer adds its own set (no updates, no telemetry).
 */
export function firefoxPrefs(hosts: readonly string[]): Record<string, string | number | boolean> {
  return {
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
    // Firefox has no --host-resolver-rules: these names resolve to localhost
    // (127.0.0.1) without DNS; every other name goes to the resolver as usual.
    'network.dns.localDomains': hosts.join(','),
    // No DNS over HTTPS and no proxy: the names above must reach the test servers.
    'network.trr.mode': 5,
    'network.proxy.type': 0,
    // HTTPS-First would try https:// on the plain-HTTP test server before falling back.
    'dom.security.https_first': false,
    'dom.security.https_first_schemeless': false,
    // Background connections the tests do not want to see (or wait for).
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'security.OCSP.enabled': 0,
    'extensions.systemAddon.update.enabled': false,
  };
}

/**
 * Starts Debian's Firefox ESR over WebDriver BiDi in a fresh profile and
 * installs the built extension as a temporary add-on. The build is copied
 * first, so a rebuild of dist/firefox while tests run cannot pull files out
 * from under the browser.
 */
export async function launchFirefoxWithExtension(options: FirefoxLaunchOptions): Promise<FirefoxWithExtension> {
  const source = options.extensionDir ?? FIREFOX_DIST;
  if (!existsSync(path.join(source, 'manifest.json'))) {
    throw new Error(`${source}/manifest.json is missing: run "npm run build" first`);
  }
  const workDir = mkdtempSync(path.join(tmpdir(), 'ccr-firefox-'));
  const extensionDir = path.join(workDir, 'extension');
  cpSync(source, extensionDir, { recursive: true });
  const cleanUp = () => rmSync(workDir, { recursive: true, force: true });

  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: FIREFOX,
      headless: options.headless ?? true,
      // Lets the BiDi session reach moz-extension:// documents (the extension's pages).
      args: ['--remote-allow-system-access'],
      // The test sites use a self-signed certificate made at test time.
      acceptInsecureCerts: true,
      extraPrefsFirefox: { ...firefoxPrefs(options.hosts), ...(options.prefs ?? {}) },
    });
  } catch (error) {
    cleanUp();
    throw error;
  }
  try {
    const id = await browser.installExtension(extensionDir);
    if (id !== GECKO_ID) throw new Error(`installed add-on id ${id}, expected ${GECKO_ID}`);
  } catch (error) {
    await browser.close().catch(() => undefined);
    cleanUp();
    throw error;
  }
  return {
    browser,
    uuid: EXTENSION_UUID,
    extensionUrl: (pagePath) => `moz-extension://${EXTENSION_UUID}/${pagePath.replace(/^\//, '')}`,
    close: async () => {
      await browser.close().catch(() => undefined);
      cleanUp();
    },
  };
}
