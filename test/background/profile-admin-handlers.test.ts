// The background's console profile requests: refused before any console call
// while the policy's credentials are in force, unless the policy allows it with
// allowProfileAdmin; always available with the user's own sign-in.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HandlerParts } from '../../src/background/handlers';
import { mergeSettings, parseLocalSettings, parseManagedPolicy } from '../../src/config/index';
import type { RequestOf, RequestType } from '../../src/shared/messages';
import { CORPORATE_PROFILE_ID, DEMO_ADMIN, PATTERNS_PROFILE_ID, startConsoleEmulator, type ConsoleEmulator } from '../console/emulator/index';
import { recordingFetch, type SentRequest } from './recording-fetch';

// handlers.ts reaches the extension API through platform.ts when it loads.
vi.hoisted(() => {
  (globalThis as { chrome?: unknown }).chrome = { runtime: { id: 'kebbolecefaiafmemkajogjapghbkmfl' } };
});
const { createHandlers, PROFILE_ADMIN_REFUSED } = await import('../../src/background/handlers');
const { HandlerError } = await import('../../src/background/router');

let emulator: ConsoleEmulator;
let sent: SentRequest[];

beforeAll(async () => {
  emulator = await startConsoleEmulator();
});
afterAll(async () => {
  await emulator.close();
  delete (globalThis as { chrome?: unknown }).chrome;
});
beforeEach(() => {
  const recorder = recordingFetch();
  sent = recorder.sent;
  vi.stubGlobal('fetch', recorder.fetch);
});
afterEach(() => vi.unstubAllGlobals());

function handlersFor(policy: Record<string, unknown>, local: Record<string, unknown> = {}) {
  const checked = parseLocalSettings(local);
  expect(checked.errors).toEqual([]);
  const settings = mergeSettings(parseManagedPolicy(policy), checked.values);
  return createHandlers({ rules: { settings } } as unknown as HandlerParts);
}

type AdminRequest = Exclude<Extract<RequestType, `console${string}`>, 'consoleAccount'>;

/** One request of each profile kind, with the arguments a page would send. */
const ADMIN_REQUESTS: { [T in AdminRequest]: Omit<RequestOf<T>, 'type'> } = {
  consoleListProfiles: {},
  consoleGetProfile: { profileId: CORPORATE_PROFILE_ID },
  consoleSaveProfile: { profileId: null, name: 'Permissive', description: '', rules: [{ host: '*', port: '*', action: 'useEnrollmentCertificate' }] },
  consoleArchiveProfile: { profileId: CORPORATE_PROFILE_ID },
  consoleSetDefaultProfile: { profileId: PATTERNS_PROFILE_ID },
};

/** What the router passes along: the options page. */
const OPTIONS_PAGE = { id: 'kebbolecefaiafmemkajogjapghbkmfl', url: 'chrome-extension://kebbolecefaiafmemkajogjapghbkmfl/src/ui/options/index.html' };

async function call<T extends AdminRequest>(handlers: ReturnType<typeof createHandlers>, type: T): Promise<unknown> {
  const handler = handlers[type] as unknown as (request: RequestOf<T>, sender: typeof OPTIONS_PAGE) => Promise<unknown>;
  return handler({ type, ...ADMIN_REQUESTS[type] } as RequestOf<T>, OPTIONS_PAGE);
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(HandlerError);
  return error as { code: string; message: string };
}

const policyForm = () => ({ consoleUrl: emulator.url, authMode: 'form', username: DEMO_ADMIN.email, password: DEMO_ADMIN.password });
const policyBearer = () => ({ consoleUrl: emulator.url, authMode: 'bearer', token: DEMO_ADMIN.token });

describe("profile requests with the policy's credentials", () => {
  for (const [label, policy] of [
    ['form login', policyForm],
    ['bearer token', policyBearer],
    ['user name only', () => ({ consoleUrl: emulator.url, authMode: 'form', username: DEMO_ADMIN.email })],
  ] as const) {
    it(`${label}: every profile request is refused before the console is asked`, async () => {
      const handlers = handlersFor(policy(), { authMode: 'browserSession', profileId: PATTERNS_PROFILE_ID });
      const defaultBefore = emulator.model.defaultProfileId;
      for (const type of Object.keys(ADMIN_REQUESTS) as AdminRequest[]) {
        const error = await refusal(call(handlers, type));
        expect(error.code, type).toBe('managed');
        expect(error.message, type).toBe(PROFILE_ADMIN_REFUSED);
      }
      expect(sent).toEqual([]);
      expect(emulator.model.defaultProfileId).toBe(defaultBefore);
    });
  }

  it('allowProfileAdmin: true lets them run with the policy account', async () => {
    const handlers = handlersFor({ ...policyForm(), allowProfileAdmin: true });
    const catalog = (await call(handlers, 'consoleListProfiles')) as { id: string; isDefault: boolean }[];
    expect(catalog.map((profile) => profile.id)).toContain(CORPORATE_PROFILE_ID);
    const profile = (await call(handlers, 'consoleGetProfile')) as { id: string; rules: unknown[] };
    expect(profile.id).toBe(CORPORATE_PROFILE_ID);
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent.map((request) => new URL(request.url).origin))).toEqual(new Set([emulator.origin]));
  });

  it('allowProfileAdmin: false is the same as unset', async () => {
    const handlers = handlersFor({ ...policyBearer(), allowProfileAdmin: false });
    expect((await refusal(call(handlers, 'consoleListProfiles'))).code).toBe('managed');
    expect(sent).toEqual([]);
  });

  it('the account check is not profile administration and still runs', async () => {
    const handlers = handlersFor(policyForm());
    await expect(handlers.consoleAccount({ type: 'consoleAccount' }, OPTIONS_PAGE)).resolves.toEqual({ email: DEMO_ADMIN.email, admin: true });
  });
});

describe("profile requests with the user's own credentials", () => {
  it('a password entered locally, with the policy naming the console: allowed', async () => {
    const handlers = handlersFor({ consoleUrl: emulator.url }, { authMode: 'form', username: DEMO_ADMIN.email, password: DEMO_ADMIN.password });
    const catalog = (await call(handlers, 'consoleListProfiles')) as { id: string }[];
    expect(catalog.map((profile) => profile.id)).toContain(PATTERNS_PROFILE_ID);
    await call(handlers, 'consoleSetDefaultProfile');
    expect(emulator.model.defaultProfileId).toBe(PATTERNS_PROFILE_ID);
    await handlersFor({}, { consoleUrl: emulator.url, authMode: 'bearer', token: DEMO_ADMIN.token }).consoleSetDefaultProfile(
      { type: 'consoleSetDefaultProfile', profileId: CORPORATE_PROFILE_ID },
      OPTIONS_PAGE,
    );
    expect(emulator.model.defaultProfileId).toBe(CORPORATE_PROFILE_ID);
  });

  it("the browser session is the user's own even when the policy leaves a credential unused", async () => {
    const handlers = handlersFor({ consoleUrl: emulator.url, authMode: 'browserSession', password: 'unused' });
    // Not refused by policy: the console answers (here: not signed in in this browser).
    const error = await refusal(call(handlers, 'consoleListProfiles'));
    expect(error.code).toBe('console:auth');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((request) => !JSON.stringify(request).includes('unused'))).toBe(true);
  });
});
