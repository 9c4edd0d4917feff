/**
 * How a person leaves the guard page without continuing:
 * - `back`: the tab has a page to go back to (the stopped link was followed in it);
 * - `close-tab`: it has none (the link opened a new tab, or the address was
 *   typed into one) and other tabs share its window: the tab is closed;
 * - `new-tab`: it has none and it is the window's only tab: closing it would
 *   close the window, so the browser's new tab page takes its place.
 * The button names what it will do. A guard page inside a frame (a site may
 * frame it) only ever goes back: it must not close the tab around it.
 */
export type GuardExitKind = 'back' | 'close-tab' | 'new-tab';

export interface GuardExit {
  kind: GuardExitKind;
  leave: () => Promise<void>;
}

export function exitKind(place: { historyLength: number; framed: boolean; tabsInWindow: number | null }): GuardExitKind {
  if (place.framed || place.historyLength > 1) return 'back';
  return place.tabsInWindow !== null && place.tabsInWindow > 1 ? 'close-tab' : 'new-tab';
}

/** The tab calls exit() needs (webextension-polyfill's tabs API, the parts used). */
export interface ExitTabs {
  getCurrent(): Promise<{ id?: number; windowId?: number; index: number } | undefined>;
  query(query: { windowId: number }): Promise<unknown[]>;
  create(properties: { windowId?: number; index?: number; active?: boolean }): Promise<unknown>;
  remove(tabId: number): Promise<void>;
}

/** Works out how to leave from where the page is (its tab, its window, its history), and how to do it. */
export async function guardExit(tabs: ExitTabs, page: { historyLength: number; framed: boolean; back: () => void }): Promise<GuardExit> {
  const back: GuardExit = { kind: 'back', leave: async () => page.back() };
  if (page.framed || page.historyLength > 1) return back;
  const tab = await tabs.getCurrent().catch(() => undefined);
  const tabId = tab?.id;
  // Not in a tab the page can see: going back is all it can offer.
  if (!tab || tabId === undefined) return back;
  const tabsInWindow = tab.windowId === undefined ? null : ((await tabs.query({ windowId: tab.windowId }).catch(() => null))?.length ?? null);
  const kind = exitKind({ ...page, tabsInWindow });
  return {
    kind,
    leave: async () => {
      if (kind === 'new-tab') await tabs.create({ windowId: tab.windowId, index: tab.index, active: true });
      await tabs.remove(tabId);
    },
  };
}
