import { ConsoleError } from '../console/failure';
import type { ConsoleProfile } from '../console/client';
import { compileSource, encodeSources, firstProblems, ruleFieldsOnly, type CompiledSource } from '../engine/index';
import { cutText, MAX_MESSAGE_CHARS, MAX_NAME_CHARS } from './cut-text';
import { nextSyncDelay } from './schedule';
import type { SyncSettings } from './settings';
import { createInitialState, SyncStateSchema, withAttempt, type ProfileRef, type SyncError, type SyncErrorCode, type SyncState } from './state';
import type { Clock, StateStorage } from './storage';

/** What the sync needs from the console client (a real client, or a fake in tests). */
export interface SyncClient {
  /** The console's base URL: the rules held are bound to the console they came from. */
  readonly baseUrl?: URL;
  getDefaultProfileId(): Promise<string | null>;
  getProfile(id: string): Promise<ConsoleProfile>;
}

export interface SyncDeps {
  client: SyncClient;
  storage: StateStorage;
  clock: Clock;
  settings: SyncSettings;
  /** [0, 1); picks the install offset once and the retry jitter. */
  random: () => number;
  /**
   * What to do with a stored value that is not a sync state: `fail` (default;
   * the CLI must not overwrite a file it did not write) or `reset` (storage the
   * extension owns alone).
   */
  onUnreadableState?: 'fail' | 'reset';
}

export interface SyncOutcome {
  ok: boolean;
  /** True when new rules were stored. */
  changed: boolean;
  /** The profile whose rules are held after this run (the previous good one after a failure), or null. */
  profile: ProfileRef | null;
  /** How many rules (as delivered) are held after this run. */
  rules: number;
  error: SyncError | null;
  /** Rules dropped with a warning (invalid allow rules) in newly stored rules. */
  warnings: string[];
  /** The state as stored by this run (or as read, when nothing could be stored). */
  state: SyncState | null;
}

class SyncFailure extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/**
 * One sync: resolve the profile (configured GUID or the console's default),
 * fetch it, skip the rest when its stamp is unchanged, compile it with the
 * engine, and write the new state in one storage call only if it is acceptable.
 * On any failure the last good rules stay exactly as they were; the failure is
 * recorded in the same single write. Never throws.
 */
export async function runSync(deps: SyncDeps): Promise<SyncOutcome> {
  let previous: SyncState;
  try {
    previous = await loadState(deps);
  } catch (error) {
    const failure = asFailure(error, 'storage');
    return { ok: false, changed: false, profile: null, rules: 0, error: { code: failure.code, message: failure.message }, warnings: [], state: null };
  }
  const startedAt = deps.clock.now();
  let next: SyncState;
  let changed = false;
  let warnings: string[] = [];
  try {
    const profileId = deps.settings.profileId ?? (await deps.client.getDefaultProfileId());
    if (profileId === null) {
      throw new SyncFailure('config', 'no profile to sync: none is configured and the console has no default Client Certificates profile');
    }
    const profile = keepable(await deps.client.getProfile(profileId));
    const now = deps.clock.now();
    const at = new Date(now).toISOString();
    const consoleBase = deps.client.baseUrl?.href;
    const held = previous.lastGood;
    // Rules from another console are never "the same" as this one's, whatever their ids and stamps.
    const sameProfile = held !== null && held.profile.id === profile.id && held.console === consoleBase;
    const sameStamp = sameProfile && profile.stamp !== null && held.profile.stamp === profile.stamp;
    let lastGood = held;
    let message: string;
    if (sameStamp && held) {
      lastGood = { ...held, confirmedAt: at };
      message = `profile ${describe(profile)} unchanged (stamp ${profile.stamp})`;
    } else {
      const compiled = compileSource('profile', profile.rules, { label: profile.name ?? profile.id });
      if (!compiled.accepted) {
        // Only earlier rules can stay in force; without them the rule set is unusable until a sync is accepted.
        throw new SyncFailure(
          'rejected',
          `profile ${describe(profile)} rejected${held ? ', the previous rules stay in force' : ''}: ${firstProblems(compiled.errors)}`,
        );
      }
      warnings = compiled.warnings.map((finding) => finding.message);
      const sameRules = sameProfile && held !== null && engineView(compiled) === engineView(compileSource('profile', held.rules));
      changed = !sameRules;
      lastGood = {
        profile: { id: profile.id, name: profile.name, stamp: profile.stamp, description: profile.description },
        ...(consoleBase === undefined ? {} : { console: consoleBase }),
        // Index for index as delivered (findings refer to them), each with only the fields the engine reads.
        rules: profile.rules.map(ruleFieldsOnly),
        fetchedAt: changed || !held ? at : held.fetchedAt,
        confirmedAt: at,
      };
      message = changed
        ? `profile ${describe(profile)} synced: ${profile.rules.length} rules${warnings.length ? `, ${warnings.length} dropped with a warning` : ''}`
        : `profile ${describe(profile)} unchanged (same rules, new stamp ${profile.stamp ?? 'none'})`;
    }
    next = {
      ...previous,
      lastGood,
      consecutiveFailures: 0,
      lastError: null,
      lastAttemptAt: at,
      lastSuccessAt: at,
      history: withAttempt(previous.history, { at, type: changed ? 'changed' : 'unchanged', message }),
      nextAttemptAt: null,
    };
  } catch (error) {
    const failure = asFailure(error, 'internal');
    const at = new Date(Math.max(startedAt, deps.clock.now())).toISOString();
    const message = cutText(failure.message, MAX_MESSAGE_CHARS);
    next = {
      ...previous,
      consecutiveFailures: previous.consecutiveFailures + 1,
      lastError: { code: failure.code, message, at, status: failure.status, retryAfterMs: failure.retryAfterMs },
      lastAttemptAt: at,
      history: withAttempt(previous.history, { at, type: failure.code, message }),
      nextAttemptAt: null,
    };
    changed = false;
  }
  next.nextAttemptAt = new Date(
    Date.parse(next.lastAttemptAt ?? new Date(startedAt).toISOString()) + nextSyncDelay(next, deps.settings, deps.random),
  ).toISOString();
  try {
    await deps.storage.write(next);
  } catch (error) {
    const failure = asFailure(error, 'storage');
    const message = `the sync state could not be saved (${failure.message}); the previously stored rules stay in force`;
    return { ...outcomeOf(previous, false), ok: false, error: { code: 'storage', message }, warnings: [] };
  }
  return { ...outcomeOf(next, changed), warnings };
}

async function loadState(deps: SyncDeps): Promise<SyncState> {
  const raw = await deps.storage.read();
  if (raw === undefined || raw === null) return createInitialState(deps.random);
  const parsed = SyncStateSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  if (deps.onUnreadableState === 'reset') return createInitialState(deps.random);
  const issue = parsed.error.issues[0];
  throw new SyncFailure(
    'storage',
    `the stored state is not a cert-rules sync state (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}); it was left untouched`,
  );
}

function outcomeOf(state: SyncState, changed: boolean): Omit<SyncOutcome, 'warnings'> {
  const good = state.lastGood;
  const error = state.lastError;
  return {
    ok: error === null,
    changed,
    profile: good ? { id: good.profile.id, name: good.profile.name, stamp: good.profile.stamp } : null,
    rules: good ? good.rules.length : 0,
    error: error ? { code: error.code, message: error.message } : null,
    state,
  };
}

function asFailure(error: unknown, fallback: SyncErrorCode): SyncFailure {
  if (error instanceof SyncFailure) return error;
  if (error instanceof ConsoleError) return new SyncFailure(error.kind, error.message, error.status ?? null, error.retryAfterMs ?? null);
  const message = error instanceof Error ? error.message : String(error);
  return new SyncFailure(fallback, fallback === 'internal' ? `unexpected error: ${message}` : message);
}

/**
 * What the engine makes of a profile's rules (normalised rules with their
 * indexes, the count, the findings) as one string: it decides "changed", so
 * key order, notes in unknown keys or spellings the engine normalises away do
 * not count, and nothing of unknown depth is ever serialised.
 */
function engineView(source: CompiledSource): string {
  return encodeSources([{ ...source, label: undefined }]);
}

/**
 * The profile as the state may hold it: the console's name and description
 * cut to size, and a stamp only when it is short enough to be kept whole (a
 * cut stamp could make two versions look the same; without one, the rules
 * are compared instead).
 */
function keepable(profile: ConsoleProfile): ConsoleProfile {
  const { name, description, stamp } = profile;
  return {
    ...profile,
    name: name && cutText(name, MAX_NAME_CHARS),
    description: description && cutText(description, MAX_MESSAGE_CHARS),
    stamp: stamp && stamp.length <= MAX_NAME_CHARS ? stamp : null,
  };
}

function describe(profile: ConsoleProfile): string {
  return profile.name ? `"${profile.name}" (${profile.id})` : profile.id;
}
