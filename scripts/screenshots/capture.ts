import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ExtensionHarness } from '../../test/e2e/support/harness';

export const SCHEMES = ['light', 'dark'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** One frame after the page's last change: styles follow a colour-scheme switch only on the next frame. */
export const nextFrame = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));

/**
 * Makes the viewport as tall as the page's content (at most 2,000 px), so the
 * picture has no scroll bar and no empty space below the content.
 */
async function fitHeight(page: Page): Promise<void> {
  const viewport = page.viewportSize();
  if (!viewport) return;
  const height = await page.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  const wanted = Math.min(Math.max(height, 100), 2_000);
  if (wanted !== viewport.height) {
    await page.setViewportSize({ width: viewport.width, height: wanted });
    await nextFrame(page);
  }
}

/**
 * Screenshots of the page as it is, once light and once dark:
 * `<name>-light.png`, `<name>-dark.png` in `outDir`. The whole page (its
 * content's height at the viewport's width), or only `selector` when given.
 */
export async function captureSchemes(page: Page, outDir: string, name: string, selector?: string): Promise<string[]> {
  const written: string[] = [];
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await nextFrame(page);
    const file = path.join(outDir, `${name}-${scheme}.png`);
    if (selector) await page.locator(selector).first().screenshot({ path: file, animations: 'disabled' });
    else {
      await fitHeight(page);
      await page.screenshot({ path: file, animations: 'disabled' });
    }
    written.push(file);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return written;
}

/** An extension page in a new tab at `width` × `height` CSS px. */
export async function extensionPage(ext: ExtensionHarness, pathAndQuery: string, width: number, height = 700): Promise<Page> {
  const page = await ext.context.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(ext.extensionUrl(pathAndQuery));
  return page;
}

/** Waits for `selector`; a build that never shows it is pictured as it is (the before set runs older builds). */
export async function settle(page: Page, selector: string, timeoutMs = 10_000): Promise<boolean> {
  const shown = await page
    .locator(selector)
    .first()
    .waitFor({ timeout: timeoutMs })
    .then(() => true)
    .catch(() => false);
  await nextFrame(page);
  return shown;
}

/** The popup for a tab, opened as a page with ?tabId= (headless Chromium has no toolbar), once it has loaded. */
export async function popupFor(ext: ExtensionHarness, tabId: number, width = 380): Promise<Page> {
  const popup = await extensionPage(ext, `src/ui/popup/index.html?tabId=${tabId}`, width, 400);
  await settle(popup, 'main.popup[aria-busy="false"]');
  return popup;
}
