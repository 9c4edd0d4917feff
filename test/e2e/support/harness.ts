import type { BrowserContext, Page, Worker } from 'playwright-core';
import type { Reply, RequestOf, RequestType, ResponseMap } from '../../../src/shared/messages';
import { launchChromiumWithExtension, type ChromiumWithExtension } from '../chromium';

/** Polls until `read` gives a value `done` accepts (usable outside a vitest test, e.g. in scripts). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface BadgeReading {
  text: string;
  color: [number, number, number, number];
  title: string;
}

/**
 * Drives the built extension in Chromium the way its own pages do: requests go
 * through chrome.runtime.sendMessage from an extension page (so they pass the
 * real router and its sender checks), and browser-side facts (badges,
 * declarativeNetRequest rules) are read inside the service worker.
 */
export class ExtensionHarness {
  private messenger: Page | null = null;

  constructor(readonly browser: ChromiumWithExtension) {}

  get context(): BrowserContext {
    return this.browser.context;
  }

  get extensionId(): string {
    return this.browser.extensionId;
  }

  extensionUrl(path: string): string {
    return `chrome-extension://${this.extensionId}/${path.replace(/^\//, '')}`;
  }

  /** The extension's running service worker (after a restart, the new one). */
  async worker(): Promise<Worker> {
    const prefix = `chrome-extension://${this.extensionId}/`;
    for (let attempt = 0; attempt < 50; attempt++) {
      const workers = this.context.serviceWorkers().filter((worker) => worker.url().startsWith(prefix));
      for (const worker of workers.reverse()) {
        const alive = await worker.evaluate(() => true).catch(() => false);
        if (alive) return worker;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the extension has no running service worker');
  }

  /** Waits until the background has loaded its state (the promise it publishes for this). */
  async waitReady(): Promise<void> {
    const worker = await this.worker();
    await worker.evaluate(async () => {
      await (globalThis as { certRulesReady?: Promise<void> }).certRulesReady;
    });
  }

  async inWorker<T, A>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T> {
    const worker = await this.worker();
    return worker.evaluate(fn as (arg: unknown) => T | Promise<T>, arg as unknown);
  }

  /**
   * The steps of the running worker's start, in ms since it started: the
   * marks src/background puts on the worker's performance timeline (the only
   * ones there), one per step.
   */
  wakeUpMarks(): Promise<Record<string, number>> {
    return this.inWorker(() => {
      const marks: Record<string, number> = {};
      for (const entry of performance.getEntriesByType('mark')) marks[entry.name] ??= Math.round(entry.startTime);
      return marks;
    }, null);
  }

  /** An extension page to send messages from (the options page, as any page of the extension would). */
  async messengerPage(): Promise<Page> {
    if (this.messenger && !this.messenger.isClosed()) return this.messenger;
    const page = await this.context.newPage();
    await page.goto(this.extensionUrl('src/ui/options/index.html'));
    this.messenger = page;
    return page;
  }

  async send<T extends RequestType>(request: RequestOf<T>): Promise<Reply<ResponseMap[T]>> {
    const page = await this.messengerPage();
    return page.evaluate((message) => chrome.runtime.sendMessage(message), request as unknown) as Promise<Reply<ResponseMap[T]>>;
  }

  /** Sends a request and returns its value; fails the test on an error reply. */
  async ask<T extends RequestType>(request: RequestOf<T>): Promise<ResponseMap[T]> {
    const reply = await this.send(request);
    if (!reply.ok) throw new Error(`${request.type} failed: ${reply.error.code}: ${reply.error.message}`);
    return reply.value;
  }

  /** Opens a new tab at `url`; navigation errors (an error page) are not thrown: the tab shows them. */
  async open(url: string): Promise<Page> {
    const page = await this.context.newPage();
    await this.navigate(page, url);
    return page;
  }

  async navigate(page: Page, url: string): Promise<void> {
    await page.goto(url, { waitUntil: 'load', timeout: 20_000 }).catch((error: Error) => {
      if (!/net::ERR_|interrupted by another navigation/.test(error.message)) throw error;
    });
  }

  /**
   * The browser's tab id of a page, found by its URL in the service worker.
   * For an error page give the URL that failed (the page's own URL is then
   * chrome-error://…, the tab's is the one that failed).
   */
  async tabId(page: Page, url = page.url()): Promise<number> {
    const id = await waitFor(
      () =>
        this.inWorker(async (wanted) => {
          const tabs = await chrome.tabs.query({});
          return tabs.find((tab) => tab.url === wanted || tab.pendingUrl === wanted)?.id ?? null;
        }, url),
      (found) => found !== null,
      `a tab at ${url}`,
    );
    return id as number;
  }

  /** A tab's badge; with no tab id, the default one that tabs without their own show. */
  async badge(tabId?: number): Promise<BadgeReading> {
    return this.inWorker(async (id) => {
      const where = id === null ? {} : { tabId: id };
      const [text, color, title] = await Promise.all([
        chrome.action.getBadgeText(where),
        chrome.action.getBadgeBackgroundColor(where),
        chrome.action.getTitle(where),
      ]);
      return { text, color: color as [number, number, number, number], title };
    }, tabId ?? null);
  }

  /** Stops the extension's service worker through the DevTools protocol, as the browser does when it idles. */
  async stopWorker(): Promise<void> {
    const page = await this.messengerPage();
    const session = await this.context.newCDPSession(page);
    const scope = `chrome-extension://${this.extensionId}/`;
    // Per version: just after install Chromium may report an old and a new version of the worker.
    const statuses = new Map<string, string>();
    session.on('ServiceWorker.workerVersionUpdated', (event) => {
      for (const version of event.versions) if (version.scriptURL.startsWith(scope)) statuses.set(version.versionId, version.runningStatus);
    });
    await session.send('ServiceWorker.enable');
    const stopped = () => statuses.size > 0 && [...statuses.values()].every((status) => status === 'stopped');
    // A worker still busy with its first start can ignore one stop request: ask again until it is stopped.
    const deadline = Date.now() + 10_000;
    while (!stopped()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for the service worker to stop (last: ${JSON.stringify([...statuses.values()])})`);
      await session.send('ServiceWorker.stopAllWorkers');
      await waitFor(
        async () => stopped(),
        (done) => done,
        'the service worker to stop',
        1_000,
      ).catch(() => undefined);
    }
    await session.send('ServiceWorker.disable');
    await session.detach();
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** Launches Chromium with the build in extensionDir (default dist/chrome) and waits until the background is ready. */
export async function launchHarness(args: string[], extensionDir?: string): Promise<ExtensionHarness> {
  const browser = await launchChromiumWithExtension(extensionDir === undefined ? { args } : { args, extensionDir });
  const harness = new ExtensionHarness(browser);
  await harness.waitReady();
  return harness;
}
