import type { Page } from 'puppeteer-core';
import type { Browser as WebExtensionBrowser } from 'webextension-polyfill';
import type { Reply, RequestOf, RequestType, ResponseMap } from '../../../src/shared/messages';
import type { TabState } from '../../../src/shared/tab-state';
import { launchFirefoxWithExtension, type FirefoxLaunchOptions, type FirefoxWithExtension } from '../firefox';
import type { BadgeReading } from './harness';
import { pollUntil } from './poll';

/** The WebExtension API as an extension page sees it (Firefox's own `browser`). */
export type ExtensionApi = WebExtensionBrowser;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Drives the built extension in Firefox the way its own pages do. Firefox's
 * background page is not reachable over WebDriver BiDi, so everything goes
 * through an extension page: requests through runtime.sendMessage (the real
 * router and its sender checks), browser facts (badges, tabs) through the
 * APIs extension pages share with the background.
 *
 * Two Firefox habits shape this: `goto` to a moz-extension:// page (opened
 * directly or reached by a declarativeNetRequest redirect) may never resolve,
 * and Puppeteer's page.url() does not follow such navigations. So pages are
 * driven with goto-or-poll, and the address is read from the document.
 */
export class FirefoxHarness {
  private messenger: Page | null = null;

  constructor(readonly firefox: FirefoxWithExtension) {}

  extensionUrl(pagePath: string): string {
    return this.firefox.extensionUrl(pagePath);
  }

  /** The document's own address (Puppeteer's page.url() can lag behind in Firefox); '' while there is none. */
  async href(page: Page): Promise<string> {
    return page.evaluate(() => location.href).catch(() => '');
  }

  /** Loads `url` in `page` and waits until the document there (the site, an error page or an extension page) has loaded. */
  async navigate(page: Page, url: string, timeoutMs = 15_000): Promise<void> {
    // A mark on the current document: a document without it is the new one
    // (the address alone cannot tell when the navigation ends where it began).
    const marked = await page.evaluate(() => ((globalThis as { ccrOldDocument?: boolean }).ccrOldDocument = true)).catch(() => false);
    let settled = false;
    // Navigation errors (an error page) are not thrown: the tab shows them, and the tests read the tab's state.
    void page.goto(url, { waitUntil: 'load', timeout: timeoutMs }).then(
      () => (settled = true),
      () => (settled = true),
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await sleep(100);
      if (settled) return;
      const state = await page
        .evaluate(() => [location.href, document.readyState, (globalThis as { ccrOldDocument?: boolean }).ccrOldDocument === true] as const)
        .catch(() => null);
      // A new document that finished loading: the site, a redirect target (the guard page) or an error page.
      if (state && state[0] !== 'about:blank' && state[1] === 'complete' && (!marked || !state[2])) return;
    }
  }

  async open(url: string): Promise<Page> {
    const page = await this.firefox.browser.newPage();
    await this.navigate(page, url);
    return page;
  }

  /** Opens one of the extension's pages in a new tab and waits for its app to render. */
  async openExtensionPage(pagePath: string): Promise<Page> {
    const page = await this.open(this.extensionUrl(pagePath));
    await pollUntil(
      () => page.evaluate(() => document.querySelector('#app')?.textContent ?? ''),
      (text) => text !== '',
      { what: `${pagePath} to render` },
    );
    return page;
  }

  /** An extension page to send messages from (the options page, as any page of the extension would). */
  async messengerPage(): Promise<Page> {
    if (this.messenger && !this.messenger.isClosed()) return this.messenger;
    const page = await this.firefox.browser.newPage();
    await this.navigate(page, this.extensionUrl('src/ui/options/index.html'));
    await pollUntil(
      () => this.href(page),
      (href) => href.startsWith('moz-extension:'),
      { what: 'the messenger page' },
    );
    this.messenger = page;
    return page;
  }

  /** Runs `fn` in an extension page with the WebExtension API (`browser`) as its first argument. */
  async inExtension<T, A>(fn: (api: ExtensionApi, arg: A) => T | Promise<T>, arg: A): Promise<T> {
    const page = await this.messengerPage();
    // Evaluated by the BiDi agent, not by the page, so the extension's CSP does
    // not apply. The result travels as JSON: BiDi sends an object met twice
    // (e.g. one verdict shared by a tab and its endpoint) as a reference, which
    // Puppeteer turns into undefined.
    const json = await page.evaluate(
      `Promise.resolve((${fn.toString()})(globalThis.browser, ${JSON.stringify(arg) ?? 'undefined'})).then((value) => JSON.stringify(value ?? null))`,
    );
    return JSON.parse(json as string) as T;
  }

  async send<T extends RequestType>(request: RequestOf<T>): Promise<Reply<ResponseMap[T]>> {
    return this.inExtension((api, message) => api.runtime.sendMessage(message), request as unknown) as Promise<Reply<ResponseMap[T]>>;
  }

  /** Sends a request and returns its value; fails the test on an error reply. */
  async ask<T extends RequestType>(request: RequestOf<T>): Promise<ResponseMap[T]> {
    const reply = await this.send(request);
    if (!reply.ok) throw new Error(`${request.type} failed: ${reply.error.code}: ${reply.error.message}`);
    return reply.value;
  }

  /** Waits until the background answers (its readiness promise gates every request). */
  async waitReady(): Promise<void> {
    await pollUntil(
      () => this.send({ type: 'getStatus' }),
      (reply) => reply.ok,
      { timeoutMs: 20_000, what: 'the background to answer' },
    );
  }

  /** The browser's tab id for a page, found by the document's address among the tabs. */
  async tabId(page: Page): Promise<number> {
    const id = await pollUntil(
      async () => {
        const href = await this.href(page);
        return href ? this.inExtension(async (api, wanted) => (await api.tabs.query({})).find((tab) => tab.url === wanted)?.id ?? null, href) : null;
      },
      (found) => found !== null,
      { what: 'the tab of a page' },
    );
    return id as number;
  }

  /** Polls the tab's state until `until` holds, and returns it. */
  async tabState(page: Page, until: (state: TabState) => boolean, timeoutMs = 10_000): Promise<TabState> {
    const tabId = await this.tabId(page);
    const state = await pollUntil(
      () => this.ask({ type: 'getTabState', tabId }),
      (value) => value !== null && until(value),
      {
        timeoutMs,
        what: `the state of tab ${tabId}`,
      },
    );
    return state as TabState;
  }

  async badge(tabId: number): Promise<BadgeReading> {
    return this.inExtension(async (api, id) => {
      const [text, color, title] = await Promise.all([
        api.action.getBadgeText({ tabId: id }),
        api.action.getBadgeBackgroundColor({ tabId: id }),
        api.action.getTitle({ tabId: id }),
      ]);
      return { text, color: color as [number, number, number, number], title };
    }, tabId);
  }

  async close(): Promise<void> {
    await this.firefox.close();
  }
}

export async function launchFirefoxHarness(options: FirefoxLaunchOptions): Promise<FirefoxHarness> {
  const harness = new FirefoxHarness(await launchFirefoxWithExtension(options));
  try {
    await harness.waitReady();
  } catch (error) {
    await harness.close();
    throw error;
  }
  return harness;
}
