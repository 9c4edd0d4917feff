// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { PopupState } from '../../src/shared/messages';
import { relativeTime } from '../../src/ui/common/time';
import { Popup } from '../../src/ui/popup/popup';
import { fakeSender } from './helpers/fake-sender';
import { NOW, popupState, syncStatus, verdicts } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

const count = (text: string) => document.body.textContent?.split(text).length ?? 1;

describe('relative times', () => {
  test('under a minute in seconds, never "now"', () => {
    expect(relativeTime(NOW - 12_000, NOW, 'en')).toBe('12 seconds ago');
    expect(relativeTime(NOW - 200, NOW, 'en')).toBe('1 second ago');
    expect(relativeTime(NOW, NOW, 'en')).toBe('1 second ago');
    expect(relativeTime(NOW + 200, NOW, 'en')).toBe('in 1 second');
    expect(relativeTime(NOW + 30_000, NOW, 'en')).toBe('in 30 seconds');
    expect(relativeTime(NOW - 5 * 60_000, NOW, 'en')).toBe('5 minutes ago');
    expect(relativeTime(NOW - 3 * 3_600_000, NOW, 'en')).toBe('3 hours ago');
  });
});

describe('a failed sync in the popup: one message, in words, once', () => {
  test('"Sync now" fails: the status line says why, nothing repeats it', async () => {
    let state: PopupState = popupState(verdicts.allowed, { sync: syncStatus({ lastSuccessAt: NOW - 20_000, lastAttemptAt: NOW - 20_000 }) });
    const failure = { code: 'http', message: 'the console answered HTTP 503 (Service Unavailable)' };
    const fake = fakeSender({
      getPopupState: () => state,
      syncNow: () => {
        state = popupState(verdicts.allowed, { sync: syncStatus({ lastSuccessAt: NOW - 20_000, lastAttemptAt: NOW, lastError: failure }) });
        return { at: NOW, ok: false, changed: false, error: failure };
      },
    });
    render(<Popup sender={fake.sender} tabId={7} now={() => NOW} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(document.querySelector('.status-line')?.getAttribute('data-state')).toBe('failing'));
    expect(document.querySelector('.status-line')?.textContent).toBe(
      'Corporate: sync failing (last success 20 seconds ago): the console answered HTTP 503 (Service Unavailable)',
    );
    await waitFor(() => expect(document.querySelector('.sync-result')?.textContent).toBe(''));
    expect(count(failure.message) - 1).toBe(1);
    expect(document.body.textContent).not.toContain('http ');
    expect(document.body.textContent).not.toContain('last success now');
  });

  test('a first sync that failed: the list of unknown sources does not repeat the sync error', async () => {
    const failure = { code: 'network', message: 'the connection to the console at https://console.example.com failed' };
    render(
      <Popup
        sender={
          fakeSender({
            getPopupState: () =>
              popupState(verdicts.unavailable, {
                unavailable: [{ source: 'profile', code: 'not-synced', message: failure.message }],
                sync: syncStatus({ lastSuccessAt: null, lastAttemptAt: NOW - 60_000, lastError: failure }),
              }),
          }).sender
        }
        tabId={7}
        now={() => NOW}
      />,
    );
    await waitFor(() => expect(document.querySelector('.unavailable li')).not.toBeNull());
    expect(document.querySelector('.unavailable li')?.textContent).toBe('Console profile “Corporate” — never synced successfully');
    expect(count(failure.message) - 1).toBe(1);
    expect(document.querySelector('.status-line')?.textContent).toContain(failure.message);
  });
});
