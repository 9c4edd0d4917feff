import { startConsoleEmulator, type ConsoleEmulator, type ConsoleSeed } from '../../console/emulator/index';
import { GECKO_ID } from '../firefox';
import { launchFirefoxHarness, type FirefoxHarness } from './firefox-harness';
import { acquireFirefoxPolicyLock, installFirefoxPolicy, restoreFirefoxPolicy } from './firefox-policy';
import { startMtlsSite, type MtlsSite } from './mtls-site';
import { HOSTS } from './scenario';
import { TEST_DOMAINS, startTestSites, type TestSites } from './sites';

export interface FirefoxEnvironment {
  ext: FirefoxHarness;
  sites: TestSites;
  /** Demands a client certificate under TLS 1.3 (sites.mtls is the TLS 1.2 one). */
  mtls13: MtlsSite;
  console: ConsoleEmulator | null;
  close(): Promise<void>;
}

export interface FirefoxEnvironmentOptions {
  /** The managed policy for policies.json; null: no policies.json at all. */
  policy: ((context: { consoleUrl: string | null; sites: TestSites }) => Record<string, unknown>) | null;
  /** Start the console emulator with this seed; null: no console. */
  seed: ConsoleSeed | null;
  /** More host names to map to loopback. */
  hosts?: readonly string[];
  /** Firefox's own policies in policies.json, beside the extension's (e.g. Preferences). */
  browserPolicies?: Record<string, unknown>;
  /** More preferences for the profile (e.g. a colour scheme). */
  prefs?: Record<string, string | number | boolean>;
}

/** Every test host name: Firefox maps exact names only (network.dns.localDomains). */
export const FIREFOX_TEST_HOSTS: readonly string[] = [...new Set([...Object.values(HOSTS), ...TEST_DOMAINS])];

/**
 * One Firefox launch with one policies.json: the console emulator, the test
 * sites, the policy file, Firefox with the built extension. close() removes
 * the policy file first (restoring any file that was there before).
 */
export async function startFirefoxEnvironment(options: FirefoxEnvironmentOptions): Promise<FirefoxEnvironment> {
  const releaseLock = await acquireFirefoxPolicyLock();
  const sites = await startTestSites().catch((error: unknown) => {
    releaseLock();
    throw error;
  });
  let mtls13: MtlsSite | null = null;
  let consoleServer: ConsoleEmulator | null = null;
  let ext: FirefoxHarness | null = null;
  try {
    mtls13 = await startMtlsSite(TEST_DOMAINS.flatMap((domain) => [domain, `*.${domain}`]));
    consoleServer = options.seed ? await startConsoleEmulator({ seed: options.seed, loginStyle: 'redirect' }) : null;
    installFirefoxPolicy(GECKO_ID, options.policy ? options.policy({ consoleUrl: consoleServer?.url ?? null, sites }) : null, options.browserPolicies);
    ext = await launchFirefoxHarness({
      hosts: [...FIREFOX_TEST_HOSTS, ...(options.hosts ?? [])],
      // Nothing here may listen on 443: a URL that names no port (or `:443`) goes to the test site.
      prefs: { 'network.socket.forcePort': `443=${sites.sitePort}`, ...options.prefs },
    });
  } catch (error) {
    restoreFirefoxPolicy();
    releaseLock();
    await sites.close();
    await mtls13?.close();
    await consoleServer?.close();
    throw error;
  }
  const launched = ext;
  const mtls = mtls13;
  const emulator = consoleServer;
  return {
    ext: launched,
    sites,
    mtls13: mtls,
    console: emulator,
    async close() {
      restoreFirefoxPolicy();
      await launched.close().catch(() => undefined);
      releaseLock();
      await sites.close();
      await mtls.close();
      await emulator?.close();
    },
  };
}
