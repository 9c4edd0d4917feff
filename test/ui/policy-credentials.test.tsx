// @vitest-environment jsdom
// The options page when the policy supplies the console credentials: the
// console, sign-in and profile shown locked with the reason, no profile list or
// administration with the policy's account unless allowProfileAdmin, and the
// note that a secret typed here is stored unencrypted.
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SettingsView } from '../../src/shared/status';
import { Options } from '../../src/ui/options/options-app';
import type { SectionId } from '../../src/ui/options/sections';
import { SyncSettingsForm } from '../../src/ui/options/sync-settings-form';
import { fakeSender, type Handlers } from './helpers/fake-sender';
import { guardStatus, NOW, ruleSources, settingsView, syncStatus } from './helpers/fixtures';
import { englishCatalog, useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

const text = (key: string) => englishCatalog()[key]!.message;
const POLICY_CONSOLE = 'https://console.example.com/mocana-app-control/rest/';

/** The view the background sends when the policy supplies a form login (mergeSettings binds the rest). */
function policyCredentialView(policy: { consoleUrl?: string; profileId?: string; allowProfileAdmin?: boolean } = {}): SettingsView {
  const view = settingsView({ managedPresent: true });
  Object.assign(view.values, {
    consoleUrl: policy.consoleUrl ?? '',
    authMode: 'form',
    username: 'svc@example.com',
    password: { set: true },
    token: { set: false },
    profileId: policy.profileId ?? '',
    allowProfileAdmin: policy.allowProfileAdmin ?? false,
  });
  for (const key of ['consoleUrl', 'authMode', 'username', 'password', 'token', 'profileId'] as const) view.origins[key] = 'policy';
  view.origins['allowProfileAdmin'] = policy.allowProfileAdmin === undefined ? 'default' : 'policy';
  return view;
}

function setup(section: SectionId, settings: SettingsView, handlers: Handlers = {}) {
  const fake = fakeSender({
    getRuleSources: () => ruleSources(),
    getStatus: () => ({ sync: syncStatus(), settings, guard: guardStatus() }),
    consoleAccount: () => ({ email: 'admin@example.com', admin: true }),
    consoleListProfiles: () => [{ id: 'p1', name: 'Corporate', description: '', isDefault: true }],
    ...handlers,
  });
  render(<Options sender={fake.sender} initialSection={section} now={() => NOW} download={() => undefined} />);
  return fake;
}

describe('sync settings with a credential from policy', () => {
  test('no console in policy: says nothing is synced and why; no field to enter one', async () => {
    setup('sync', policyCredentialView());
    expect(await screen.findByText(text('sync_policyCredentialsNoConsole'))).toBeTruthy();
    expect(screen.queryByLabelText('Console URL')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Load profiles' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
  });

  test("the policy's console: console, reason and the profile, all locked", async () => {
    setup('sync', policyCredentialView({ consoleUrl: POLICY_CONSOLE }));
    expect(await screen.findByText(/The console is set by your organisation's policy/)).toBeTruthy();
    expect(screen.getByText(text('sync_policyCredentials'))).toBeTruthy();
    expect(screen.getByText(`Profile: ${text('sync_profileDefault')}`)).toBeTruthy();
    expect(screen.queryByLabelText('Profile')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Load profiles' })).toBeNull();
  });

  test('a profile named by policy is shown as such', async () => {
    setup('sync', policyCredentialView({ consoleUrl: POLICY_CONSOLE, profileId: 'org-profile' }));
    expect(await screen.findByText('Profile: org-profile')).toBeTruthy();
  });

  test('the form itself locks the profile picker and offers no profile list with a policy credential', () => {
    const view = policyCredentialView({ consoleUrl: POLICY_CONSOLE });
    render(<SyncSettingsForm settings={view} sender={fakeSender({}).sender} onSaved={() => undefined} />);
    expect((screen.getByLabelText('Profile') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText('Console URL') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText('Sign-in method') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Load profiles' })).toBeNull();
  });

  test('a profile field left open with a policy credential in force still offers no list, and says why', () => {
    const view = policyCredentialView({ consoleUrl: POLICY_CONSOLE });
    view.origins['profileId'] = 'default';
    render(<SyncSettingsForm settings={view} sender={fakeSender({}).sender} onSaved={() => undefined} />);
    expect(screen.queryByRole('button', { name: 'Load profiles' })).toBeNull();
    expect(screen.getByText(text('sync_catalogNotAllowed'))).toBeTruthy();
  });
});

describe('the storage note next to a secret typed here', () => {
  test('password: the note is next to the field and describes it', async () => {
    setup('sync', settingsView());
    const password = await screen.findByLabelText('Password');
    const note = screen.getByText(text('sync_secretStoredInClear'));
    expect(password.getAttribute('aria-describedby')?.split(' ')).toContain(note.id);
    expect(note.textContent).toMatch(/unencrypted/);
  });

  test('token: the same note', async () => {
    const view = settingsView();
    view.values['authMode'] = 'bearer';
    setup('sync', view);
    const token = await screen.findByLabelText('Access token', { selector: 'input' });
    const note = screen.getByText(text('sync_secretStoredInClear'));
    expect(token.getAttribute('aria-describedby')?.split(' ')).toContain(note.id);
  });

  test('a secret set by policy is not stored here: no note', () => {
    const view = settingsView();
    view.origins['password'] = 'policy';
    render(<SyncSettingsForm settings={view} sender={fakeSender({}).sender} onSaved={() => undefined} />);
    expect((screen.getByLabelText('Password') as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByText(text('sync_secretStoredInClear'))).toBeNull();
  });

  test('the browser session stores nothing: no note', () => {
    const view = settingsView();
    view.values['authMode'] = 'browserSession';
    render(<SyncSettingsForm settings={view} sender={fakeSender({}).sender} onSaved={() => undefined} />);
    expect(screen.queryByText(text('sync_secretStoredInClear'))).toBeNull();
  });
});

describe('console profiles with a credential from policy', () => {
  test('hidden from a console admin signed in with the policy account, and the address says why', async () => {
    const { callsOf } = setup('profiles', policyCredentialView({ consoleUrl: POLICY_CONSOLE }));
    expect(await screen.findByText(text('profiles_policyCredentials'))).toBeTruthy();
    const nav = screen.getByRole('navigation');
    expect(within(nav).queryByRole('link', { name: 'Console profiles' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Create profile' })).toBeNull();
    expect(callsOf('consoleListProfiles')).toHaveLength(0);
  });

  test('allowProfileAdmin: shown and listed', async () => {
    const { callsOf } = setup('profiles', policyCredentialView({ consoleUrl: POLICY_CONSOLE, allowProfileAdmin: true }));
    expect(await screen.findByRole('button', { name: 'Open Corporate' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create profile' })).toBeTruthy();
    expect(within(screen.getByRole('navigation')).getByRole('link', { name: 'Console profiles' })).toBeTruthy();
    expect(callsOf('consoleListProfiles')).toHaveLength(1);
  });

  test("the user's own sign-in: shown as before", async () => {
    setup('profiles', settingsView());
    expect(await screen.findByRole('button', { name: 'Open Corporate' })).toBeTruthy();
  });
});

describe('policy section', () => {
  test("lists allowProfileAdmin and says why the console settings are the policy's", async () => {
    setup('policy', policyCredentialView({ consoleUrl: POLICY_CONSOLE, allowProfileAdmin: true }));
    const row = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('[data-setting="allowProfileAdmin"]');
      if (!found) throw new Error('no row yet');
      return found;
    });
    expect(row.textContent).toContain(text('policy_keyAllowProfileAdmin'));
    expect(row.getAttribute('data-origin')).toBe('policy');
    expect(screen.getByText(text('policy_credentialBound'))).toBeTruthy();
  });
});
