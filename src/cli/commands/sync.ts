import { CookieJar } from '../../console/cookie-jar';
import { createConsoleClient, DEFAULT_TIMEOUT_MS, type ConsoleAuth } from '../../console/client';
import { ConsoleError } from '../../console/failure';
import { describeNodeNetworkError } from '../../console/node-network-error';
import type { FetchLike } from '../../console/transport';
import { createFileStorage } from '../file-storage';
import { runSync, type SyncOutcome } from '../../sync/run-sync';
import { syncSettings } from '../../sync/settings';
import { SyncStateSchema, type SyncError } from '../../sync/state';
import { systemClock, type Clock } from '../../sync/storage';
import { parseCommandArgs } from '../args';
import { ruleReferencesInWords as inWords } from '../../engine/rule-words';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, usageErrorText, type CliIo, type Command } from '../io';

export const SYNC_HELP = `Usage: cert-rules sync --console BASE_URL
         (--user EMAIL --password-env VAR | --token-env VAR | --browser-session)
         [--profile GUID] --state FILE

Fetches the Client Certificates profile from the management console once and,
only if its rules are acceptable, stores them in FILE (written atomically).
The profile is GUID, or the console's default profile. When the profile's
stamp is unchanged nothing is fetched again or rewritten except the record of
this attempt. On any failure the rules already in FILE stay exactly as they
were; the failure is recorded in FILE's history.

Options:
  --console URL       the console's REST base URL, e.g.
                      https://console.example.com/mocana-app-control/rest/
                      (https only; http is allowed for localhost/127.x/[::1])
  --user EMAIL        sign in with the console's form login as EMAIL ...
  --password-env VAR  ... with the password read from environment variable VAR
  --token-env VAR     send "Authorization: Bearer <token>" with the token from VAR
  --browser-session   send no credentials (a console that needs none)
  --profile GUID      sync this profile instead of the console's default
  --state FILE        the state file to update (created if missing)
  -h, --help          this help

Output: progress on stderr; the last line of stdout is one JSON object
  {"ok": bool, "changed": bool, "profile": {"id","name","stamp"} | null,
   "rules": n, "error": null | {"code","message"}}
"profile" and "rules" describe the rules held in FILE after the run (after a
failure: the previous good ones). Error codes: auth, network, timeout, http,
server, bad-data, too-large, redirect, rejected (the engine rejected the
profile's rules), config (bad options or settings), storage (FILE could not be
read or written, or is not a state file), internal.

Exit: 0 synced (changed or not); 1 failed (FILE's rules untouched); 2 usage error.
`;

export interface SyncCommandOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
  clock?: Clock;
  random?: () => number;
}

/** The sync command; tests inject a short timeout, a clock or a fetch. */
export function createSyncCommand(options: SyncCommandOptions = {}): Command {
  return async (argv: string[], io: CliIo): Promise<number> => {
    let values;
    try {
      ({ values } = parseCommandArgs(argv, {
        console: { type: 'string' },
        user: { type: 'string' },
        'password-env': { type: 'string' },
        'token-env': { type: 'string' },
        'browser-session': { type: 'boolean' },
        profile: { type: 'string' },
        state: { type: 'string' },
      }));
      if (values.help) {
        io.stdout(SYNC_HELP);
        return EXIT_OK;
      }
      if (!values.console) throw new UsageError('--console BASE_URL is required');
      if (!values.state) throw new UsageError('--state FILE is required');
      const modes = [
        values.user !== undefined || values['password-env'] !== undefined,
        values['token-env'] !== undefined,
        values['browser-session'] === true,
      ].filter(Boolean).length;
      if (modes !== 1) throw new UsageError('choose one way to authenticate: --user EMAIL --password-env VAR, --token-env VAR, or --browser-session');
      if ((values.user === undefined) !== (values['password-env'] === undefined)) throw new UsageError('--user and --password-env go together');
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(usageErrorText('sync', error.message));
      report(io, failed({ code: 'config', message: error.message }, await heldIn(values?.state)));
      return EXIT_USAGE;
    }
    const statePath = values.state;
    let auth: ConsoleAuth;
    let client;
    try {
      auth = authFrom(values, io.env);
      client = createConsoleClient({
        fetch: options.fetch ?? fetch,
        baseUrl: values.console,
        cookies: { kind: 'jar', jar: new CookieJar() },
        auth,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        describeNetworkError: describeNodeNetworkError,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const held = await heldIn(statePath);
      io.stderr(`cert-rules sync: ${message}\ncert-rules sync: ${keptText(held, statePath)}\n`);
      report(io, failed({ code: 'config', message }, held));
      return EXIT_FAILED;
    }
    io.stderr(`cert-rules sync: ${client.baseUrl.href} → ${statePath}\n`);
    const outcome = await runSync({
      client,
      storage: createFileStorage(statePath),
      clock: options.clock ?? systemClock,
      settings: syncSettings({ profileId: values.profile ?? null }),
      random: options.random ?? Math.random,
    });
    for (const warning of outcome.warnings) io.stderr(`cert-rules sync: warning: ${inWords(warning)}\n`);
    io.stderr(`cert-rules sync: ${describeOutcome(outcome, statePath)}\n`);
    // The state file keeps the engine's words; people read "rule 3 (index 2)".
    report(io, outcome.error ? { ...outcome, error: { ...outcome.error, message: inWords(outcome.error.message) } } : outcome);
    return outcome.ok ? EXIT_OK : EXIT_FAILED;
  };
}

export const syncCommand: Command = createSyncCommand();

function authFrom(
  values: { user?: string | undefined; 'password-env'?: string | undefined; 'token-env'?: string | undefined },
  env: CliIo['env'],
): ConsoleAuth {
  if (values.user !== undefined && values['password-env'] !== undefined) {
    const password = env[values['password-env']];
    if (!password) throw new ConsoleError('config', `the environment variable ${values['password-env']} (--password-env) is not set or empty`);
    return { kind: 'form', username: values.user, password };
  }
  if (values['token-env'] !== undefined) {
    const token = env[values['token-env']];
    if (!token) throw new ConsoleError('config', `the environment variable ${values['token-env']} (--token-env) is not set or empty`);
    return { kind: 'bearer', token };
  }
  return { kind: 'browserSession' };
}

type Held = Pick<SyncOutcome, 'profile' | 'rules'>;
const NOTHING_HELD: Held = { profile: null, rules: 0 };

function failed(error: SyncError, held: Held = NOTHING_HELD): Pick<SyncOutcome, 'ok' | 'changed' | 'profile' | 'rules' | 'error'> {
  return { ok: false, changed: false, ...held, error };
}

/**
 * What FILE holds now — its last good rules — for a run that stopped before
 * syncing (bad options or settings): the report describes FILE, as the help
 * says, not an empty result. A missing or unreadable FILE holds nothing.
 */
async function heldIn(statePath: string | undefined): Promise<Held> {
  if (!statePath) return NOTHING_HELD;
  try {
    const parsed = SyncStateSchema.safeParse(await createFileStorage(statePath).read());
    const good = parsed.success ? parsed.data.lastGood : null;
    return good ? { profile: { id: good.profile.id, name: good.profile.name, stamp: good.profile.stamp }, rules: good.rules.length } : NOTHING_HELD;
  } catch {
    return NOTHING_HELD;
  }
}

function profileText(profile: NonNullable<SyncOutcome['profile']>): string {
  return `profile "${profile.name ?? profile.id}" (${profile.id}, stamp ${profile.stamp ?? 'none'})`;
}

/** After a failure: what FILE still holds. */
function keptText(held: Held, path: string): string {
  return held.profile
    ? `${path} still holds the previous ${held.rules} rules of ${profileText(held.profile)}`
    : `${path} holds no rules (decisions fail closed)`;
}

/** The contract line: always the last line of stdout. */
function report(io: CliIo, outcome: Pick<SyncOutcome, 'ok' | 'changed' | 'profile' | 'rules' | 'error'>): void {
  const { ok, changed, profile, rules, error } = outcome;
  io.stdout(`${JSON.stringify({ ok, changed, profile, rules, error })}\n`);
}

function describeOutcome(outcome: SyncOutcome, path: string): string {
  const profile = outcome.profile ? profileText(outcome.profile) : 'no profile';
  if (outcome.ok)
    return outcome.changed ? `synced ${outcome.rules} rules from ${profile} into ${path}` : `${profile} unchanged; ${path} holds ${outcome.rules} rules`;
  return `sync failed (${outcome.error?.code}): ${inWords(outcome.error?.message ?? '')}\ncert-rules sync: ${keptText(outcome, path)}`;
}
