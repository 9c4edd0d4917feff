// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { STORAGE_KEYS, tabKey } from '../../src/shared/storage-keys';
import type { PopupState } from '../../src/shared/messages';
import type { GuardStatus, RuleSources, SyncStatus } from '../../src/shared/status';
import { pageShowsChange, storageChanges, type ChangeSource, type StorageChangeEvent } from '../../src/ui/common/live';
import { Options } from '../../src/ui/options/options-app';
import { Popup } from '../../src/ui/popup/popup';
import { fakeSender } from './helpers/fake-sender';
import { guardStatus, NOW, popupState, ruleSources, settingsView, source, syncStatus, verdicts } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

/** A change source the test fires by hand, counting who listens. */
function manualChanges() {
  const listeners = new Set<() => void>();
  const changes: ChangeSource = (onChange) => {
    listeners.add(onChange);
    return () => listeners.delete(onChange);
  };
  return { changes, fire: () => listeners.forEach((listener) => listener()), listening: () => listeners.size };
}

const tick = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the background says during the first sync, and once it has ended. */
const duringFirstSync = {
  sync: syncStatus({ inProgress: true, lastSuccessAt: null, lastAttemptAt: null, nextSyncAt: null, stamp: null }),
  sources: ruleSources({
    rulesAvailable: false,
    unavailable: [{ source: 'profile', code: 'not-synced', message: '' }],
    sources: [source('profile', [], { inForce: false, label: null }), source('local', [])],
  }),
  guard: guardStatus({ mode: 'block', applied: false }),
};
const afterFirstSync = {
  sync: syncStatus(),
  sources: ruleSources({}),
  guard: guardStatus({ mode: 'block', applied: true, browserRules: 1, denyRulesCovered: 1, denyRulesTotal: 1 }),
};

describe('which storage changes the pages follow', () => {
  test('policy, the sync state, local settings and rules, the managed last good copy and the guard; the popup also its own tab', () => {
    for (const key of [STORAGE_KEYS.syncState, STORAGE_KEYS.syncSummary, STORAGE_KEYS.localSettings, STORAGE_KEYS.localRules, STORAGE_KEYS.managedLastGood]) {
      expect(pageShowsChange({ [key]: {} }, 'local'), key).toBe(true);
    }
    expect(pageShowsChange({ guardState: {} }, 'local')).toBe(true);
    expect(pageShowsChange({ guard: {} }, 'managed')).toBe(true);
    // The background's caches follow the keys above: no refresh of their own.
    expect(pageShowsChange({ rulesCache: {}, 'rulesCacheLint:profile:0': {} }, 'local')).toBe(false);
    expect(pageShowsChange({ [tabKey(7)]: {} }, 'session', 7)).toBe(true);
    expect(pageShowsChange({ [tabKey(8)]: {} }, 'session', 7)).toBe(false);
    expect(pageShowsChange({ [tabKey(7)]: {} }, 'session')).toBe(false);
    expect(pageShowsChange({ [STORAGE_KEYS.syncState]: {} }, 'sync')).toBe(false);
  });

  test('storageChanges listens while a page is open and stops with it', () => {
    const listeners: ((changes: Record<string, unknown>, area: string) => void)[] = [];
    const event: StorageChangeEvent = {
      addListener: (listener) => listeners.push(listener),
      removeListener: (listener) => listeners.splice(listeners.indexOf(listener), 1),
    };
    let seen = 0;
    const stop = storageChanges(event, 3)(() => seen++);
    listeners[0]?.({ [tabKey(3)]: {} }, 'session');
    listeners[0]?.({ rulesCache: {} }, 'local');
    expect(seen).toBe(1);
    stop();
    expect(listeners).toHaveLength(0);
  });
});

describe('the popup follows changes while open', () => {
  test('opened during the first sync, it shows the rules and the sync once the sync has ended, with no reload', async () => {
    let state: PopupState = popupState(verdicts.unavailable, { sync: duringFirstSync.sync, unavailable: duringFirstSync.sources.unavailable });
    const fake = fakeSender({ getPopupState: () => state });
    const { changes, fire } = manualChanges();
    render(<Popup sender={fake.sender} tabId={7} now={() => NOW} changes={changes} />);
    const decision = () => document.querySelector<HTMLElement>('.current [data-decision]')?.dataset['decision'];
    await waitFor(() => expect(decision()).toBe('pending'));
    expect(document.querySelector('.status-line')?.textContent).toBe('Syncing Corporate…');
    expect(screen.getByRole('button', { name: 'Sync now' }).hasAttribute('disabled')).toBe(true);

    state = popupState(verdicts.allowed);
    fire();
    await waitFor(() => expect(decision()).toBe('allowed'));
    expect(document.querySelector('.status-line')?.textContent).toBe('Corporate, synced 5 minutes ago');
    expect(screen.getByRole('button', { name: 'Sync now' }).hasAttribute('disabled')).toBe(false);
    expect(document.querySelector('.unavailable')).toBeNull();
  });

  test('asks nothing while nothing changes; a burst of changes costs at most two requests, the last answer shown', async () => {
    let answers = 0;
    const fake = fakeSender({
      getPopupState: async () => {
        answers++;
        await tick(30);
        return popupState(answers > 1 ? verdicts.excluded : verdicts.allowed);
      },
    });
    const { changes, fire } = manualChanges();
    render(<Popup sender={fake.sender} tabId={7} now={() => NOW} changes={changes} />);
    await waitFor(() => expect(document.querySelector('.current [data-decision]')).not.toBeNull());
    await tick(300);
    expect(fake.callsOf('getPopupState')).toHaveLength(1);
    for (let i = 0; i < 5; i++) fire();
    await tick(300);
    expect(fake.callsOf('getPopupState')).toHaveLength(3);
    expect(document.querySelector<HTMLElement>('.current [data-decision]')?.dataset['decision']).toBe('excluded');
  });

  test('a refresh that fails keeps what is shown; it stops listening when closed', async () => {
    let fail = false;
    const fake = fakeSender({
      getPopupState: () => {
        if (fail) throw new Error('the background did not answer');
        return popupState(verdicts.allowed);
      },
    });
    const { changes, fire, listening } = manualChanges();
    const view = render(<Popup sender={fake.sender} tabId={7} now={() => NOW} changes={changes} />);
    await waitFor(() => expect(document.querySelector('.current [data-decision]')).not.toBeNull());
    expect(listening()).toBe(1);
    fail = true;
    fire();
    await tick();
    expect(fake.callsOf('getPopupState')).toHaveLength(2);
    expect(document.querySelector<HTMLElement>('.current [data-decision]')?.dataset['decision']).toBe('allowed');
    expect(document.querySelector('[role="alert"]')).toBeNull();
    view.unmount();
    await tick();
    expect(listening()).toBe(0);
  });
});

describe('the options page follows changes while open', () => {
  function setup() {
    let now = duringFirstSync;
    const fake = fakeSender({
      getRuleSources: (): RuleSources => now.sources,
      getStatus: (): { sync: SyncStatus; settings: ReturnType<typeof settingsView>; guard: GuardStatus } => ({
        sync: now.sync,
        settings: settingsView(),
        guard: now.guard,
      }),
      consoleAccount: () => ({ email: 'user@example.com', admin: false }),
    });
    const { changes, fire } = manualChanges();
    return { fake, changes, fire, end: () => (now = afterFirstSync) };
  }

  test('Sync: status, last attempt and "Sync now" follow the end of the first sync', async () => {
    const { fake, changes, fire, end } = setup();
    render(
      <Options
        sender={fake.sender}
        initialSection="sync"
        now={() => NOW}
        changes={changes}
        networkPrediction={async () => ({ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null })}
      />,
    );
    const syncNow = await screen.findByRole('button', { name: 'Sync now' });
    expect(syncNow.hasAttribute('disabled')).toBe(true);
    expect(document.querySelector('.status-line')?.textContent).toContain('Syncing');
    end();
    fire();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sync now' }).hasAttribute('disabled')).toBe(false));
    expect(document.querySelector('.status-line')?.textContent).toBe('Corporate, synced 5 minutes ago');
  });

  test('Rules: the count and "not known yet" follow; Policy: the guard turns from "not in place yet" to in place', async () => {
    const { fake, changes, fire, end } = setup();
    render(<Options sender={fake.sender} initialSection="rules" now={() => NOW} changes={changes} />);
    await waitFor(() => expect(document.querySelector('.unavailable')?.textContent).toContain('Rules not known yet'));
    end();
    fire();
    await waitFor(() => expect(document.querySelector('.unavailable')).toBeNull());
    expect(document.querySelector('[data-source="profile"] .source-count')?.textContent).toBe('Rules: 1');
    cleanup();

    const again = setup();
    render(<Options sender={again.fake.sender} initialSection="policy" now={() => NOW} changes={again.changes} />);
    await waitFor(() => expect(document.querySelector('[data-guard]')?.textContent).toContain('Not in place yet'));
    again.end();
    again.fire();
    await waitFor(() => expect(document.querySelector('[data-guard]')?.textContent).not.toContain('Not in place yet'));
  });
});
