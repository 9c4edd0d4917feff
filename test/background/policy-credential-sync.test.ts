// The background's sync, end to end in Node: settings merged from a policy and
// local settings, the sync controller, the console client, and a fetch that records
// every request. A policy's password or token must never leave for a console
// URL the user chose.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SyncController } from '../../src/background/sync-controller';
import { backgroundConsoleClient, type AlarmsApi } from '../../src/background/sync-service';
import { mergeSettings, parseLocalSettings, parseManagedPolicy, type EffectiveSettings } from '../../src/config/index';
import { ConsoleError } from '../../src/console/index';
import { CORPORATE_PROFILE_ID, DEMO_USER, PATTERNS_PROFILE_ID, startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { createMemorySessionArea } from './memory-session-area';
import { carries, recordingFetch, startListener, type SentRequest } from './recording-fetch';

const POLICY_PASSWORD = 'policy-password-5f2c9';
const POLICY_TOKEN = 'policy-token-a81d3';

let emulator: ConsoleEmulator;
let listener: Awaited<ReturnType<typeof startListener>>;
let sent: SentRequest[];

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  listener = await startListener();
});
afterAll(async () => {
  await emulator.close();
  await listener.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
  listener.received.length = 0;
});

function settingsOf(policy: Record<string, unknown>, local: Record<string, unknown>): EffectiveSettings {
  const checked = parseLocalSettings(local);
  expect(checked.errors).toEqual([]);
  return mergeSettings(parseManagedPolicy(policy), checked.values);
}

const alarms = (): AlarmsApi => ({ create: () => undefined, get: async () => undefined, clear: async () => true });

/** One sync as the background runs it, with every request recorded. */
async function syncWith(settings: EffectiveSettings) {
  const recorder = recordingFetch();
  sent = recorder.sent;
  vi.stubGlobal('fetch', recorder.fetch);
  return new SyncController({
    area: createMemorySessionArea(),
    alarms: alarms(),
    settings: () => settings,
    summary: () => null,
    reload: async () => undefined,
  }).syncNow();
}

const origins = () => [...new Set(sent.map((request) => new URL(request.url).origin))];

describe('a secret from policy never reaches a console the user chose', () => {
  it('a form password from a policy without consoleUrl: nothing is sent anywhere', async () => {
    const settings = settingsOf(
      { authMode: 'form', username: DEMO_USER.email, password: POLICY_PASSWORD },
      { consoleUrl: listener.url, authMode: 'form', profileId: PATTERNS_PROFILE_ID },
    );
    const outcome = await syncWith(settings);
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.code).toBe('config');
    expect(sent).toEqual([]);
    expect(listener.received).toEqual([]);
  });

  it('a bearer token from a policy without consoleUrl: nothing is sent anywhere', async () => {
    const settings = settingsOf({ authMode: 'bearer', token: POLICY_TOKEN }, { consoleUrl: listener.url, authMode: 'bearer' });
    const outcome = await syncWith(settings);
    expect(outcome.error?.code).toBe('config');
    expect(sent).toEqual([]);
    expect(listener.received).toEqual([]);
  });

  it("a policy user name with the user's own password does not go to the user's console either", async () => {
    const settings = settingsOf({ authMode: 'form', username: DEMO_USER.email }, { consoleUrl: listener.url, password: DEMO_USER.password });
    await syncWith(settings);
    expect(sent).toEqual([]);
    expect(listener.received).toEqual([]);
  });

  it("with the policy's console: every request goes there, for the policy's profile, never to the local one", async () => {
    const settings = settingsOf(
      { consoleUrl: emulator.url, authMode: 'form', username: DEMO_USER.email, password: DEMO_USER.password },
      { consoleUrl: listener.url, profileId: PATTERNS_PROFILE_ID },
    );
    const outcome = await syncWith(settings);
    expect(outcome.ok).toBe(true);
    // Empty profileId in policy: the console's default, not the profile the user picked.
    expect(outcome.profile?.id).toBe(CORPORATE_PROFILE_ID);
    expect(origins()).toEqual([emulator.origin]);
    expect(carries(sent, DEMO_USER.password).length).toBeGreaterThan(0);
    expect(sent.some((request) => request.url.includes(PATTERNS_PROFILE_ID))).toBe(false);
    expect(listener.received).toEqual([]);
  });

  it("a bearer token with the policy's console is sent there only", async () => {
    const settings = settingsOf({ consoleUrl: emulator.url, authMode: 'bearer', token: DEMO_USER.token }, { consoleUrl: listener.url, authMode: 'form' });
    const outcome = await syncWith(settings);
    expect(outcome.ok).toBe(true);
    expect(origins()).toEqual([emulator.origin]);
    expect(sent.every((request) => request.headers['authorization'] === `Bearer ${DEMO_USER.token}`)).toBe(true);
    expect(listener.received).toEqual([]);
  });
});

describe("the user's own credentials keep going where the user says", () => {
  it('a locally entered password reaches the local console (so the recorder does see a sent password)', async () => {
    const settings = settingsOf({ guard: 'warn' }, { consoleUrl: listener.url, authMode: 'form', username: 'me@example.com', password: 'my-own-password' });
    await syncWith(settings);
    expect(origins()).toEqual([new URL(listener.url).origin]);
    expect(carries(sent, 'my-own-password').map((request) => request.method)).toEqual(['POST']);
    expect(listener.received.some((request) => request.body.includes('j_password=my-own-password'))).toBe(true);
  });
});

describe('the console client refuses a policy secret for a console not from policy', () => {
  // Settings as a faulty merge might leave them: the check at the point of use still holds.
  const unbound = (authMode: 'form' | 'bearer', key: 'password' | 'token' | 'username'): EffectiveSettings => {
    const settings = settingsOf({}, { consoleUrl: listener.url, authMode, username: 'u@example.com', password: POLICY_PASSWORD, token: POLICY_TOKEN });
    return { ...settings, origins: { ...settings.origins, [key]: 'policy' } };
  };

  for (const [authMode, key] of [
    ['form', 'password'],
    ['form', 'username'],
    ['bearer', 'token'],
  ] as const) {
    it(`${authMode} with the ${key} from policy and a local consoleUrl: no client, no request`, async () => {
      const settings = unbound(authMode, key);
      expect(() => backgroundConsoleClient(settings)).toThrow(ConsoleError);
      const outcome = await syncWith(settings);
      expect(outcome.error?.code).toBe('config');
      expect(outcome.error?.message).toContain('only sent to the console the policy names');
      expect(sent).toEqual([]);
      expect(listener.received).toEqual([]);
    });
  }

  it('the same settings with the console URL from policy make a client', () => {
    const settings = unbound('form', 'password');
    expect(() => backgroundConsoleClient({ ...settings, origins: { ...settings.origins, consoleUrl: 'policy' } })).not.toThrow();
  });
});
