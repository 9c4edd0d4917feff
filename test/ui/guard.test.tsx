// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { blockedUrlFrom } from '../../src/ui/guard/blocked-url';
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

function setup(guard: 'off' | 'warn' | 'block', url: string | null = 'https://evil.acme.com/login') {
  const settings = settingsView();
  const navigated: string[] = [];
  const fake = fakeSender({
    evaluateUrl: ({ url: target }) =>
      evaluation({
        url: target,
        host: 'evil.acme.com',
        decision: 'noCertificate',
        reason: 'deny-rule',
        rule: verdicts.excluded.rule,
        matched: [verdicts.excluded.rule],
      }),
    getStatus: () => ({ sync: syncStatus(), settings, guard: guardStatus({ mode: guard }) }),
    guardContinue: ({ url: target }) => ({ url: target }),
  });
  render(<GuardPage sender={fake.sender} blockedUrl={url} navigate={(to) => navigated.push(to)} />);
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

  test('block offers no way through', async () => {
    setup('block');
    expect(await screen.findByText(/blocks this site/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Continue to the site' })).toBeNull();
  });

  test('without an address it says so and asks nothing', async () => {
    const { calls } = setup('warn', null);
    expect(screen.getByText('This page was opened without an address.')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toHaveLength(0);
  });
});
