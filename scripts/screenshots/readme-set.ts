import { DEMO_HOSTS } from '../demo/seed';
import type { E2eEnvironment } from '../../test/e2e/support/environment';
import { captureSchemes, extensionPage, popupFor, settle } from './capture';

/**
 * The README's pictures, from the demo's console profile (scripts/demo/seed.ts)
 * with guard `warn`: the popup on an allowed and on an excluded site, the
 * guard page that stopped the excluded one, and the options page's tester
 * with a trace. Addresses name no port: the browser maps port 443 of the demo
 * names to the local test site.
 */
export async function readmeSet(env: E2eEnvironment, outDir: string): Promise<string[]> {
  const { ext } = env;
  const written: string[] = [];

  const allowed = await ext.open(`https://${DEMO_HOSTS.intranet}/`);
  const allowedPopup = await popupFor(ext, await ext.tabId(allowed));
  written.push(...(await captureSchemes(allowedPopup, outDir, 'popup-allowed')));

  // The guard (warn) stops the excluded site: the tab shows the guard page.
  const denied = await ext.open(`https://${DEMO_HOSTS.public}/`);
  await denied.setViewportSize({ width: 760, height: 600 });
  await settle(denied, '.guard .rule-summary');
  written.push(...(await captureSchemes(denied, outDir, 'guard')));
  const deniedPopup = await popupFor(ext, await ext.tabId(denied));
  written.push(...(await captureSchemes(deniedPopup, outDir, 'popup-denied')));

  const tester = await extensionPage(ext, 'src/ui/options/index.html#tester', 1200);
  await settle(tester, 'main[data-section="tester"]');
  await tester.getByLabel('URL to test').fill(`${DEMO_HOSTS.public}/login`);
  await tester.getByRole('button', { name: 'Test', exact: true }).click();
  await settle(tester, '.trace [data-decision]');
  written.push(...(await captureSchemes(tester, outDir, 'options-tester')));
  return written;
}
