import { readJsonAnswer, SessionProblem } from './answer';
import { parseConsoleBaseUrl } from './base-url';
import { ConsoleError } from './failure';
import { parseProfileAnswer, type ProfileAnswer } from './profile-answer';
import {
  ConsoleIdSchema,
  parseCatalog,
  parseCreatedId,
  parseDefaultProfileId,
  parsePing,
  parsePolicy,
  type ConsoleUser,
  type PolicyRecord,
  type ProfileSummary,
} from './shapes';
import { send, type CookieStrategy, type FetchLike, type TransportOptions, type TransportRequest } from './transport';

/**
 * How the client proves who it is:
 * - `form`: the console's form login (j_security_check) and a session cookie;
 * - `browserSession`: a session the user already has in the browser; nothing stored;
 * - `bearer`: an Authorization header, for consoles behind a gateway.
 */
export type ConsoleAuth = { kind: 'form'; username: string; password: string } | { kind: 'browserSession' } | { kind: 'bearer'; token: string };

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_RULES = 5_000;
export const DEFAULT_MAX_REDIRECTS = 5;
export const CLIENT_CERTS_TYPE = 'client_certs';
export const CLIENT_CERTS_POLICY_CODE = 'POLICY_CODE_CLIENT_CERTS';

export interface ConsoleClientOptions {
  fetch: FetchLike;
  /** e.g. `https://console.example.com/mocana-app-control/rest/` */
  baseUrl: string;
  cookies: CookieStrategy;
  auth: ConsoleAuth;
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxRules?: number;
  now?: () => number;
  /**
   * Form login: call with the session the cookies already hold, and sign in
   * only when the console answers that it is not valid. Off by default (a
   * fresh cookie jar holds no session: trying would cost a request).
   */
  reuseSession?: boolean;
  /** Words for a failed connection (TransportOptions.describeError); Node callers pass describeNodeNetworkError. */
  describeNetworkError?: (error: unknown) => string;
}

/** A profile as fetched: its identity, the stamp that changes with its rules, and the rules as delivered. */
export type ConsoleProfile = ProfileAnswer;

export interface ProfileInput {
  name: string;
  description?: string;
  /** The rules array; sent as `{"clientCertsUrlMatchingRules": rules}` in the `data` field. */
  rules: unknown[];
}

export interface ConsoleClient {
  readonly baseUrl: URL;
  ping(): Promise<ConsoleUser>;
  catalog(): Promise<ProfileSummary[]>;
  getProfile(id: string): Promise<ConsoleProfile>;
  createProfile(input: ProfileInput): Promise<string>;
  updateProfile(id: string, input: ProfileInput): Promise<void>;
  archiveProfile(id: string): Promise<void>;
  /** The default profile's GUID, or null when the console has none. */
  getDefaultProfileId(): Promise<string | null>;
  setDefaultProfile(id: string): Promise<void>;
  archiveDefaultProfile(): Promise<void>;
  getPolicy(ref?: { code: string } | { id: string }): Promise<PolicyRecord>;
}

/**
 * The management console client. It uses only `fetch`, `URL`, `FormData` and
 * `AbortController`, so it runs unchanged in the extension's service worker and
 * in Node; the caller picks the cookie strategy and the auth mode.
 */
export function createConsoleClient(options: ConsoleClientOptions): ConsoleClient {
  const baseUrl = parseConsoleBaseUrl(options.baseUrl);
  const now = options.now ?? Date.now;
  const maxRules = options.maxRules ?? DEFAULT_MAX_RULES;
  const auth = options.auth;
  if (auth.kind === 'form' && (auth.username.trim() === '' || auth.password === '')) {
    throw new ConsoleError('config', 'form login needs a user name and a password');
  }
  if (auth.kind === 'bearer' && auth.token.trim() === '') throw new ConsoleError('config', 'the bearer token is empty');
  const transport: TransportOptions = {
    fetch: options.fetch,
    baseUrl,
    cookies: options.cookies,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxRedirects: DEFAULT_MAX_REDIRECTS,
    headers: auth.kind === 'bearer' ? { authorization: `Bearer ${auth.token.trim()}` } : {},
    describeError: options.describeNetworkError,
  };
  let signedIn = options.reuseSession === true;

  /**
   * Signs in. Returns the user when the console's answer shows it, or null
   * when the answer hides whether it worked (a redirect the browser does not
   * let the extension see, or an empty 2xx): the next call tells.
   */
  async function signIn(form: { username: string; password: string }): Promise<ConsoleUser | null> {
    signedIn = false;
    if (options.cookies.kind === 'jar') options.cookies.jar.clear();
    const body = new URLSearchParams({ j_username: form.username, j_password: form.password });
    const raw = await send(transport, { method: 'POST', path: 'user/ping/j_security_check', body }).catch((error: unknown) => {
      if (error instanceof ConsoleError && error.kind === 'redirect' && options.cookies.kind === 'browser') return null;
      throw error;
    });
    let user: ConsoleUser | null = null;
    try {
      if (raw !== null && !(raw.status >= 200 && raw.status < 300 && raw.text.trim() === '')) user = parsePing(readJsonAnswer(raw, 'the sign-in', now()));
    } catch (error) {
      throw loginFailure(error);
    }
    signedIn = true;
    return user;
  }

  /**
   * Runs one call, signing in first unless a session is held (or to be
   * tried). A lost session is renewed by one fresh sign-in and the call is
   * retried once, since a console may drop a session at any moment; but a
   * session problem right after a sign-in whose answer was hidden means the
   * sign-in did not take. At most two sign-ins per call, never a loop, and no
   * request only to check a sign-in that the call itself checks.
   */
  async function authed<T>(call: () => Promise<T>): Promise<T> {
    let hidden = auth.kind === 'form' && !signedIn && (await signIn(auth)) === null;
    for (let retried = false; ; retried = true) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof SessionProblem || (error instanceof ConsoleError && error.kind === 'redirect' && options.cookies.kind === 'browser')))
          throw error;
        if (auth.kind !== 'form') throw sessionFailure(error);
        if (hidden) {
          signedIn = false;
          throw loginFailure(new ConsoleError('auth', ''));
        }
        if (retried) throw sessionFailure(error);
        hidden = (await signIn(auth)) === null;
      }
    }
  }

  async function json(request: TransportRequest, what: string): Promise<unknown> {
    return readJsonAnswer(await send(transport, request), what, now());
  }

  function sessionFailure(error: unknown): ConsoleError {
    const original = error as ConsoleError;
    if (original.kind !== 'auth') return new ConsoleError(original.kind, original.message, original);
    const hint =
      auth.kind === 'browserSession'
        ? 'sign in to the console in this browser, then sync again'
        : auth.kind === 'bearer'
          ? 'the console did not accept the bearer token'
          : 'the session could not be renewed';
    return new ConsoleError('auth', `${original.message}; ${hint}`, original);
  }

  const client: ConsoleClient = {
    baseUrl,
    ping: () => authed(async () => parsePing(await json({ method: 'GET', path: 'user/ping' }, 'the sign-in check'))),
    catalog: () => authed(async () => parseCatalog(await json({ method: 'GET', path: `profile/catalog/${CLIENT_CERTS_TYPE}` }, 'the profile catalog request'))),
    getProfile: (id) =>
      authed(async () => {
        const guid = checkId(id);
        const profile = parseProfileAnswer(await json({ method: 'GET', path: `profile/${guid}` }, `the request for profile ${guid}`), guid);
        if (profile.rules.length > maxRules) {
          throw new ConsoleError('too-large', `profile ${guid} has ${profile.rules.length} rules; at most ${maxRules} are accepted`);
        }
        return profile;
      }),
    createProfile: (input) =>
      authed(async () => parseCreatedId(await json({ method: 'POST', path: 'profile', body: profileForm(input) }, 'the create-profile request'))),
    updateProfile: (id, input) =>
      authed(async () => {
        await json({ method: 'PUT', path: `profile/${checkId(id)}`, body: profileForm(input) }, `the update of profile ${id}`);
      }),
    archiveProfile: (id) =>
      authed(async () => {
        await json({ method: 'DELETE', path: `profile/${checkId(id)}` }, `the archiving of profile ${id}`);
      }),
    getDefaultProfileId: () =>
      authed(async () => parseDefaultProfileId(await json({ method: 'GET', path: `settings/${DEFAULT_SETTING}` }, 'the default-profile request'))),
    setDefaultProfile: (id) =>
      authed(async () => {
        const body = new URLSearchParams({ profile_id: checkId(id) });
        await json({ method: 'POST', path: `settings/${DEFAULT_SETTING}`, body }, 'the set-default-profile request');
      }),
    archiveDefaultProfile: () =>
      authed(async () => {
        await json({ method: 'DELETE', path: `settings/${DEFAULT_SETTING}` }, 'the archive-default-profile request');
      }),
    getPolicy: (ref = { code: CLIENT_CERTS_POLICY_CODE }) =>
      authed(async () => {
        const path = 'code' in ref ? `app-policy/code/${checkId(ref.code)}` : `app-policy/${checkId(ref.id)}`;
        return parsePolicy(await json({ method: 'GET', path }, 'the policy request'));
      }),
  };
  return client;
}

const DEFAULT_SETTING = `${CLIENT_CERTS_TYPE.replace('_', '-')}-default-profile`;

function checkId(id: string): string {
  const checked = ConsoleIdSchema.safeParse(id);
  if (!checked.success) throw new ConsoleError('config', `"${id.slice(0, 60)}" is not a profile id (letters, digits, ".", "_", "-")`);
  return checked.data;
}

function profileForm(input: ProfileInput): FormData {
  const form = new FormData();
  form.set('name', input.name);
  form.set('type', CLIENT_CERTS_TYPE);
  form.set('desc', input.description ?? '');
  form.set('data', JSON.stringify({ clientCertsUrlMatchingRules: input.rules }));
  return form;
}

/** Any failure of the sign-in itself that means "credentials not accepted" becomes one clear `auth` error. */
function loginFailure(error: unknown): unknown {
  if (!(error instanceof ConsoleError)) return error;
  const rejected = error.kind === 'auth' || error.kind === 'server' || (error.kind === 'bad-data' && error instanceof SessionProblem);
  if (!rejected) return error;
  const detail = error.kind === 'server' ? ` (${error.message.replace(/^.*?: /, '')})` : '';
  return new ConsoleError('auth', `authentication failed: the console did not accept the user name and password${detail}`, { status: error.status });
}
