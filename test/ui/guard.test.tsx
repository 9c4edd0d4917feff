// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { blockedUrlFrom } from '../../src/ui/guard/blocked-url';
import type { NetworkPredictionView } from '../../src/shared/network-prediction';
import { exitKind, guardExit, type ExitTabs, type GuardExit } from '../../src/ui/guard/exit';
import { GuardPage } from '../../src/ui/guard/guard-page';
import { fakeSender } from './helpers/fake-sender';
import { evaluation, guardStatus, settingsView, syncStatus, verdicts } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

describe('the blocked address from the query', () => {
  test.each([
    ['?url=https://evil.acme.com/a?b=1&c=2', 'https://evil.acme.com/a?b=1&c=2'],
    ['?url=https%3A%2F%2Fevil.acme.com%3A8443%2Fx', 'https://evil.acme.com:8443/x'],
    ['?mode=warn&url=https://evil.acme.com/', 'https://evil.acme.com/'],
    ['?url=wss://evil.acme.com/socket', 'wss://evil.acme.com/socket'],
  ])('%s → %s', (search, url) => expect(blockedUrlFrom(search)).toBe(url));

  test.each(['', '?x=1', '?url=javascript:alert(1)', '?url=http://plain.example/', '?url=%E0%A4%A', '?url=not a url'])('%s → nothing', (search) =>
    expect(blockedUrlFrom(search)).toBeNull(),
  );
});

type Verdict = (typeof verdicts)[keyof typeof verdicts];

/** The background as the guard page sees it: the guard mode, the rules' verdict for the address, and the browser's network prediction. */
function setup(
  guard: 'off' | 'warn' | 'block',
  url: string | null = 'https://evil.acme.com/login',
  verdict: Verdict = verdicts.excluded,
  prediction: NetworkPredictionView = { enabled: false, levelOfControl: 'controlled_by_this_extension', error: null },
  exit?: () => Promise<GuardExit>,
) {
  const settings = settingsView();
  const navigated: string[] = [];
  const fake = fakeSender({
    evaluateUrl: ({ url: target }) =>
      evaluation({
        url: target,
        host: new URL(target).hostname,
        ...verdict,
        matched: verdict.rule ? [verdict.rule] : [],
      }),
    getStatus: () => ({ sync: syncStatus(), settings, guard: guardStatus({ mode: guard }) }),
    guardContinue: ({ url: target }) => ({ url: target }),
  });
  render(
    <GuardPage
      sender={fake.sender}
      blockedUrl={url}
      navigate={(to) => navigated.push(to)}
      networkPrediction={async () => prediction}
      {...(exit ? { exit } : {})}
    />,
  );
  return { ...fake, navigated };
}

describe('guard page', () => {
  test('names the host, the rule (source, number, pattern) and what it means; warn offers continue', async () => {
    const { callsOf, navigated } = setup('warn');
    const button = await screen.findByRole('button', { name: 'Continue to the site' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Site stopped by your client certificate rules');
    expect(document.querySelector('.guard-host')?.textContent).toContain('evil.acme.com');
    const rule = document.querySelector('.rule-summary')?.textContent ?? '';
    expect(rule).toContain('Local rules');
    expect(rule).toContain('Rule 1 (index 0)');
    expect(rule).toContain('evil.acme.com');
    expect(document.querySelector('[data-decision]')?.getAttribute('data-decision')).toBe('excluded');
    fireEvent.click(button);
    await waitFor(() => expect(navigated).toEqual(['https://evil.acme.com/login']));
    expect(callsOf('guardContinue')).toEqual([{ type: 'guardContinue', url: 'https://evil.acme.com/login' }]);
  });

  test.each([
    ['no rule matches (a site opened the page with any address)', 'warn', verdicts.noRule],
    ['an allow rule decides', 'warn', verdicts.allowed],
    ['no rules are usable', 'warn', verdicts.unavailable],
    ['the guard is off', 'off', verdicts.excluded],
    ['the guard is off and nothing matches', 'off', verdicts.noRule],
    ['block mode, nothing matches', 'block', verdicts.noRule],
  ] as const)('not stopped by the guard (%s): says it was not opened by the guard, offers no way through', async (_case, mode, verdict) => {
    const { callsOf } = setup(mode, 'https://bank-login.example/verify', verdict);
    expect(await screen.findByRole('heading', { level: 1, name: 'This page was not opened by the guard' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('there is nothing to continue to');
    await waitFor(() => expect(document.title).toBe('This page was not opened by the guard'));
    // Nothing that looks like a stop: no "continue", no rule, no claim the site was stopped.
    expect(screen.queryByRole('button')).toBeNull();
    expect(document.body.textContent).not.toContain('Site stopped');
    expect(document.body.textContent).not.toContain('bank-login.example');
    expect(document.querySelector('.rule-summary')).toBeNull();
    expect(callsOf('guardContinue')).toEqual([]);
  });

  test('an address that is not https is never offered a way through, whatever the rules say', async () => {
    setup('warn', 'wss://evil.acme.com/socket');
    expect(await screen.findByRole('heading', { level: 1, name: 'This page was not opened by the guard' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Continue to the site' })).toBeNull();
  });

  test('claims nothing until the background has answered', async () => {
    setup('warn');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Client Certificate Rules');
    expect(screen.queryByRole('button', { name: 'Continue to the site' })).toBeNull();
    expect(await screen.findByRole('button', { name: 'Continue to the site' })).toBeTruthy();
    await waitFor(() => expect(document.title).toBe('Site stopped by your client certificate rules'));
  });

  test('never shows a user name or password typed into the address; continue still goes to the address as given', async () => {
    const { navigated } = setup('warn', 'https://ada:s3cret-pw@evil.acme.com/login');
    const button = await screen.findByRole('button', { name: 'Continue to the site' });
    expect(document.body.textContent).toContain('https://evil.acme.com/login');
    expect(document.body.textContent).not.toContain('s3cret-pw');
    expect(document.body.textContent).not.toContain('ada');
    fireEvent.click(button);
    await waitFor(() => expect(navigated).toEqual(['https://ada:s3cret-pw@evil.acme.com/login']));
  });

  test('block offers no way through', async () => {
    setup('block');
    expect(await screen.findByText(/blocks this site/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Continue to the site' })).toBeNull();
  });

  test('says the page was stopped before any connection, unless the browser may have connected ahead of it', async () => {
    setup('block');
    expect(await screen.findByText(/stopped the page before any connection was made/)).toBeTruthy();
    cleanup();
    setup('block', 'https://evil.acme.com/login', verdicts.excluded, { enabled: true, levelOfControl: 'not_controllable', error: null });
    expect(await screen.findByText(/may still have opened a connection to the site/)).toBeTruthy();
    expect(screen.queryByText(/before any connection was made/)).toBeNull();
    cleanup();
    setup('warn', 'https://evil.acme.com/login', verdicts.excluded, { enabled: null, levelOfControl: null, error: null });
    expect(await screen.findByText(/may still have opened a connection to the site/)).toBeTruthy();
  });

  test('without an address it says so and asks nothing', async () => {
    const { calls } = setup('warn', null);
    expect(screen.getByText('This page was opened without an address.')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toHaveLength(0);
  });
});

describe('leaving the guard page without continuing', () => {
  test("goes back when the tab has a page to go back to, else closes the tab, or puts a new tab page in its place when it is the window's only tab", () => {
    expect(exitKind({ historyLength: 2, framed: false, tabsInWindow: 1 })).toBe('back');
    expect(exitKind({ historyLength: 1, framed: false, tabsInWindow: 3 })).toBe('close-tab');
    expect(exitKind({ historyLength: 1, framed: false, tabsInWindow: 1 })).toBe('new-tab');
    // Not knowing the window's tabs: never risk closing a window.
    expect(exitKind({ historyLength: 1, framed: false, tabsInWindow: null })).toBe('new-tab');
    // In a frame a site controls: only ever back, never the tab around it.
    expect(exitKind({ historyLength: 1, framed: true, tabsInWindow: 3 })).toBe('back');
  });

  function fakeTabs(tabsInWindow: number, current: { id?: number; windowId?: number; index: number } | null = { id: 9, windowId: 2, index: 4 }) {
    const done: string[] = [];
    const tabs: ExitTabs = {
      getCurrent: async () => current ?? undefined,
      query: async ({ windowId }) => (windowId === 2 ? Array.from({ length: tabsInWindow }, () => ({})) : []),
      create: async (properties) => void done.push(`create ${JSON.stringify(properties)}`),
      remove: async (tabId) => void done.push(`remove ${tabId}`),
    };
    return { tabs, done };
  }

  test('does what it says: back in history, close the tab, or open the new tab page at its place and then close it', async () => {
    let backs = 0;
    const page = (historyLength: number) => ({ historyLength, framed: false, back: () => void backs++ });
    const withHistory = fakeTabs(3);
    const back = await guardExit(withHistory.tabs, page(2));
    await back.leave();
    expect([back.kind, backs, withHistory.done]).toEqual(['back', 1, []]);

    const others = fakeTabs(3);
    const close = await guardExit(others.tabs, page(1));
    await close.leave();
    expect([close.kind, others.done]).toEqual(['close-tab', ['remove 9']]);

    const alone = fakeTabs(1);
    const replace = await guardExit(alone.tabs, page(1));
    await replace.leave();
    expect([replace.kind, alone.done]).toEqual(['new-tab', ['create {"windowId":2,"index":4,"active":true}', 'remove 9']]);

    // Outside a tab the page can see: back is all it offers.
    const nowhere = fakeTabs(3, null);
    expect((await guardExit(nowhere.tabs, page(1))).kind).toBe('back');
  });

  test.each([
    ['back', 'Go back'],
    ['close-tab', 'Close this tab'],
    ['new-tab', 'Open a new tab page instead'],
  ] as const)('the button names what it does (%s), under warn and under block', async (kind, label) => {
    for (const mode of ['warn', 'block'] as const) {
      let left = 0;
      setup(mode, 'https://evil.acme.com/login', verdicts.excluded, undefined, async () => ({ kind, leave: async () => void left++ }));
      fireEvent.click(await screen.findByRole('button', { name: label }));
      await waitFor(() => expect(left).toBe(1));
      expect(screen.queryByText('This tab has no page to go back to.') !== null).toBe(kind !== 'back');
      cleanup();
    }
  });

  test('under warn it says the exception would cover exactly the origin of the address', async () => {
    setup('warn', 'https://evil.acme.com:8443/login?x=1');
    expect(await screen.findByText(/The exception covers exactly https:\/\/evil\.acme\.com:8443 \(this scheme, host and port\)/)).toBeTruthy();
  });
});
