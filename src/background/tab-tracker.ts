import { bestEffort } from './best-effort';
import type { TabState } from '../shared/tab-state';
import { badgeFor, badgeTitle, type Badge, type BadgeState } from './badge';
import { clientAuthKind } from './client-auth-errors';
import { browser, getMessage } from './platform';
import {
  belongsToPending,
  clientAuthFailed,
  navigationAbandoned,
  navigationSettled,
  navigationStarted,
  redecideRecord,
  requestSeen,
  type Judged,
  type TabRecord,
} from './tab-reducer';
import type { TabStore } from './tab-store';

export interface NavigationDetails {
  tabId: number;
  frameId: number;
  url: string;
  error?: string;
  /** Chrome: the document this navigation committed (absent in Firefox). */
  documentId?: string;
}

export interface RequestDetails {
  tabId: number;
  url: string;
  type: string;
  error?: string;
  frameId?: number;
  /** Chrome: the document that made the request (absent in Firefox). */
  documentId?: string;
}

interface TrackerDeps {
  judge: (url: string) => Judged;
  /** The guard page's address: its navigations stand for the URL they blocked. */
  guardPage: string;
  /** Whether a decision without rules is shown as "rules not known yet" rather than "unavailable" (rulesNotKnownYet). */
  pending: () => boolean;
}

/** Errors that mean a navigation was abandoned and the tab still shows the previous page. */
const ABANDONED = new Set(['net::ERR_ABORTED', 'NS_BINDING_ABORTED', 'NS_ERROR_ABORT']);

const TLS_URL = /^(?:https|wss):/i;

/**
 * Turns webNavigation and webRequest events into per-tab state (through the
 * serialised tab store) and keeps each tab's badge in step with its
 * top-level decision.
 */
export class TabTracker {
  readonly #store: TabStore;
  readonly #deps: TrackerDeps;
  /** What the badge of tabs without their own says, as last painted in this worker's life: null for nothing. */
  #shown: BadgeState | null | undefined = undefined;

  constructor(store: TabStore, deps: TrackerDeps) {
    this.#deps = deps;
    this.#store = store;
  }

  record(tabId: number): Promise<TabRecord> {
    return this.#store.get(tabId);
  }

  async state(tabId: number): Promise<TabState | null> {
    return (await this.#store.get(tabId)).current;
  }

  navigationStarted(details: NavigationDetails): Promise<unknown> {
    if (details.tabId < 0) return Promise.resolve();
    const now = Date.now();
    const target = this.#deps.judge(details.url);
    if (details.frameId !== 0) {
      return this.#store.update(details.tabId, (record) => requestSeen(record, details.tabId, target, false, now, false));
    }
    return this.#store.update(details.tabId, (record) => navigationStarted(record, details.tabId, target, now));
  }

  navigationCommitted(details: NavigationDetails): Promise<unknown> {
    if (details.tabId < 0) return Promise.resolve();
    const now = Date.now();
    const target = this.#deps.judge(details.url);
    if (details.frameId !== 0) {
      return this.#store.update(details.tabId, (record) => requestSeen(record, details.tabId, target, false, now, false));
    }
    return this.#settle(details.tabId, target, now, details.documentId ?? null);
  }

  /** A top-level navigation failed: the tab shows an error page for it, unless it was merely abandoned. */
  navigationFailed(details: NavigationDetails): Promise<unknown> {
    if (details.tabId < 0 || details.frameId !== 0) return Promise.resolve();
    if (ABANDONED.has(details.error ?? '')) return this.#store.update(details.tabId, navigationAbandoned);
    return this.#settle(details.tabId, this.#deps.judge(details.url), Date.now());
  }

  requestStarted(details: RequestDetails): Promise<unknown> {
    if (details.tabId < 0 || !TLS_URL.test(details.url)) return Promise.resolve();
    const now = Date.now();
    const target = this.#deps.judge(details.url);
    return this.#store.update(details.tabId, async (record) => {
      const known = record.current || record.pending ? record : await this.#adopt(details.tabId, record, now);
      return requestSeen(
        known,
        details.tabId,
        target,
        belongsToPending(known, { mainFrame: details.type === 'main_frame', frameId: details.frameId, documentId: details.documentId }),
        now,
      );
    });
  }

  requestFailed(details: RequestDetails): Promise<unknown> {
    if (details.tabId < 0 || !clientAuthKind(details.error)) return Promise.resolve();
    const now = Date.now();
    const target = this.#deps.judge(details.url);
    const failure = { error: details.error ?? '', resourceType: details.type };
    return this.#store.update(details.tabId, async (record) => {
      const known = record.current || record.pending ? record : await this.#adopt(details.tabId, record, now);
      return clientAuthFailed(
        known,
        target,
        failure,
        belongsToPending(known, { mainFrame: details.type === 'main_frame', frameId: details.frameId, documentId: details.documentId }),
        now,
      );
    });
  }

  tabClosed(tabId: number): Promise<void> {
    return this.#store.remove(tabId);
  }

  /** The rules changed: take every verdict again and repaint every badge. */
  async redecideAll(): Promise<void> {
    const now = Date.now();
    const ids = await this.#store.tabIds();
    await Promise.all(
      ids.map(async (tabId) => {
        const record = await this.#store.update(tabId, (old) => redecideRecord(old, this.#deps.judge, now));
        if (record.current) await this.paint(tabId, record.current);
      }),
    );
  }

  /**
   * The rules were loaded or changed. Without usable rules every tab says so
   * from the first moment, a tab with no decision of its own too (a new tab
   * page, a page opened before the extension started) through the default
   * badge; each tab's badge follows when the rules change, or when they stop
   * being "not known yet" (a first sync that failed).
   */
  async rulesApplied(starting: boolean, rulesChanged: boolean, usable: boolean): Promise<void> {
    const shown = usable ? null : badgeFor({ reason: 'no-rules' }, this.#deps.pending()).state;
    const changed = shown !== this.#shown;
    this.#shown = shown;
    // A browser that starts shows no default badge: with usable rules there is nothing to clear.
    if (changed && (shown || !starting)) void this.#show(undefined, shown && badgeFor({ reason: 'no-rules' }, shown === 'pending'), null);
    if ((rulesChanged || changed) && !starting) await this.redecideAll();
  }

  /** Tabs that were open before the extension started (install, update, browser start) get a state and a badge. */
  async adoptOpenTabs(): Promise<void> {
    const tabs = await browser.tabs.query({});
    const now = Date.now();
    await Promise.all(
      tabs.map(async (tab) => {
        if (tab.id === undefined || tab.id < 0 || !tab.url) return;
        const tabId = tab.id;
        const record = await this.#store.update(tabId, (old) => (old.current ? old : navigationSettled(old, tabId, this.#deps.judge(tab.url as string), now)));
        if (record.current) await this.paint(tabId, record.current);
      }),
    );
  }

  async #settle(tabId: number, target: Judged, now: number, documentId: string | null = null): Promise<unknown> {
    const record = await this.#store.update(tabId, (old) => navigationSettled(old, tabId, target, now, documentId));
    if (record.current) await this.paint(tabId, record.current);
    return record;
  }

  /** A tab seen for the first time mid-page: its state starts from the URL it shows. */
  async #adopt(tabId: number, record: TabRecord, now: number): Promise<TabRecord> {
    try {
      const tab = await browser.tabs.get(tabId);
      if (!tab.url) return record;
      const settled = navigationSettled(record, tabId, this.#deps.judge(tab.url), now);
      if (settled.current) void this.paint(tabId, settled.current);
      return settled;
    } catch {
      // The tab is gone, or is not a normal tab (e.g. a prerender): nothing to adopt.
      return record;
    }
  }

  /** The badge, its colour and its tooltip for one tab. A failure (the tab closed meanwhile) is logged, not thrown. */
  paint(tabId: number, state: TabState): Promise<unknown> {
    return this.#show(tabId, badgeFor(state.verdict, this.#deps.pending()), state.host);
  }

  /** One tab's badge, or with no tab id the default of tabs without their own (null: none, the extension's name as tooltip). */
  #show(tabId: number | undefined, badge: Badge | null, host: string | null): Promise<unknown> {
    const where = tabId === undefined ? {} : { tabId };
    const action = browser.action;
    return bestEffort(
      `badge of tab ${tabId}`,
      Promise.all([
        action.setBadgeText({ ...where, text: badge?.text ?? '' }),
        badge && action.setBadgeBackgroundColor({ ...where, color: badge.color }),
        action.setTitle({ ...where, title: badge ? badgeTitle(badge, host, getMessage) : getMessage('actionTitle') }),
        badge && typeof action.setBadgeTextColor === 'function' ? action.setBadgeTextColor({ ...where, color: '#ffffff' }) : undefined,
      ]),
    );
  }
}
