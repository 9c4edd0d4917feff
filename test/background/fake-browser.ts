import { vi } from 'vitest';
import { createMemorySessionArea } from './memory-session-area';

/**
 * The extension APIs the background's state uses (storage.local and session,
 * alarms, runtime), in memory: the real background parts run on them in Node, with
 * its console calls going to the emulator through Node's fetch. Storage
 * change events are not delivered by themselves; a test passes the ones it
 * needs to `onStorageChanged`, as the browser would.
 */
export function fakeBrowser() {
  const local = createMemorySessionArea();
  const alarms = new Map<string, { name: string; scheduledTime: number }>();
  const action = fakeAction();
  return {
    local,
    /** What the toolbar button shows: per tab id, and `default` for tabs without their own. */
    badges: action.badges,
    api: {
      action: action.api,
      runtime: { id: 'test-extension', getURL: (path: string) => `chrome-extension://test-extension/${path.replace(/^\//, '')}` },
      storage: { local, session: createMemorySessionArea() },
      alarms: {
        create: async (name: string, info: { when: number }) => void alarms.set(name, { name, scheduledTime: info.when }),
        get: async (name: string) => alarms.get(name),
        clear: async (name: string) => alarms.delete(name),
      },
      i18n: { getMessage: () => '' },
    },
  };
}

/** Installs `fake` as `chrome` and loads the background's module on it (once per test file). */
export async function loadBackground(fake: ReturnType<typeof fakeBrowser>) {
  vi.stubGlobal('chrome', fake.api);
  const { composeBackground } = await import('../../src/background/compose');
  // The reads asked for at import saw the storage before the test filled it.
  (await import('../../src/background/wake-up/early-reads')).takeEarlyReads();
  return composeBackground;
}

/** A worker start on what storage holds, until the sync it started (if any) is done. */
export async function wake(composeBackground: Awaited<ReturnType<typeof loadBackground>>) {
  const background = composeBackground();
  await background.ready;
  if (background.sync.runner.running) await background.sync.runner.sync();
  return background;
}

export interface BadgeShown {
  text?: string;
  color?: string;
  title?: string;
}

/** browser.action's badge calls, recorded per tab and for the default (no tab id). */
function fakeAction() {
  const badges = new Map<number | 'default', BadgeShown>();
  const at = (details: { tabId?: number }): BadgeShown => {
    const key = details.tabId ?? 'default';
    const shown = badges.get(key) ?? {};
    badges.set(key, shown);
    return shown;
  };
  return {
    badges,
    api: {
      setBadgeText: async (details: { tabId?: number; text: string }) => void (at(details).text = details.text),
      setBadgeBackgroundColor: async (details: { tabId?: number; color: string }) => void (at(details).color = details.color),
      setTitle: async (details: { tabId?: number; title: string }) => void (at(details).title = details.title),
      setBadgeTextColor: async () => undefined,
    },
  };
}
