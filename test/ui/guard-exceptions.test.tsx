// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { PopupState } from '../../src/shared/messages';
import { exceptionFor } from '../../src/ui/common/guard-exception';
import { Options } from '../../src/ui/options/options-app';
import { Popup } from '../../src/ui/popup/popup';
import { fakeSender, refuse } from './helpers/fake-sender';
import { guardStatus, NOW, popupState, settingsView, syncStatus, verdicts } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

describe('which exception covers an address', () => {
  test('exactly its origin: scheme, host and port', () => {
    const exceptions = ['https://pay.acme.com:8443', 'https://www.acme.com', 'https://[2001:db8::1]:8443'];
    expect(exceptionFor('https://www.acme.com/login?x=1', exceptions)).toBe('https://www.acme.com');
    expect(exceptionFor('https://www.acme.com:443/', exceptions)).toBe('https://www.acme.com');
    expect(exceptionFor('https://user:pw@www.acme.com/', exceptions)).toBe('https://www.acme.com');
    expect(exceptionFor('https://pay.acme.com:8443/', exceptions)).toBe('https://pay.acme.com:8443');
    expect(exceptionFor('https://[2001:db8::1]:8443/', exceptions)).toBe('https://[2001:db8::1]:8443');
    // Another port, a subdomain, the parent, plain http: not covered.
    expect(exceptionFor('https://pay.acme.com/', exceptions)).toBeNull();
    expect(exceptionFor('https://a.www.acme.com/', exceptions)).toBeNull();
    expect(exceptionFor('https://acme.com/', exceptions)).toBeNull();
    expect(exceptionFor('http://www.acme.com/', exceptions)).toBeNull();
    expect(exceptionFor('not a url', exceptions)).toBeNull();
    expect(exceptionFor(null, exceptions)).toBeNull();
  });
});

describe('the popup for a site the user continued to', () => {
  function renderPopup(first: PopupState, handlers: Parameters<typeof fakeSender>[0] = {}) {
    let state = first;
    const fake = fakeSender({
      getPopupState: () => state,
      guardRemoveException: ({ origin }) => {
        state = { ...state, exceptions: state.exceptions.filter((entry) => entry !== origin) };
        return { exceptions: state.exceptions };
      },
      ...handlers,
    });
    render(<Popup sender={fake.sender} tabId={7} now={() => NOW} />);
    return fake;
  }
  const excluded = (exceptions: string[]) =>
    popupState(verdicts.excluded, { exceptions }, { url: 'https://www.acme.com/login', host: 'www.acme.com', port: '443' });

  test('says it is allowed this browser session by the user, what the exception covers, and removes it', async () => {
    const { callsOf } = renderPopup(excluded(['https://other.example', 'https://www.acme.com']));
    const note = await screen.findByRole('region', { name: 'Allowed for this browser session by you (exception)' });
    expect(note.textContent).toContain('covers exactly this origin (scheme, host and port)');
    expect(note.textContent).toContain('https://www.acme.com');
    // The rules' decision is still shown as it is: the exception lets the page through the guard, it sends no certificate.
    expect(document.querySelector('.current [data-decision]')?.getAttribute('data-decision')).toBe('excluded');
    fireEvent.click(within(note).getByRole('button', { name: 'Remove exception' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Allowed for this browser session by you (exception)' })).toBeNull());
    expect(callsOf('guardRemoveException')).toEqual([{ type: 'guardRemoveException', origin: 'https://www.acme.com' }]);
    expect(callsOf('getPopupState')).toHaveLength(2);
  });

  test('nothing about an exception for another origin of the same host', async () => {
    renderPopup(excluded(['https://www.acme.com:8443']));
    await waitFor(() => expect(document.querySelector('.current [data-decision]')).not.toBeNull());
    expect(document.querySelector('.guard-exception')).toBeNull();
  });

  test('a refused removal says why and keeps the exception shown', async () => {
    renderPopup(excluded(['https://www.acme.com']), { guardRemoveException: () => refuse('forbidden', 'accepted only from the extension’s own pages') });
    fireEvent.click(await screen.findByRole('button', { name: 'Remove exception' }));
    expect(await screen.findByText('Could not remove the exception: accepted only from the extension’s own pages')).toBeTruthy();
    expect(document.querySelector('.guard-exception')).not.toBeNull();
  });
});

describe('the options page lists the exceptions', () => {
  test('each origin with its own remove button; removing one leaves the others', async () => {
    let bypassed = ['https://a.example', 'https://b.example:8443'];
    const fake = fakeSender({
      getRuleSources: () => {
        throw new Error('not needed');
      },
      getStatus: () => ({ sync: syncStatus(), settings: settingsView(), guard: guardStatus({ mode: 'warn', bypassed }) }),
      consoleAccount: () => ({ email: null, admin: false }),
      guardRemoveException: ({ origin }) => {
        bypassed = bypassed.filter((entry) => entry !== origin);
        return { exceptions: bypassed };
      },
    });
    render(
      <Options
        sender={fake.sender}
        initialSection="policy"
        now={() => NOW}
        networkPrediction={async () => ({ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null })}
      />,
    );
    const list = await screen.findByRole('region', { name: 'Exceptions for this browser session: 2' });
    expect(list.textContent).toContain('Each exception covers exactly one origin (scheme, host and port)');
    fireEvent.click(within(list).getByRole('button', { name: 'Remove exception for https://b.example:8443' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Exceptions for this browser session: 2' })).toBeNull());
    const left = screen.getByRole('region', { name: 'Exceptions for this browser session: 1' });
    expect([...left.querySelectorAll('li')].map((item) => item.dataset['exception'])).toEqual(['https://a.example']);
    expect(fake.callsOf('guardRemoveException')).toEqual([{ type: 'guardRemoveException', origin: 'https://b.example:8443' }]);
  });
});
