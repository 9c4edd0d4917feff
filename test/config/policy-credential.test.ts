import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_BOUND_KEYS,
  DEFAULT_SETTINGS,
  lockedKeys,
  mergeSettings,
  parseLocalSettings,
  parseManagedPolicy,
  policySuppliesCredential,
  type LocalSettings,
} from '../../src/config/index';
import { credentialBoundToConsole, policyCredentialInForce, profileAdminAllowed, usesOwnCredentials } from '../../src/shared/credential-owner';
import { redactSettings } from '../../src/config/index';
import { propertyRuns } from '../helpers/property-runs';

const LOCAL_CONSOLE = 'http://127.0.0.1:9/';
const POLICY_CONSOLE = 'https://console.example.com/mocana-app-control/rest/';

/** Everything a user could set locally to redirect a credential. */
const USER_CHOICES = {
  consoleUrl: LOCAL_CONSOLE,
  authMode: 'form',
  username: 'me@example.com',
  password: 'my-own-password',
  token: 'my-own-token',
  profileId: 'permissive-profile',
  syncIntervalMinutes: 60,
} as const;

const merged = (policy: Record<string, unknown>, local: Record<string, unknown> = USER_CHOICES) => {
  const checked = parseLocalSettings(local);
  expect(checked.errors).toEqual([]);
  return mergeSettings(parseManagedPolicy(policy), checked.values);
};

describe('a credential from policy is bound to the policy', () => {
  it('form credentials without a consoleUrl in policy: no console at all, never the local one', () => {
    const settings = merged({ authMode: 'form', username: 'svc@example.com', password: 'policy-password' });
    expect(settings.values).toMatchObject({
      consoleUrl: '',
      authMode: 'form',
      username: 'svc@example.com',
      password: 'policy-password',
      token: '',
      profileId: '',
    });
    for (const key of CREDENTIAL_BOUND_KEYS) expect(settings.origins[key], key).toBe('policy');
    expect(lockedKeys(settings)).toEqual(expect.arrayContaining([...CREDENTIAL_BOUND_KEYS]));
    // Not a credential: stays the user's.
    expect(settings.values.syncIntervalMinutes).toBe(60);
    expect(settings.origins.syncIntervalMinutes).toBe('local');
    expect(settings.policyWarnings.map((warning) => warning.key)).toEqual(['consoleUrl']);
    expect(JSON.stringify(settings)).not.toContain(LOCAL_CONSOLE);
  });

  it('a bearer token without a consoleUrl in policy goes nowhere either', () => {
    const settings = merged({ authMode: 'bearer', token: 'policy-token' });
    expect(settings.values).toMatchObject({ consoleUrl: '', authMode: 'bearer', token: 'policy-token', username: '', password: '', profileId: '' });
    expect(settings.origins.consoleUrl).toBe('policy');
  });

  it("with the policy's console: the policy's profile, and an empty one is the console's default, not the user's", () => {
    const withDefault = merged({ consoleUrl: POLICY_CONSOLE, authMode: 'form', username: 'svc@example.com', password: 'pw' });
    expect(withDefault.values.consoleUrl).toBe(POLICY_CONSOLE);
    expect(withDefault.values.profileId).toBe('');
    expect(withDefault.origins.profileId).toBe('policy');
    expect(withDefault.policyWarnings).toEqual([]);

    const named = merged({ consoleUrl: POLICY_CONSOLE, authMode: 'form', username: 'svc@example.com', password: 'pw', profileId: 'org-profile' });
    expect(named.values.profileId).toBe('org-profile');

    const explicitEmpty = merged({ consoleUrl: POLICY_CONSOLE, authMode: 'bearer', token: 't', profileId: '' });
    expect(explicitEmpty.values.profileId).toBe('');
    expect(explicitEmpty.origins.profileId).toBe('policy');
  });

  it("takes the auth mode from policy or the default, never the user's, and warns when policy names none", () => {
    const settings = merged({ consoleUrl: POLICY_CONSOLE, password: 'pw' }, { ...USER_CHOICES, authMode: 'form' });
    expect(settings.values.authMode).toBe(DEFAULT_SETTINGS.authMode);
    expect(settings.origins.authMode).toBe('policy');
    expect(settings.policyWarnings.map((warning) => warning.key)).toEqual(['authMode']);
  });

  it('a user name from policy binds too: a local password cannot complete it for another console', () => {
    const settings = merged({ username: 'svc@example.com', authMode: 'form' });
    expect(settings.values).toMatchObject({ consoleUrl: '', username: 'svc@example.com', password: '', token: '', profileId: '' });
    expect(settings.origins.password).toBe('policy');
  });

  it('an invalid policy consoleUrl becomes "" (no sync), not the local one', () => {
    const settings = merged({ consoleUrl: 'http://console.example.com/rest/', authMode: 'form', username: 'u', password: 'pw' });
    expect(settings.values.consoleUrl).toBe('');
    expect(settings.policyErrors.map((error) => error.key)).toEqual(['consoleUrl']);
  });

  it('the page view says a secret is set, and never what it is', () => {
    const redacted = redactSettings(merged({ consoleUrl: POLICY_CONSOLE, authMode: 'form', username: 'u', password: 'policy-password' }));
    expect(JSON.stringify(redacted)).not.toContain('policy-password');
    expect(policyCredentialInForce(redacted)).toBe(true);
  });

  it('holds for any local settings and any policy that supplies a credential', () => {
    const text = fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 8 }));
    const policy = fc
      .record(
        {
          consoleUrl: fc.constantFrom(POLICY_CONSOLE, ''),
          authMode: fc.constantFrom('form', 'bearer', 'browserSession'),
          username: text,
          password: text,
          token: text,
          profileId: fc.constantFrom('', 'org-profile'),
        },
        { requiredKeys: [] },
      )
      .filter((candidate) => [candidate.username, candidate.password, candidate.token].some((value) => value !== undefined && value !== ''));
    const local = fc.record(
      {
        consoleUrl: fc.constantFrom(LOCAL_CONSOLE, 'https://other.example.com/rest/', ''),
        authMode: fc.constantFrom('form', 'bearer', 'browserSession'),
        username: text,
        password: text,
        token: text,
        profileId: fc.constantFrom('', 'permissive-profile'),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(policy, local, (policyValues, localValues) => {
        const managed = parseManagedPolicy(policyValues);
        const settings = mergeSettings(managed, parseLocalSettings(localValues).values as LocalSettings);
        expect(policySuppliesCredential(managed)).toBe(true);
        for (const key of CREDENTIAL_BOUND_KEYS) {
          expect(settings.values[key], key).toBe(managed.values[key] ?? DEFAULT_SETTINGS[key]);
          expect(settings.origins[key], key).toBe('policy');
        }
        expect(credentialBoundToConsole(settings)).toBe(true);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});

describe('a credential of the user keeps the user in charge', () => {
  it('a local password: the local console and profile are used', () => {
    const settings = merged({ guard: 'warn', syncIntervalMinutes: 120 });
    expect(settings.values).toMatchObject({ consoleUrl: LOCAL_CONSOLE, authMode: 'form', password: 'my-own-password', profileId: 'permissive-profile' });
    expect(settings.origins.consoleUrl).toBe('local');
    expect(lockedKeys(settings).sort()).toEqual(['guard', 'syncIntervalMinutes']);
    expect(settings.policyWarnings).toEqual([]);
  });

  it("a policy console with the user's own sign-in: the policy's console, the user's profile choice", () => {
    const settings = merged({ consoleUrl: POLICY_CONSOLE });
    expect(settings.values).toMatchObject({ consoleUrl: POLICY_CONSOLE, password: 'my-own-password', profileId: 'permissive-profile' });
    expect(settings.origins.profileId).toBe('local');
  });

  it('empty credential values in policy supply nothing and bind nothing', () => {
    const managed = parseManagedPolicy({ username: '', password: '', token: '' });
    expect(policySuppliesCredential(managed)).toBe(false);
    const settings = mergeSettings(managed, parseLocalSettings({ consoleUrl: LOCAL_CONSOLE, profileId: 'p' }).values);
    expect(settings.values.consoleUrl).toBe(LOCAL_CONSOLE);
    expect(settings.values.password).toBe('');
    expect(settings.origins.password).toBe('policy');
  });

  it('a secret of the wrong type in policy is reported and supplies nothing', () => {
    const managed = parseManagedPolicy({ password: 1234 });
    expect(managed.errors.map((error) => error.key)).toEqual(['password']);
    expect(policySuppliesCredential(managed)).toBe(false);
  });
});

describe('whose credentials are in force', () => {
  it("the user's: browser session, or a password or token entered locally", () => {
    expect(usesOwnCredentials(merged({}, { consoleUrl: LOCAL_CONSOLE, authMode: 'browserSession' }))).toBe(true);
    expect(usesOwnCredentials(merged({ consoleUrl: POLICY_CONSOLE }))).toBe(true);
    expect(usesOwnCredentials(merged({ consoleUrl: POLICY_CONSOLE }, { authMode: 'bearer', token: 'mine' }))).toBe(true);
    // The policy may name the browser session and still leave a stray password: nothing of it is sent.
    expect(usesOwnCredentials(merged({ consoleUrl: POLICY_CONSOLE, authMode: 'browserSession', password: 'unused' }))).toBe(true);
  });

  it("the policy's: any non-empty user name, password or token from policy", () => {
    for (const policy of [
      { password: 'pw', authMode: 'form' },
      { token: 't', authMode: 'bearer' },
      { username: 'svc', authMode: 'form' },
    ]) {
      const settings = merged({ consoleUrl: POLICY_CONSOLE, ...policy });
      expect(usesOwnCredentials(settings), JSON.stringify(policy)).toBe(false);
      expect(profileAdminAllowed(settings), JSON.stringify(policy)).toBe(false);
      expect(profileAdminAllowed(merged({ consoleUrl: POLICY_CONSOLE, ...policy, allowProfileAdmin: true })), JSON.stringify(policy)).toBe(true);
      expect(profileAdminAllowed(merged({ consoleUrl: POLICY_CONSOLE, ...policy, allowProfileAdmin: false })), JSON.stringify(policy)).toBe(false);
    }
  });

  it('answers the same from the redacted view the options page gets', () => {
    const policyCredential = merged({ consoleUrl: POLICY_CONSOLE, authMode: 'bearer', token: 'policy-token' });
    expect(profileAdminAllowed(redactSettings(policyCredential))).toBe(false);
    expect(profileAdminAllowed(redactSettings(merged({})))).toBe(true);
  });
});

describe('the check at the point of use', () => {
  it('refuses a policy secret with a console URL that is not from policy, whatever produced the settings', () => {
    // Settings as a faulty merge might leave them: the local console with the policy's password.
    const faulty = merged({}, { consoleUrl: LOCAL_CONSOLE, authMode: 'form', username: 'u', password: 'pw' });
    expect(credentialBoundToConsole(faulty)).toBe(true);
    expect(credentialBoundToConsole({ ...faulty, origins: { ...faulty.origins, password: 'policy' } })).toBe(false);
    expect(credentialBoundToConsole({ ...faulty, origins: { ...faulty.origins, username: 'policy' } })).toBe(false);
    expect(credentialBoundToConsole({ ...faulty, origins: { ...faulty.origins, password: 'policy', consoleUrl: 'policy' } })).toBe(true);
    const bearer = merged({}, { consoleUrl: LOCAL_CONSOLE, authMode: 'bearer', token: 'tok' });
    expect(credentialBoundToConsole({ ...bearer, origins: { ...bearer.origins, token: 'policy' } })).toBe(false);
    // A browser session sends no secret, wherever it came from.
    const session = merged({}, { consoleUrl: LOCAL_CONSOLE, authMode: 'browserSession', password: 'pw' });
    expect(credentialBoundToConsole({ ...session, origins: { ...session.origins, password: 'policy' } })).toBe(true);
  });
});
