// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { compileManagedRules } from '../../src/config/index';
import { rejectedWithoutLastGood } from '../../src/engine/index';
import type { PopupState } from '../../src/shared/messages';
import { Popup } from '../../src/ui/popup/popup';
import { resolveTabId, tabIdFromQuery } from '../../src/ui/popup/tab-id';
import { fakeSender, refuse } from './helpers/fake-sender';
import { evaluation, NOW, popupState, syncStatus, verdicts } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

function renderPopup(state: PopupState, extra: Parameters<typeof fakeSender>[0] = {}) {
  const fake = fakeSender({ getPopupState: () => state, ...extra });
  const view = render(<Popup sender={fake.sender} tabId={7} now={() => NOW} />);
  return { ...fake, ...view };
}

async function decisionBox() {
  const box = await waitFor(() => {
    const found = document.querySelector<HTMLElement>('.current [data-decision]');
    if (!found) throw new Error('no decision yet');
    return found;
  });
  return box;
}

describe('popup states', () => {
  test('allowed: host and port, words, reason, and the deciding rule with source, number, pattern, port and action', async () => {
    const { calls } = renderPopup(popupState(verdicts.allowed));
    const box = await decisionBox();
    expect(box.dataset['decision']).toBe('allowed');
    expect(box.className).toContain('decision-allowed');
    expect(within(box).getByText('Certificate allowed')).toBeTruthy();
    expect(within(box).getByText(/allows this site to receive/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: /www\.acme\.com:443/ })).toBeTruthy();
    const rule = document.querySelector('.current .rule-summary') as HTMLElement;
    expect(rule.textContent).toContain('Console profile “Corporate”');
    expect(rule.textContent).toContain('Rule 3 (index 2)');
    expect(rule.textContent).toContain('*.acme.com');
    expect(rule.textContent).toContain('443');
    expect(rule.textContent).toContain('useEnrollmentCertificate');
    // The first render needs exactly one message.
    expect(calls.map((call) => call.type)).toEqual(['getPopupState']);
    expect(calls[0]).toEqual({ type: 'getPopupState', tabId: 7 });
  });

  test('excluded by a rule: local rule named, in red words, with the lint warning about it', async () => {
    const state = popupState(verdicts.excluded, {}, { url: 'https://evil.acme.com:8443/', host: 'evil.acme.com', port: '8443' });
    state.current!.lint = [{ index: 0, severity: 'warning', code: 'wildcard-suffix', message: 'rule 0: "*acme.com" also matches "evilacme.com"; see rule 1' }];
    renderPopup(state);
    const box = await decisionBox();
    expect(box.dataset['decision']).toBe('excluded');
    expect(box.textContent).toContain('Excluded by a rule');
    expect(screen.getByText('evil.acme.com:8443')).toBeTruthy();
    const rule = document.querySelector('.current .rule-summary') as HTMLElement;
    expect(rule.textContent).toContain('Local rules');
    expect(rule.textContent).toContain('Rule 1 (index 0)');
    expect(rule.textContent).toContain('noCertificate');
    const lint = document.querySelector('.rule-lint') as HTMLElement;
    // The engine's "rule 0:" prefix is dropped beside the rule; other rules it names use the pages' numbering.
    expect(lint.textContent).toContain('"*acme.com" also matches "evilacme.com"; see rule 2 (index 1)');
    expect(lint.textContent).not.toContain('rule 0:');
  });

  test('no rule: says so and shows no rule', async () => {
    renderPopup(popupState(verdicts.noRule));
    const box = await decisionBox();
    expect(box.dataset['decision']).toBe('no-rule');
    expect(box.textContent).toContain('No rule for this site');
    expect(document.querySelector('.current .rule-summary')).toBeNull();
  });

  test('not TLS: the page address instead of host:port, and the not-TLS words', async () => {
    renderPopup(popupState(verdicts.notTls, {}, { url: 'http://plain.example/', host: 'plain.example', port: '80' }));
    const box = await decisionBox();
    expect(box.dataset['decision']).toBe('not-tls');
    expect(box.textContent).toContain('Not a secure connection');
    expect(screen.getByText('http://plain.example/')).toBeTruthy();
  });

  test('rules unavailable: a different message from a rule saying no', async () => {
    renderPopup(
      popupState(verdicts.unavailable, {
        sync: syncStatus({ lastSuccessAt: null, lastAttemptAt: NOW - 60_000, lastError: { code: 'network', message: 'the console did not answer' } }),
      }),
    );
    const box = await decisionBox();
    expect(box.dataset['decision']).toBe('unavailable');
    expect(box.textContent).toContain('Rules unavailable');
    expect(box.textContent).toContain('a sync failed');
    expect(box.textContent).not.toContain('Excluded');
    const line = document.querySelector('.status-line') as HTMLElement;
    expect(line.dataset['state']).toBe('failing');
    expect(line.textContent).toContain('the console did not answer');
  });

  test('first sync under way: "Rules not known yet", told apart from a failure, in the decision and the list of sources', async () => {
    const waiting = { source: 'profile' as const, code: 'not-synced' as const, message: '' };
    renderPopup(popupState(verdicts.unavailable, { unavailable: [waiting], sync: syncStatus({ lastSuccessAt: null, lastAttemptAt: null, inProgress: true }) }));
    const box = await decisionBox();
    expect(box.dataset['decision']).toBe('pending');
    expect(box.textContent).toContain('Rules not known yet');
    expect(box.textContent).toContain('The first sync with the management console has not finished yet.');
    expect(box.textContent).not.toContain('Rules unavailable');
    const list = document.querySelector('.unavailable') as HTMLElement;
    expect(list.classList.contains('decision-pending')).toBe(true);
    expect(list.textContent).toContain('Rules not known yet: no certificate is offered anywhere until the first sync has finished.');
    expect(list.querySelector('li')?.textContent).toBe('Console profile “Corporate” — its first sync has not finished yet');
  });

  test('a first sync that failed is "Rules unavailable", even while another source is fine', async () => {
    const failed = { source: 'profile' as const, code: 'not-synced' as const, message: 'connection refused' };
    renderPopup(popupState(verdicts.unavailable, { unavailable: [failed] }));
    expect((await decisionBox()).dataset['decision']).toBe('unavailable');
    // Waiting for the profile while another source was rejected: a failure, not "not known yet".
    cleanup();
    const waiting = { source: 'profile' as const, code: 'not-synced' as const, message: '' };
    const rejected = { source: 'local' as const, code: 'rejected' as const, message: 'rule 0: bad' };
    renderPopup(popupState(verdicts.unavailable, { unavailable: [waiting, rejected] }));
    expect((await decisionBox()).dataset['decision']).toBe('unavailable');
  });

  test('rules unavailable because a source is not known: the popup names each source and why', async () => {
    // What the background sends for the managed policy [deny secret.corp, deny "bad host"] with no last good copy.
    const managed = rejectedWithoutLastGood(
      compileManagedRules({
        status: 'rules',
        rules: [
          { host: 'secret.corp', action: 'noCertificate' },
          { host: 'bad host', action: 'noCertificate' },
        ],
      })!,
    );
    const notSynced = { source: 'profile' as const, label: null, code: 'not-synced' as const, message: 'connection refused', errors: [] };
    renderPopup(popupState(verdicts.unavailable, { unavailable: [managed, notSynced] }, { url: 'https://secret.corp/', host: 'secret.corp', port: '443' }));
    const box = await decisionBox();
    expect(box.dataset['decision']).toBe('unavailable');
    const list = document.querySelector('.unavailable') as HTMLElement;
    expect(list.textContent).toContain('Rules unavailable: no certificate is offered anywhere until every configured rule source is known again.');
    const items = [...list.querySelectorAll<HTMLElement>('li')];
    expect(items.map((item) => [item.dataset['unavailableSource'], item.dataset['code']])).toEqual([
      ['managed', 'rejected'],
      ['profile', 'not-synced'],
    ]);
    // The source in the pages' words, what is wrong, and the rule in the pages' numbering.
    expect(items[0]?.textContent).toBe(
      'Organisation policy — rejected, and no earlier version was accepted: rule 2 (index 1): the host contains white space; a host name cannot, so remove it',
    );
    // The profile by the name the sync status knows.
    expect(items[1]?.textContent).toBe('Console profile “Corporate” — never synced successfully: connection refused');
  });

  test('no list of unknown sources when the rules are available, or when nothing is configured', async () => {
    renderPopup(popupState(verdicts.excluded));
    await decisionBox();
    expect(document.querySelector('.unavailable')).toBeNull();
    cleanup();
    renderPopup(popupState(verdicts.unavailable));
    expect((await decisionBox()).dataset['decision']).toBe('unavailable');
    expect(document.querySelector('.unavailable')).toBeNull();
  });

  test('a failing background says so in an alert', async () => {
    const fake = fakeSender({ getPopupState: () => refuse('internal', 'storage unreadable') });
    render(<Popup sender={fake.sender} tabId={7} now={() => NOW} />);
    expect((await screen.findByRole('alert')).textContent).toContain('storage unreadable');
  });
});

describe('popup details', () => {
  test('other endpoints grouped by decision, the current one left out, client-certificate requests with what the rules say', async () => {
    const state = popupState(verdicts.allowed);
    state.tab!.endpoints = [
      { host: 'www.acme.com', port: '443', verdict: verdicts.allowed, requests: 3, lastSeen: NOW },
      { host: 'cdn.acme.com', port: '443', verdict: verdicts.allowed, requests: 5, lastSeen: NOW },
      { host: 'evil.acme.com', port: '443', verdict: verdicts.excluded, requests: 1, lastSeen: NOW },
      { host: 'tracker.example', port: '443', verdict: verdicts.noRule, requests: 2, lastSeen: NOW },
      { host: 'ads.example', port: '443', verdict: verdicts.noRule, requests: 1, lastSeen: NOW },
    ];
    state.tab!.clientAuthEvents = [
      {
        url: 'https://mtls.acme.com/api',
        host: 'mtls.acme.com',
        port: '443',
        error: 'net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED',
        resourceType: 'xmlhttprequest',
        verdict: verdicts.allowed,
        time: NOW,
      },
    ];
    renderPopup(state);
    await decisionBox();
    expect(screen.getByRole('heading', { name: 'Other secure connections of this page: 4' })).toBeTruthy();
    const groups = [...document.querySelectorAll<HTMLElement>('.endpoint-group')];
    expect(groups.map((group) => group.dataset['group'])).toEqual(['excluded', 'allowed', 'no-rule']);
    expect(groups[0]?.textContent).toContain('evil.acme.com:443');
    expect(groups[0]?.textContent).toContain('Local rules, rule 1 (index 0): evil.acme.com port *');
    expect(groups[1]?.textContent).toContain('cdn.acme.com:443');
    expect(groups[1]?.textContent).not.toContain('www.acme.com');
    expect(groups[2]?.querySelector('summary')?.textContent).toContain('No rule for this site: 2');
    const requests = screen.getByRole('region', { name: /Certificate requests from servers: 1/ });
    expect(requests.textContent).toContain('mtls.acme.com:443');
    expect(requests.textContent).toContain('net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED');
    expect(requests.textContent).toContain('The rules say: Certificate allowed');
  });

  test('sync line: profile and relative time; Sync now syncs, announces the result and reloads', async () => {
    let synced = false;
    const { callsOf } = renderPopup(popupState(verdicts.allowed), {
      syncNow: () => {
        synced = true;
        return { at: NOW, ok: true, changed: true, error: null };
      },
    });
    await decisionBox();
    const line = document.querySelector('.status-line') as HTMLElement;
    expect(line.textContent).toBe('Corporate, synced 5 minutes ago');
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(document.querySelector('.sync-result')?.textContent).toBe('Sync finished: the rules changed.'));
    expect(synced).toBe(true);
    await waitFor(() => expect(callsOf('getPopupState')).toHaveLength(2));
  });

  test('no Sync now button when the user may not sync; stale rules say why', async () => {
    renderPopup(popupState(verdicts.unavailable, { sync: syncStatus({ canSyncNow: false, stale: true, staleReason: 'older than 24 hours' }) }));
    await decisionBox();
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull();
    expect(document.querySelector('.status-line')?.textContent).toContain('older than 24 hours');
  });

  test('test a URL: the evaluation in words with the rule', async () => {
    const { callsOf } = renderPopup(popupState(verdicts.noRule), {
      evaluateUrl: ({ url }) =>
        evaluation({
          url,
          host: 'evil.acme.com',
          port: '443',
          decision: 'noCertificate',
          reason: 'deny-rule',
          rule: verdicts.excluded.rule,
          matched: [verdicts.excluded.rule],
        }),
    });
    await decisionBox();
    fireEvent.input(screen.getByLabelText('URL to test'), { target: { value: ' https://evil.acme.com/x ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    const result = await waitFor(() => {
      const box = document.querySelector<HTMLElement>('.url-test-result [data-decision]');
      if (!box) throw new Error('no result');
      return box;
    });
    expect(result.dataset['decision']).toBe('excluded');
    expect(callsOf('evaluateUrl')[0]?.url).toBe('https://evil.acme.com/x');
    expect(document.querySelector('.url-test-result')?.textContent).toContain('Local rules, rule 1 (index 0)');
  });

  test('the options link opens the options page through the given function', async () => {
    let opened = 0;
    const fake = fakeSender({ getPopupState: () => popupState(verdicts.allowed) });
    render(<Popup sender={fake.sender} tabId={7} now={() => NOW} openOptions={() => opened++} />);
    fireEvent.click(screen.getByRole('link', { name: 'Settings, rules and tester' }));
    expect(opened).toBe(1);
  });

  test('no tab: no message is sent', async () => {
    const fake = fakeSender({});
    render(<Popup sender={fake.sender} tabId={null} now={() => NOW} />);
    expect(await screen.findByText('There is no page to describe in this tab.')).toBeTruthy();
    expect(fake.calls).toHaveLength(0);
  });
});

describe('which tab', () => {
  test('?tabId=N names the tab; anything else falls back to the active tab', async () => {
    expect(tabIdFromQuery('?tabId=42')).toBe(42);
    expect(tabIdFromQuery('?tabId=4x2')).toBeNull();
    expect(tabIdFromQuery('')).toBeNull();
    expect(await resolveTabId('?tabId=5', async () => [{ id: 9 }])).toBe(5);
    expect(await resolveTabId('', async () => [{ id: 9 }])).toBe(9);
    expect(await resolveTabId('', async () => [])).toBeNull();
  });
});
