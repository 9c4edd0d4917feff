import { projectExtensionId } from '../../../scripts/extension-id.mjs';
import { startConsoleEmulator, type ConsoleEmulator, type ConsoleSeed } from '../../console/emulator/index';
import { launchHarness, type ExtensionHarness } from './harness';
import { acquirePolicyLock, installChromiumPolicy, removeChromiumPolicy } from './policy';
import { hostResolverRules, startTestSites, type TestSites } from './sites';

export interface E2eEnvironment {
  ext: ExtensionHarness;
  sites: TestSites;
  console: ConsoleEmulator | null;
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  /** The managed policy; a function receives the console's REST URL (when a console runs) and the sites. */
  policy: (context: { consoleUrl: string | null; sites: TestSites }) => Record<string, unknown>;
  /** Start the console emulator with this seed; null: no console. */
  seed: ConsoleSeed | null;
  /** Chromium's own policies, beside the extension's (e.g. NetworkPredictionOptions). */
  browserPolicy?: Record<string, unknown>;
  /** Another build of the extension (e.g. the cold-start benchmark's naive variant); default dist/chrome. */
  extensionDir?: string;
  /** More host names to map to 127.0.0.1, beside the test domains (e.g. a host a test's rules name). */
  extraHosts?: readonly string[];
  /** Run on the console emulator before the browser starts (e.g. faults its first sync meets). */
  beforeLaunch?: (console: ConsoleEmulator) => void;
}

/**
 * One browser launch with one managed policy: the console emulator, the test
 * sites, the policy file, and Chromium with the built extension. Everything
 * is torn down in close(), the policy file first.
 */
export async function startEnvironment(options: EnvironmentOptions): Promise<E2eEnvironment> {
  const releaseLock = await acquirePolicyLock();
  const sites = await startTestSites();
  let consoleServer: ConsoleEmulator | null = null;
  let ext: ExtensionHarness | null = null;
  try {
    consoleServer = options.seed ? await startConsoleEmulator({ seed: options.seed, loginStyle: 'redirect' }) : null;
    if (consoleServer) options.beforeLaunch?.(consoleServer);
    installChromiumPolicy(projectExtensionId(), options.policy({ consoleUrl: consoleServer?.url ?? null, sites }), options.browserPolicy);
    ext = await launchHarness([hostResolverRules(sites.sitePort, options.extraHosts), '--ignore-certificate-errors'], options.extensionDir);
  } catch (error) {
    removeChromiumPolicy();
    releaseLock();
    await sites.close();
    await consoleServer?.close();
    throw error;
  }
  const launched = ext;
  const emulator = consoleServer;
  return {
    ext: launched,
    sites,
    console: emulator,
    async close() {
      removeChromiumPolicy();
      await launched.close().catch(() => undefined);
      releaseLock();
      await sites.close();
      await emulator?.close();
    },
  };
}
