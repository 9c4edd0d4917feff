// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AUTH_MODES, SYNC_INTERVAL_MINUTES, compileManagedRules } from '../../src/config/index';
import { compileSource, rejectedWithoutLastGood } from '../../src/engine/index';
import type { ConsoleProfile, ConsoleProfileSummary } from '../../src/shared/messages';
import type { NetworkPredictionView } from '../../src/shared/network-prediction';
import type { RuleSources } from '../../src/shared/status';
import { Options } from '../../src/ui/options/options-app';
import type { SectionId } from '../../src/ui/options/sections';
import { fakeSender, refuse, type Handlers } from './helpers/fake-sender';
import { guardStatus, NOW, ruleSources, settingsView, source, syncStatus } from './helpers/fixtures';
import { installWorker, InProcessExportWorker } from './helpers/fake-export-worker';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);
// jsdom has no Worker: the browser policy section's exports run the worker's job in this process.
let uninstallWorker = () => undefined as void;
beforeEach(() => {
  uninstallWorker = installWorker(InProcessExportWorker);
});
afterEach(() => uninstallWorker());

const PREDICTION_OFF: NetworkPredictionView = { enabled: false, levelOfControl: 'controlled_by_this_extension', error: null };

function setup(section: SectionId, handlers: Handlers = {}, sources: RuleSources = ruleSources(), prediction: NetworkPredictionView = PREDICTION_OFF) {
  let current = sources;
  const downloads: string[] = [];
  const fake = fakeSender({
    getRuleSources: () => current,
    getStatus: () => ({ sync: syncStatus(), settings: settingsView(), guard: guardStatus() }),
    consoleAccount: () => ({ email: 'user@example.com', admin: false }),
    setLocalRules: ({ rules }) => {
      current = { ...current, sources: current.sources.map((s) => (s.name === 'local' ? { ...s, rules } : s)) };
      return current;
    },
    ...handlers,
  });
  render(
    <Options
      sender={fake.sender}
      initialSection={section}
      now={() => NOW}
      download={(filename) => downloads.push(filename)}
      networkPrediction={async () => prediction}
    />,
  );
  return { ...fake, downloads };
}

const sourceBlock = (name: string) =>
  waitFor(() => {
    const block = document.querySelector<HTMLElement>(`[data-source="${name}"]`);
    if (!block) throw new Error(`no ${name} source yet`);
    return block;
  });

describe('rules section', () => {
  test('sources in precedence order; managed and profile locked with a reason and no inputs; local editable', async () => {
    const sources = ruleSources({}, [{ host: 'a.example', port: '443', action: 'noCertificate' }]);
    // Delivered out of order: the page still shows policy, profile, local.
    sources.sources.reverse();
    setup('rules', {}, sources);
    await sourceBlock('local');
    const order = [...document.querySelectorAll<HTMLElement>('[data-source]')].map((block) => block.dataset['source']);
    expect(order).toEqual(['managed', 'profile', 'local']);
    const managed = await sourceBlock('managed');
    expect(managed.querySelector('svg.icon-lock')).not.toBeNull();
    expect(managed.textContent).toContain("Set by your organisation's policy; it cannot be changed here.");
    expect(managed.querySelectorAll('input, select, textarea')).toHaveLength(0);
    expect(within(managed).queryByRole('button', { name: /Delete|Add/ })).toBeNull();
    expect(managed.textContent).toContain('secure.acme.com');
    const profile = await sourceBlock('profile');
    expect(profile.textContent).toContain('Console profile “Corporate”');
    expect(profile.textContent).toContain('Synced from the management console');
    expect(profile.querySelectorAll('input, select')).toHaveLength(0);
    const local = await sourceBlock('local');
    expect(local.querySelector('svg.icon-lock')).toBeNull();
    expect(within(local).getByLabelText('Host pattern')).toBeTruthy();
  });

  test('adding a local deny rule saves it through setLocalRules', async () => {
    const { callsOf } = setup('rules');
    const local = await sourceBlock('local');
    fireEvent.click(within(local).getByRole('button', { name: 'Add rule' }));
    fireEvent.input(within(local).getByLabelText('Host pattern'), { target: { value: 'blocked.acme.com' } });
    fireEvent.click(within(local).getByRole('button', { name: 'Save rules' }));
    await waitFor(() => expect(callsOf('setLocalRules')).toHaveLength(1));
    expect(callsOf('setLocalRules')[0]?.rules).toEqual([{ host: 'blocked.acme.com', port: '443', action: 'noCertificate' }]);
    await waitFor(() => expect(local.textContent).toContain('Rules: 1'));
  });

  test('policy localRules none: local rules are locked too', async () => {
    setup('rules', {}, ruleSources({ localRules: 'none' }, [{ host: 'a.example', action: 'noCertificate' }]));
    const local = await sourceBlock('local');
    expect(local.textContent).toContain("Your organisation's policy does not allow local rules.");
    expect(local.querySelectorAll('input')).toHaveLength(0);
  });

  test('a rejected source shows why, with rule numbers; rules unavailable is said', async () => {
    const sources = ruleSources({ rulesAvailable: false });
    sources.sources[1] = source('profile', [{ host: 'https://x', action: 'noCertificate' }], {
      inForce: false,
      errors: [{ index: 0, severity: 'error', code: 'invalid-host', message: 'rule 0: the host must not contain a scheme ("https://")' }],
    });
    setup('rules', {}, sources);
    const profile = await sourceBlock('profile');
    expect(profile.textContent).toContain('This source was rejected');
    expect(profile.textContent).toContain('Rule 1 (index 0): the host must not contain a scheme');
    expect(profile.textContent).toContain('Not in force.');
    expect(screen.getByRole('note').textContent).toContain('No rule source is usable right now');
  });
});

describe('rules section: rules unavailable because a source is not known', () => {
  const REJECTED = [
    { host: 'secret.corp', action: 'noCertificate' },
    { host: 'bad host', action: 'noCertificate' },
  ];
  const managed = compileManagedRules({ status: 'rules', rules: REJECTED })!;

  test('the rejected managed source is named with the reason, at the top and on its own block; the other sources are not blamed', async () => {
    const sources = ruleSources({ rulesAvailable: false, unavailable: [rejectedWithoutLastGood(managed)] });
    sources.sources[0] = source('managed', REJECTED, { inForce: false, errors: managed.errors });
    // The profile is synced and in force as a source; while the rules are unavailable the page says it does not decide.
    sources.sources[1] = source('profile', [{ host: '*.corp', action: 'useEnrollmentCertificate' }], { inForce: true });
    setup('rules', {}, sources);
    const block = await sourceBlock('managed');
    const list = document.querySelector('.unavailable') as HTMLElement;
    expect(list.querySelector('li')?.dataset['unavailableSource']).toBe('managed');
    expect(list.textContent).toContain('Organisation policy — rejected, and no earlier version was accepted: rule 2 (index 1): the host contains white space');
    expect(block.querySelector('.source-unavailable')?.textContent).toBe(
      'Because of this source the rules are unavailable: rejected, and no earlier version was accepted: rule 2 (index 1): the host contains white space; a host name cannot, so remove it',
    );
    // Its errors, numbered as the page numbers rules.
    expect(block.textContent).toContain('Rule 2 (index 1): the host contains white space');
    expect((await sourceBlock('profile')).querySelector('.source-unavailable')).toBeNull();
    expect((await sourceBlock('profile')).textContent).toContain('Not in force.');
  });

  test('a console profile past the maximum rule age is named on the profile block', async () => {
    const expired = {
      source: 'profile' as const,
      label: 'Corporate',
      code: 'expired' as const,
      message: 'last confirmed by the console at 2025-01-01T00:00:00.000Z',
      errors: [],
    };
    setup('rules', {}, ruleSources({ rulesAvailable: false, unavailable: [expired] }));
    const profile = await sourceBlock('profile');
    expect(profile.querySelector('.source-unavailable')?.textContent).toBe(
      'Because of this source the rules are unavailable: older than the maximum rule age: last confirmed by the console at 2025-01-01T00:00:00.000Z',
    );
    expect(document.querySelector('.unavailable li')?.textContent).toBe(
      'Console profile “Corporate” — older than the maximum rule age: last confirmed by the console at 2025-01-01T00:00:00.000Z',
    );
    expect((await sourceBlock('managed')).querySelector('.source-unavailable')).toBeNull();
  });
});

describe('navigation', () => {
  test('console profiles appear only for a console administrator', async () => {
    setup('rules');
    await sourceBlock('local');
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    await waitFor(() => expect(within(nav).getAllByRole('link')).toHaveLength(6));
    expect(within(nav).queryByRole('link', { name: 'Console profiles' })).toBeNull();
    cleanup();
    setup('rules', { consoleAccount: () => ({ email: 'admin@example.com', admin: true }) });
    const adminNav = screen.getByRole('navigation', { name: 'Sections' });
    await waitFor(() => expect(within(adminNav).getByRole('link', { name: 'Console profiles' })).toBeTruthy());
  });

  test('the console profiles address without admin rights says why', async () => {
    setup('profiles');
    expect((await screen.findByRole('alert')).textContent).toContain('The account in use (user@example.com) is not one.');
    cleanup();
    setup('profiles', { consoleAccount: () => refuse('console:auth', 'authentication failed') });
    expect((await screen.findByRole('alert')).textContent).toBe('Could not check the console account: authentication failed');
  });

  test('choosing a section shows it, marks it current and moves focus to its heading', async () => {
    setup('rules');
    fireEvent.click(screen.getByRole('link', { name: 'Tester' }));
    const heading = screen.getByRole('heading', { level: 2, name: 'Tester' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByRole('link', { name: 'Tester' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByLabelText('URL to test')).toBeTruthy();
  });
});

describe('sync section', () => {
  const history = [
    { at: NOW - 3_600_000, ok: true, changed: true, error: null },
    { at: NOW - 60_000, ok: false, changed: false, error: { code: 'auth', message: 'authentication failed' } },
  ];

  test('status, history newest first with errors, and Sync now', async () => {
    let sync = syncStatus({ history, lastAttemptAt: NOW - 60_000, lastError: history[1]!.error });
    const failed = { at: NOW, ok: false, changed: false, error: { code: 'network', message: 'unreachable' } };
    const { callsOf } = setup('sync', {
      getStatus: () => ({ sync, settings: settingsView(), guard: guardStatus() }),
      syncNow: () => {
        sync = syncStatus({ history: [...history, failed], lastAttemptAt: NOW, lastError: failed.error });
        return failed;
      },
    });
    const table = await screen.findByRole('table', { name: 'Last attempts: 2' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]?.textContent).toContain('authentication failed');
    // The error in words, without its code.
    expect(rows[0]?.querySelectorAll('td')[2]?.textContent).toBe('authentication failed');
    expect(rows[0]?.getAttribute('data-ok')).toBe('false');
    expect(rows[1]?.textContent).toContain('Succeeded, rules changed');
    expect(document.querySelector('.status-line')?.textContent).toContain('sync failing');
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    // The failure is said once, in the status line the page asks for again.
    await waitFor(() => expect(document.querySelector('.status-line')?.textContent).toContain(': unreachable'));
    expect(document.body.textContent?.match(/unreachable/g)).toHaveLength(2); // the status line and the history row
    expect(callsOf('syncNow')).toHaveLength(1);
  });

  test('console settings: the password is write-only and sent only when typed', async () => {
    const { callsOf } = setup('sync', {
      setLocalSettings: () => settingsView(),
      consoleListProfiles: () => [
        { id: 'p1', name: 'Corporate', description: '', isDefault: true },
        { id: 'p2', name: 'Lab', description: '', isDefault: false },
      ],
    });
    const password = (await screen.findByLabelText('Password')) as HTMLInputElement;
    expect(password.value).toBe('');
    expect(password.type).toBe('password');
    expect(screen.getByText('One is saved and is never shown again. Type a new one to replace it.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Load profiles' }));
    const picker = (await waitFor(() => {
      const element = screen.getByLabelText('Profile');
      if (element.tagName !== 'SELECT') throw new Error('no picker yet');
      return element;
    })) as HTMLSelectElement;
    expect([...picker.options].map((option) => option.textContent)).toEqual(["The console's default profile", 'Corporate (default)', 'Lab']);
    fireEvent.change(picker, { target: { value: 'p2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(callsOf('setLocalSettings')).toHaveLength(1));
    const first = callsOf('setLocalSettings')[0]!.settings;
    expect(first).not.toHaveProperty('password');
    expect(first).toMatchObject({ consoleUrl: 'https://console.example.com/mocana-app-control/rest/', profileId: 'p2', authMode: 'form' });
    fireEvent.input(password, { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(callsOf('setLocalSettings')).toHaveLength(2));
    expect(callsOf('setLocalSettings')[1]!.settings['password']).toBe('s3cret');
    await waitFor(() => expect(password.value).toBe(''));
  });

  test('an http URL to another host and an interval out of range are refused before saving', async () => {
    const { callsOf } = setup('sync', { setLocalSettings: () => settingsView() });
    const url = await screen.findByLabelText('Console URL');
    fireEvent.input(url, { target: { value: 'http://console.example.com/' } });
    expect(screen.getByText(/must use https:\/\//)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(url, { target: { value: 'http://127.0.0.1:8080/rest/' } });
    fireEvent.input(screen.getByLabelText('Sync interval (minutes)'), { target: { value: '5' } });
    expect(screen.getByText('Write a whole number of minutes from 30 to 1440.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement).disabled).toBe(true);
    expect(callsOf('setLocalSettings')).toHaveLength(0);
  });

  test("the form offers config's sign-in methods and interval range, and refuses a URL with a user name and password", async () => {
    const { callsOf } = setup('sync', { setLocalSettings: () => settingsView() });
    const mode = (await screen.findByLabelText('Sign-in method')) as HTMLSelectElement;
    expect([...mode.options].map((option) => option.value)).toEqual([...AUTH_MODES]);
    const interval = screen.getByLabelText('Sync interval (minutes)') as HTMLInputElement;
    expect([interval.min, interval.max]).toEqual([String(SYNC_INTERVAL_MINUTES.min), String(SYNC_INTERVAL_MINUTES.max)]);
    fireEvent.input(screen.getByLabelText('Console URL'), { target: { value: 'https://user:pw@console.example.com/rest/' } });
    expect(screen.getByText('Leave the user name and password out of the URL; use the sign-in fields instead.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(screen.getByLabelText('Console URL'), { target: { value: 'http://127.0.0.2:8080/rest/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(callsOf('setLocalSettings')).toHaveLength(1));
    expect(callsOf('setLocalSettings')[0]!.settings).toMatchObject({ consoleUrl: 'http://127.0.0.2:8080/rest/' });
  });

  test('a console set by policy is shown, not editable', async () => {
    const settings = settingsView();
    settings.origins['consoleUrl'] = 'policy';
    setup('sync', { getStatus: () => ({ sync: syncStatus(), settings, guard: guardStatus() }) });
    expect(await screen.findByText(/The console is set by your organisation's policy/)).toBeTruthy();
    expect(screen.queryByLabelText('Console URL')).toBeNull();
  });
});

describe('console profiles', () => {
  const catalog: ConsoleProfileSummary[] = [
    { id: 'p1', name: 'Corporate', description: 'Everyone', isDefault: true },
    { id: 'p2', name: 'Lab', description: '', isDefault: false },
  ];
  const corporate: ConsoleProfile = { ...catalog[0]!, rules: [{ host: '*.acme.com', port: '443', action: 'useEnrollmentCertificate' }], stamp: 's1' };
  const admin = {
    consoleAccount: () => ({ email: 'admin@example.com', admin: true }),
    consoleListProfiles: () => catalog,
    consoleGetProfile: () => corporate,
  } satisfies Handlers;

  test('open a profile in the rule editor, edit, confirm, and save it back', async () => {
    const { callsOf } = setup('profiles', { ...admin, consoleSaveProfile: ({ name }) => ({ id: 'p1', name, description: 'Everyone', isDefault: true }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Open Corporate' }));
    const editor = await screen.findByRole('region', { name: 'Profile “Corporate”' });
    fireEvent.click(within(editor).getByRole('button', { name: 'Add rule' }));
    const hosts = within(editor).getAllByLabelText('Host pattern');
    fireEvent.input(hosts[1]!, { target: { value: 'evil.acme.com' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save to console' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Save “Corporate” to the console?' });
    expect(dialog.textContent).toContain('The profile will hold 2 rules.');
    expect(callsOf('consoleSaveProfile')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save to console' }));
    await waitFor(() => expect(callsOf('consoleSaveProfile')).toHaveLength(1));
    expect(callsOf('consoleSaveProfile')[0]).toEqual({
      type: 'consoleSaveProfile',
      profileId: 'p1',
      name: 'Corporate',
      description: 'Everyone',
      rules: [
        { host: '*.acme.com', port: '443', action: 'useEnrollmentCertificate' },
        { host: 'evil.acme.com', port: '443', action: 'noCertificate' },
      ],
    });
    await waitFor(() => expect(screen.getByText('Saved Corporate on the console.')).toBeTruthy());
  });

  test('the console refusing a save: a clear error, the draft kept', async () => {
    setup('profiles', { ...admin, consoleSaveProfile: () => refuse('console:http', 'HTTP 403: not allowed to write profiles') });
    fireEvent.click(await screen.findByRole('button', { name: 'Open Corporate' }));
    const editor = await screen.findByRole('region', { name: 'Profile “Corporate”' });
    fireEvent.input(within(editor).getByLabelText('Description'), { target: { value: 'Changed' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save to console' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Save to console' }));
    const alert = await within(editor).findByRole('alert');
    expect(alert.textContent).toContain('The console refused: HTTP 403: not allowed to write profiles (console:http)');
    expect((within(editor).getByLabelText('Description') as HTMLTextAreaElement).value).toBe('Changed');
  });

  test('create a profile: a name is required, then it is created with profileId null', async () => {
    const { callsOf } = setup('profiles', { ...admin, consoleSaveProfile: ({ name }) => ({ id: 'p3', name, description: '', isDefault: false }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Create profile' }));
    const editor = await screen.findByRole('region', { name: 'New profile' });
    const create = within(editor).getByRole('button', { name: 'Create on console' }) as HTMLButtonElement;
    expect(create.disabled).toBe(true);
    fireEvent.input(within(editor).getByLabelText('Name'), { target: { value: 'Kiosk' } });
    expect(create.disabled).toBe(false);
    fireEvent.click(create);
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Create on console' }));
    await waitFor(() => expect(callsOf('consoleSaveProfile')).toHaveLength(1));
    expect(callsOf('consoleSaveProfile')[0]).toMatchObject({ profileId: null, name: 'Kiosk', rules: [] });
    // Then the new profile is opened, so later saves update it.
    await waitFor(() => expect(callsOf('consoleGetProfile')[0]?.profileId).toBe('p3'));
  });

  test('archive and make default each ask first; cancelling sends nothing', async () => {
    const { callsOf } = setup('profiles', {
      ...admin,
      consoleArchiveProfile: ({ profileId }) => ({ id: profileId }),
      consoleSetDefaultProfile: () => refuse('console:server', 'the console answered "Error": default profile locked'),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Archive Lab' }));
    fireEvent.click(within(await screen.findByRole('alertdialog', { name: 'Archive the profile “Lab”?' })).getByRole('button', { name: 'Cancel' }));
    expect(callsOf('consoleArchiveProfile')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Archive Lab' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(callsOf('consoleArchiveProfile')).toEqual([{ type: 'consoleArchiveProfile', profileId: 'p2' }]));
    expect(await screen.findByText('Archived Lab.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Make default: Lab' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Make default' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The console refused: the console answered "Error": default profile locked (console:server)');
  });
});

describe('policy and browser policy', () => {
  test('effective settings with their origin, secrets hidden, and every policy error', async () => {
    const settings = settingsView({
      managedPresent: true,
      policyErrors: [{ key: 'guard', message: '"sometimes" is not one of off, warn, block; using "off"' }],
    });
    settings.origins['guard'] = 'default';
    settings.origins['localRules'] = 'policy';
    settings.values['localRules'] = 'denyOnly';
    settings.values['rules'] = { status: 'rules', rules: [{ host: 'a.example' }, { host: 'b.example' }] };
    setup('policy', {
      getStatus: () => ({
        sync: syncStatus(),
        settings,
        guard: guardStatus({
          mode: 'block',
          browserRules: 2,
          denyRulesCovered: 3,
          denyRulesTotal: 4,
          notFitted: [{ source: 'profile', index: 7, host: '*a*b*', port: '*', reason: 'regex-limit', message: 'too long for the browser' }],
        }),
      }),
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('guard: "sometimes" is not one of off, warn, block');
    const row = (key: string) => document.querySelector(`[data-setting="${key}"]`)?.textContent ?? '';
    expect(row('localRules')).toContain('denyOnly');
    expect(row('localRules')).toContain('Policy');
    expect(row('consoleUrl')).toContain('Local');
    expect(row('guard')).toContain('Default');
    expect(row('password')).toContain('set (hidden)');
    expect(row('rules')).toContain('Rules: 2');
    expect(row('token')).toContain('not set');
    expect(document.body.textContent).not.toContain('s3cret');
    const guard = document.querySelector('[data-guard="block"]')?.textContent ?? '';
    expect(guard).toContain('In place: 3 of 4 exclusion rules, as 2 browser rules.');
    expect(guard).toContain('Console profile, rule 8 (index 7): *a*b* * too long for the browser');
  });

  test.each([
    [{ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null }, 'block', 'network prediction is off while the guard is on'],
    [{ enabled: false, levelOfControl: 'not_controllable', error: null }, 'warn', 'network prediction is off (a policy or another extension set it)'],
    [{ enabled: true, levelOfControl: 'not_controllable', error: null }, 'block', 'set the policy NetworkPredictionOptions to 2'],
    [{ enabled: true, levelOfControl: 'controlled_by_other_extensions', error: null }, 'warn', 'cannot turn it off'],
    [{ enabled: null, levelOfControl: null, error: 'boom' }, 'block', 'could not be read or changed: boom'],
  ])('the guard says whether the browser may still connect ahead of a navigation (%o, %s)', async (prediction, mode, text) => {
    setup(
      'policy',
      { getStatus: () => ({ sync: syncStatus(), settings: settingsView(), guard: guardStatus({ mode: mode as 'block' | 'warn' }) }) },
      ruleSources(),
      prediction,
    );
    await waitFor(() => expect(document.querySelector(`[data-guard="${mode}"]`)?.textContent ?? '').toContain(text));
    const alarming = prediction.enabled !== false;
    expect(document.querySelector(`[data-guard="${mode}"] .error-text`) !== null).toBe(alarming);
  });

  test('with the guard off, nothing is said about network prediction', async () => {
    setup('policy', { getStatus: () => ({ sync: syncStatus(), settings: settingsView(), guard: guardStatus({ mode: 'off' }) }) }, ruleSources(), {
      enabled: true,
      levelOfControl: 'not_controllable',
      error: null,
    });
    await waitFor(() => expect(document.querySelector('[data-guard="off"]')).not.toBeNull());
    expect(document.querySelector('[data-guard="off"]')?.textContent).not.toContain('prediction');
  });

  test('browser policy: compiled in the page from the rules in force, a report per rule and a download button for each of the seven formats', async () => {
    const { callsOf, downloads } = setup('browser-policy', {
      getRulesInForce: () => ({
        sources: [
          compileSource('profile', [{ host: '*.acme.com', port: '', action: 'useEnrollmentCertificate' }], { label: 'Acme' }),
          compileSource(
            'local',
            [
              { host: 'public.acme.com', port: '', action: 'noCertificate' },
              { host: 'b.example', port: '*443', action: 'useEnrollmentCertificate' },
            ],
            { label: 'local rules' },
          ),
        ],
        certificateFilter: { issuer: { CN: 'Acme Enrollment CA' } },
      }),
    });
    const report = await screen.findByRole('table', { name: 'Report: 3 lines' });
    const rows = within(report).getAllByRole('row');
    expect(rows[1]?.textContent).toContain('Console profile');
    expect(rows[3]?.textContent).toContain('Local rules');
    expect(rows[3]?.textContent).toContain('Rule 2 (index 1)');
    expect(rows[3]?.textContent).toContain('Not expressible');
    const preview = document.querySelector('.policy-preview')?.textContent ?? '';
    expect(preview).toContain('AutoSelectCertificateForUrls');
    expect(preview).toContain('Acme Enrollment CA');
    expect(preview).toContain('[*.]acme.com');
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('button[data-format]')].map((button) => button.dataset['format']);
    expect(buttons).toEqual(['chrome-json', 'chrome-reg', 'chrome-mobileconfig', 'edge-json', 'edge-reg', 'edge-mobileconfig', 'firefox-json']);
    fireEvent.input(screen.getByLabelText('Ports for port patterns (optional)'), { target: { value: '443, 8443' } });
    fireEvent.click(screen.getByRole('button', { name: 'Download: Edge, Windows .reg' }));
    await waitFor(() => expect(downloads).toEqual(['cert-rules-edge.reg']));
    expect(callsOf('getRulesInForce').at(-1)).toEqual({ type: 'getRulesInForce' });
    // With ports given, the *443 rule is written out for the listed ports that match it.
    await waitFor(() => expect(document.querySelector('.policy-preview')?.textContent ?? '').toContain('b.example:443'));
    fireEvent.input(screen.getByLabelText('Ports for port patterns (optional)'), { target: { value: '443, 0' } });
    expect((screen.getByRole('button', { name: 'Download: Edge, Windows .reg' }) as HTMLButtonElement).disabled).toBe(true);
  });

  describe('browser policy: the certificate filter', () => {
    const NOTE_START = 'No certificate filter was given: on these sites Chrome will auto-select any client certificate';
    const rulesInForce = (certificateFilter: { issuer?: { CN?: string; O?: string }; subject?: { O?: string } } | null) => () => ({
      sources: [compileSource('profile', [{ host: '*.acme.com', port: '', action: 'useEnrollmentCertificate' }])],
      certificateFilter,
    });
    const preview = () => document.querySelector('.policy-preview')?.textContent ?? '';
    const warnings = () => [...document.querySelectorAll('[data-warning="any-certificate"]')];
    const downloadButtons = () => document.querySelector('button[data-format]')?.parentElement as HTMLElement;

    test("none set: the CLI's warning next to the downloads and in the preview, and the file name says so", async () => {
      const { downloads } = setup('browser-policy', { getRulesInForce: rulesInForce(null) });
      await waitFor(() => expect(preview()).toContain('AutoSelectCertificateForUrls'));
      expect(preview()).toContain('\\"filter\\":{}');
      expect(warnings()).toHaveLength(2);
      // Right before the download buttons, with a way to set the filter.
      const beside = downloadButtons().previousElementSibling as HTMLElement;
      expect(beside.dataset['warning']).toBe('any-certificate');
      expect(beside.textContent).toContain(NOTE_START);
      fireEvent.click(within(beside).getByRole('button', { name: 'Set the certificate filter' }));
      expect(document.activeElement).toBe(screen.getByLabelText('Issuer common name (CN)'));
      // In the preview, under its heading (the file name says it too).
      expect(screen.getByRole('heading', { name: 'Preview of cert-rules-chrome-any-certificate.json' })).toBeTruthy();
      expect(warnings()[1]?.textContent).toContain(NOTE_START);
      for (const [name, file] of [
        ['Chrome, Linux JSON', 'cert-rules-chrome-any-certificate.json'],
        ['Edge, Windows .reg', 'cert-rules-edge-any-certificate.reg'],
        ['Chrome, macOS .mobileconfig', 'cert-rules-chrome-any-certificate.mobileconfig'],
        ['Firefox, policies.json', 'policies.json'],
      ]) {
        fireEvent.click(screen.getByRole('button', { name: `Download: ${name}` }));
        await waitFor(() => expect(downloads.at(-1)).toBe(file));
      }
    });

    test('typing a filter updates the preview and the downloads; saving stores it as the local setting', async () => {
      const saved: unknown[] = [];
      let stored: { issuer?: { CN?: string; O?: string } } | null = null;
      const { downloads } = setup('browser-policy', {
        getRulesInForce: () => rulesInForce(stored)(),
        setLocalSettings: ({ settings }) => {
          saved.push(settings);
          stored = settings['certificateFilter'] as typeof stored;
          return settingsView();
        },
      });
      await waitFor(() => expect(warnings()).toHaveLength(2));
      fireEvent.input(screen.getByLabelText('Issuer common name (CN)'), { target: { value: '  Acme Enrollment CA ' } });
      fireEvent.input(screen.getByLabelText('Issuer organisation (O)'), { target: { value: 'Acme' } });
      // The warning beside the downloads goes at once; the preview follows once typing settles.
      expect(warnings()).toHaveLength(1);
      await waitFor(() => expect(preview()).toContain('Acme Enrollment CA'));
      expect(warnings()).toHaveLength(0);
      expect(screen.getByRole('heading', { name: 'Preview of cert-rules-chrome.json' })).toBeTruthy();
      expect(screen.getByText('Not saved yet: the preview and the downloads already use it.')).toBeTruthy();
      fireEvent.click(screen.getByRole('button', { name: 'Download: Edge, Linux JSON' }));
      await waitFor(() => expect(downloads).toEqual(['cert-rules-edge.json']));

      fireEvent.click(screen.getByRole('button', { name: 'Save filter' }));
      await waitFor(() => expect(saved).toEqual([{ certificateFilter: { issuer: { CN: 'Acme Enrollment CA', O: 'Acme' } } }]));
      expect(await screen.findByText('Certificate filter saved.')).toBeTruthy();
      expect((screen.getByRole('button', { name: 'Save filter' }) as HTMLButtonElement).disabled).toBe(true);

      // Emptying every field and saving clears the local value.
      fireEvent.input(screen.getByLabelText('Issuer common name (CN)'), { target: { value: '' } });
      fireEvent.input(screen.getByLabelText('Issuer organisation (O)'), { target: { value: ' ' } });
      expect(warnings()).toHaveLength(1);
      fireEvent.click(screen.getByRole('button', { name: 'Save filter' }));
      await waitFor(() => expect(saved.at(-1)).toEqual({ certificateFilter: null }));
    });

    test('the reserved never-match name is refused before anything is saved or downloaded', async () => {
      const { callsOf } = setup('browser-policy', { getRulesInForce: rulesInForce(null), setLocalSettings: () => settingsView() });
      fireEvent.input(await screen.findByLabelText('Subject common name (CN)'), { target: { value: 'never-auto-select.cert-rules.invalid' } });
      expect((await screen.findByText(/is reserved for entries that must match no certificate/)).className).toContain('error-text');
      expect((screen.getByRole('button', { name: 'Save filter' }) as HTMLButtonElement).disabled).toBe(true);
      expect((screen.getByRole('button', { name: 'Download: Chrome, Linux JSON' }) as HTMLButtonElement).disabled).toBe(true);
      expect(callsOf('setLocalSettings')).toEqual([]);
    });

    test("set by policy: shown locked, no save, no offer to set it; the policy's filter is in the export", async () => {
      const settings = settingsView();
      setup('browser-policy', {
        getRulesInForce: rulesInForce({ subject: { O: 'Acme' } }),
        getStatus: () => ({
          sync: syncStatus(),
          settings: { ...settings, origins: { ...settings.origins, certificateFilter: 'policy' } },
          guard: guardStatus(),
        }),
      });
      const field = (await screen.findByLabelText('Subject organisation (O)')) as HTMLInputElement;
      expect(field.value).toBe('Acme');
      expect(field.disabled).toBe(true);
      expect(screen.getByText("Set by your organisation's policy; it cannot be changed here.")).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Save filter' })).toBeNull();
      await waitFor(() => expect(preview()).toContain('Acme'));
      expect(warnings()).toHaveLength(0);
    });

    test('set by policy without any field: warned, but no offer to change it', async () => {
      const settings = settingsView();
      setup('browser-policy', {
        getRulesInForce: rulesInForce({}),
        getStatus: () => ({
          sync: syncStatus(),
          settings: { ...settings, origins: { ...settings.origins, certificateFilter: 'policy' } },
          guard: guardStatus(),
        }),
      });
      await waitFor(() => expect(warnings()).toHaveLength(2));
      expect(screen.queryByRole('button', { name: 'Set the certificate filter' })).toBeNull();
    });
  });

  test('browser policy: no rules in force is explained; a large rule set is exported, not refused', async () => {
    setup('browser-policy', { getRulesInForce: () => ({ sources: [], certificateFilter: null }) });
    expect((await screen.findByText(/no rules are in force/)).textContent).toContain('nothing to export');
    cleanup();
    const many = Array.from({ length: 501 }, (_, i) => ({ host: `h${i}.example`, port: '', action: 'useEnrollmentCertificate' }));
    setup('browser-policy', { getRulesInForce: () => ({ sources: [compileSource('profile', many)], certificateFilter: null }) });
    await waitFor(() => expect(document.querySelector('.policy-preview')?.textContent ?? '').toContain('h0.example'), { timeout: 20_000 });
    expect(document.getElementById('policy-report-heading')?.textContent).toBe('Report: 501 lines');
    // The preview is the start of the file; the download has all of it.
    expect(document.querySelector('.policy-preview')?.textContent?.split('\n')).toHaveLength(400);
    expect(screen.getByText(/^The preview shows the first 400 of \d+ lines; the download has them all\.$/)).toBeTruthy();
    expect(document.querySelector('.error-text')).toBeNull();
  });
});
