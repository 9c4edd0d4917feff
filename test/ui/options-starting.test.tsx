// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { STORAGE_KEYS } from '../../src/shared/storage-keys';
import { knownFrom, type LocalReader } from '../../src/ui/options/known-locally';
import { Options } from '../../src/ui/options/options-app';
import { KNOWN_AFTER_MS } from '../../src/ui/options/starting-notice';
import type { SectionId } from '../../src/ui/options/sections';
import { fakeSender } from './helpers/fake-sender';
import { guardStatus, NOW, ruleSources, settingsView, syncStatus } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

/** A background that has not answered yet (at a browser's start it waits for the policy): answers once `answer()` is called. */
function startingBackground() {
  let answer = () => undefined as void;
  const answered = new Promise<void>((resolve) => {
    answer = resolve;
  });
  const fake = fakeSender({
    getRuleSources: async () => {
      await answered;
      return ruleSources();
    },
    getStatus: async () => {
      await answered;
      return { sync: syncStatus(), settings: settingsView(), guard: guardStatus() };
    },
    consoleAccount: async () => {
      await answered;
      return { email: null, admin: false };
    },
  });
  return { ...fake, answer };
}

const HOUR = 3_600_000;
const SYNCED = {
  [STORAGE_KEYS.syncSummary]: {
    lastSuccessAt: new Date(NOW - 2 * HOUR).toISOString(),
    lastGood: { profile: { id: 'p-1', name: 'Acme corporate', stamp: null }, rules: [] },
    history: [],
  },
  [STORAGE_KEYS.localRules]: {
    rules: [
      { host: 'a.example', action: 'noCertificate' },
      { host: 'b.example', action: 'noCertificate' },
    ],
    at: NOW,
  },
};

function setup(section: SectionId, stored: Record<string, unknown> | Error) {
  const background = startingBackground();
  const asked: string[][] = [];
  const readLocal: LocalReader = async (keys) => {
    asked.push(keys);
    if (stored instanceof Error) throw stored;
    return Object.fromEntries(keys.filter((key) => key in stored).map((key) => [key, stored[key]]));
  };
  render(
    <Options
      sender={background.sender}
      initialSection={section}
      now={() => NOW}
      readLocal={readLocal}
      networkPrediction={async () => ({ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null })}
    />,
  );
  return { ...background, asked };
}

describe('the options page while the background has not answered', () => {
  test.each<SectionId>(['rules', 'sync', 'policy'])(
    '%s: what this browser holds, once the background keeps it waiting a moment (the last sync, the local rules), never a bare "Loading…"',
    async (section) => {
      const { answer } = setup(section, SYNCED);
      const notice = await screen.findByText('Already in this browser');
      const block = notice.closest('[data-starting]') as HTMLElement;
      expect(block.textContent).toContain("The extension is reading your organisation's policy and the rules");
      expect(block.textContent).toContain('Rules of the console profile Acme corporate, last synced 2 hours ago');
      expect(block.textContent).toContain('Local rules saved here: 2');
      expect(document.querySelector('.options-main')?.textContent).not.toContain('Loading…');
      // The answer replaces it, with no reload.
      answer();
      await waitFor(() => expect(document.querySelector('[data-starting]')).toBeNull());
      expect(document.querySelector('.options-main')?.textContent).not.toContain('Already in this browser');
    },
  );

  test('a fresh profile: nothing synced, no local rules', async () => {
    setup('rules', {});
    const notice = await screen.findByText('Already in this browser');
    const block = notice.closest('[data-starting]') as HTMLElement;
    expect(block.textContent).toContain('No console profile synced in this browser yet');
    expect(block.textContent).toContain('Local rules saved here: 0');
  });

  test('storage unreadable: the notice still says what is happening, and claims nothing', async () => {
    setup('sync', new Error('storage is gone'));
    expect(
      await screen.findByText("The extension is reading your organisation's policy and the rules; this section fills in as soon as it has them."),
    ).toBeTruthy();
    expect(screen.queryByText('Already in this browser')).toBeNull();
  });

  test('a background that answers within the moment: storage is not read at all (the local rules would travel twice)', async () => {
    const background = startingBackground();
    const asked: string[][] = [];
    render(
      <Options
        sender={background.sender}
        initialSection="rules"
        now={() => NOW}
        readLocal={async (keys) => {
          asked.push(keys);
          return {};
        }}
        networkPrediction={async () => ({ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null })}
      />,
    );
    background.answer();
    await waitFor(() => expect(document.querySelector('[data-source="profile"]')).not.toBeNull());
    await new Promise((resolve) => setTimeout(resolve, KNOWN_AFTER_MS + 100));
    expect(asked).toEqual([]);
  });

  test('reads only keys that hold no secret (never the local settings)', async () => {
    const { asked } = setup('rules', SYNCED);
    await screen.findByText('Already in this browser');
    expect(asked).toEqual([[STORAGE_KEYS.syncSummary, STORAGE_KEYS.localRules]]);
  });
});

describe('what is known locally, from storage as stored', () => {
  test('a bare array of local rules, a profile without a name, malformed values', () => {
    expect(knownFrom({ [STORAGE_KEYS.localRules]: [{}, {}, {}] }).localRules).toBe(3);
    expect(
      knownFrom({ [STORAGE_KEYS.syncSummary]: { lastSuccessAt: '2025-01-15T10:00:00.000Z', lastGood: { profile: { id: 'p-9', name: null } } } }).synced,
    ).toEqual({ profile: 'p-9', at: Date.parse('2025-01-15T10:00:00.000Z') });
    // Synced once, then the profile's rules were dropped: not "synced" (no rules from it are held).
    expect(knownFrom({ [STORAGE_KEYS.syncSummary]: { lastSuccessAt: '2025-01-15T10:00:00.000Z', lastGood: null } }).synced).toBeNull();
    for (const bad of [null, 'x', { lastSuccessAt: 'not a date', lastGood: { profile: { id: 'p', name: 'n' } } }, { lastSuccessAt: 5 }]) {
      expect(knownFrom({ [STORAGE_KEYS.syncSummary]: bad, [STORAGE_KEYS.localRules]: bad }), JSON.stringify(bad)).toEqual({ synced: null, localRules: 0 });
    }
  });
});
