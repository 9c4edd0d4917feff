import type { Page } from 'puppeteer-core';
import type { FirefoxHarness } from './firefox-harness';

/**
 * Opens `from` in a new tab, puts a link to `target` on it and clicks it, as
 * a user would follow a link (the guard's redirect of a followed link is not
 * the same navigation as a typed address). Returns the tab; the caller waits
 * for where it ends.
 */
export async function followLinkFrom(ext: FirefoxHarness, from: string, target: string): Promise<Page> {
  const page = await ext.open(from);
  await page.evaluate((href) => {
    const link = document.createElement('a');
    link.id = 'go';
    link.href = href;
    link.textContent = 'go';
    document.body.append(link);
  }, target);
  await page.click('#go');
  return page;
}
