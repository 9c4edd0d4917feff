/**
 * What one sync sends, learned from the product's own code: the real console
 * client and the real sync (runSync) run against the console emulator through
 * a fetch that behaves as a browser's does for the extension's worker
 * (cookies in the browser's jar, a sign-in's redirect hidden). Each kind of
 * sync the simulation meets is run once here, and the requests it made, their
 * answers' sizes and its outcome are what every simulated sync of that kind
 * costs the console.
 */
import { createConsoleClient, type ConsoleAuth } from '../../src/console/client';
import type { SyncClient } from '../../src/sync/run-sync';
import { runSync } from '../../src/sync/run-sync';
import { syncSettings } from '../../src/sync/settings';
import { createMemoryStorage } from '../../src/sync/storage';
import type { SyncState } from '../../src/sync/state';
import { browserLikeFetch } from '../../test/console/browser-fetch';
import { startConsoleEmulator, type ConsoleEmulator } from '../../test/console/emulator/index';
import { DEMO_USER } from '../../test/console/emulator/seed';

export type AuthMode = 'form' | 'bearer' | 'browserSession';
/** How the console answers: normally, not at all (connection refused), or HTTP 503 with Retry-After: 120. */
export type Condition = 'ok' | 'refused' | 'unavailable';
export type RequestKind = 'login' | 'ping' | 'default' | 'profile';
export const REQUEST_KINDS: readonly RequestKind[] = ['login', 'ping', 'default', 'profile'];

export interface SyncCase {
  /** The baseline's client: every sign-in confirmed with GET user/ping. */
  confirmSignIn: boolean;
  auth: AuthMode;
  /** Form login: whether the client tries the browser's session first (sessionWorthTrying). */
  tried: boolean;
  /** Form login: whether the browser holds a session the console still knows. */
  live: boolean;
  condition: Condition;
}

export interface SentRequest {
  kind: RequestKind;
  /** The answer's body, in bytes (0 for a connection refused). */
  bytes: number;
  /** The connection was refused: the console never saw it. */
  refused: boolean;
}

export interface SyncCost {
  requests: SentRequest[];
  ok: boolean;
  /** The failure as the sync state records it (what the schedule reads), or null. */
  error: SyncState['lastError'];
}

const CONSOLE_ID = '4c1f3a52-9d8e-4b7a-8c6d-2e1f0a9b8c7d';

/** Realistic rules: mostly allow rules for intranet hosts, every tenth a deny rule. */
export function profileRules(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    host: i % 10 === 9 ? `public-${i}.corp.example.com` : `app-${i}.corp.example.com`,
    port: i % 3 === 0 ? '' : '*443',
    action: i % 10 === 9 ? 'noCertificate' : 'useEnrollmentCertificate',
  }));
}

export interface Calibration {
  cost(sync: SyncCase): SyncCost;
  /** The bytes of one profile answer. */
  profileBytes: number;
  close(): Promise<void>;
}

/** Starts the emulator with one default profile of `rules` rules, and learns every kind of sync on it. */
export async function calibrate(rules: number): Promise<Calibration> {
  const emulator = await startConsoleEmulator({
    seed: {
      accounts: [DEMO_USER],
      profiles: [{ id: CONSOLE_ID, name: 'Corporate', description: 'Default Profile', rules: profileRules(rules) }],
      defaultProfileId: CONSOLE_ID,
    },
    loginStyle: 'redirect',
  });
  const costs = new Map<string, SyncCost>();
  try {
    for (const confirmSignIn of [false, true]) {
      for (const auth of ['form', 'bearer', 'browserSession'] as const) {
        for (const tried of [false, true]) {
          for (const live of [false, true]) {
            for (const condition of ['ok', 'refused', 'unavailable'] as const) {
              const sync = { confirmSignIn, auth, tried, live, condition };
              if (!costs.has(keyOf(sync))) costs.set(keyOf(sync), await measure(emulator, sync));
            }
          }
        }
      }
    }
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const profileBytes =
    costs.get(keyOf({ confirmSignIn: false, auth: 'bearer', tried: false, live: true, condition: 'ok' }))?.requests.find((r) => r.kind === 'profile')?.bytes ??
    0;
  return {
    profileBytes,
    cost(sync) {
      const cost = costs.get(keyOf(sync));
      if (!cost) throw new Error(`no calibration for ${keyOf(sync)}`);
      return cost;
    },
    close: () => emulator.close(),
  };
}

function keyOf(sync: SyncCase): string {
  // Only form login has a session of its own to try or to lose.
  const session = sync.auth === 'form' ? `${sync.confirmSignIn}/${sync.tried}/${sync.live}` : '-';
  return `${sync.auth}/${session}/${sync.condition}`;
}

/** One sync of this kind, on a fresh browser, with the requests it sent. */
async function measure(emulator: ConsoleEmulator, sync: SyncCase): Promise<SyncCost> {
  emulator.clearFaults();
  const browser = browserLikeFetch();
  const form: ConsoleAuth = { kind: 'form', username: DEMO_USER.email, password: DEMO_USER.password };
  const auth: ConsoleAuth = sync.auth === 'form' ? form : sync.auth === 'bearer' ? { kind: 'bearer', token: DEMO_USER.token } : { kind: 'browserSession' };
  const clientOn = (fetch: typeof browser.fetch, as: ConsoleAuth, reuseSession = false) =>
    createConsoleClient({ fetch, baseUrl: emulator.url, cookies: { kind: 'browser' }, auth: as, reuseSession });
  // The session held before: the last sync's, or (browserSession) the user's own.
  if (sync.auth === 'browserSession' || (sync.auth === 'form' && sync.live)) await clientOn(browser.fetch, form).ping();
  else if (sync.auth === 'form') {
    await clientOn(browser.fetch, form).ping();
    emulator.expireSessions();
  }
  if (sync.condition === 'unavailable') emulator.setFault('any', { type: 'status', status: 503, retryAfter: '120' });
  const requests: SentRequest[] = [];
  const recording: typeof browser.fetch = async (input, init) => {
    const kind = kindOf(new URL(input).pathname);
    if (sync.condition === 'refused') {
      requests.push({ kind, bytes: 0, refused: true });
      throw new TypeError('Failed to fetch');
    }
    const response = await browser.fetch(input, init);
    requests.push({ kind, bytes: response.type === 'opaqueredirect' ? 0 : Number(response.headers.get('content-length') ?? 0), refused: false });
    return response;
  };
  const client = clientOn(recording, auth, sync.tried);
  // The baseline confirms every sign-in with GET user/ping: the requests of a ping() ahead of the sync.
  const confirmed: SyncClient =
    sync.confirmSignIn && sync.auth === 'form'
      ? {
          baseUrl: client.baseUrl,
          getDefaultProfileId: async () => {
            await client.ping();
            return client.getDefaultProfileId();
          },
          getProfile: (id) => client.getProfile(id),
        }
      : client;
  const outcome = await runSync({
    client: confirmed,
    storage: createMemoryStorage(),
    clock: { now: Date.now },
    settings: syncSettings(),
    random: () => 0.5,
  });
  emulator.clearFaults();
  return { requests, ok: outcome.ok, error: outcome.state?.lastError ?? null };
}

function kindOf(pathname: string): RequestKind {
  if (pathname.endsWith('/j_security_check')) return 'login';
  if (pathname.endsWith('/user/ping')) return 'ping';
  if (pathname.endsWith('/settings/client-certs-default-profile')) return 'default';
  if (pathname.includes('/profile/')) return 'profile';
  throw new Error(`the simulation does not know the request ${pathname}`);
}
