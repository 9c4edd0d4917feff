import { compileManagedRules, MANAGED_SOURCE_LABEL, type EffectiveSettings, type Settings } from '../config/index';
import { parseConsoleBaseUrl } from '../console/index';
import {
  compileSource,
  coverIndex,
  firstProblems,
  lintNormalized,
  readableDenyRules,
  rejectedWithoutLastGood,
  type CompiledSource,
  type Finding,
  type UnavailableSource,
} from '../engine/index';
import type { SourceView } from '../shared/status';
import { profileSource, profileUnavailable, rulesInForce, type RulesInForce, type SyncState } from '../sync/index';

/** Local rules as stored: the array the user saved, and when. */
export interface StoredRules {
  rules: unknown[];
  at: number;
}

/** Everything the rule set is built from. */
export interface SourceInputs {
  settings: EffectiveSettings;
  syncState: SyncState | null;
  localRules: StoredRules | null;
  /** The last managed rules that were accepted (their last-known-good). */
  managedLastGood: StoredRules | null;
  now: number;
}

export interface BuiltSources {
  fingerprint: string;
  /** The sources in force, in precedence order, for buildRuleSet: none while the rule set is unusable. */
  inForce: CompiledSource[];
  /**
   * Configured sources whose rules are not known (docs/rules.md §5 step 2):
   * while any is listed, the rule set is unusable and every decision is no-rules.
   */
  unavailable: UnavailableSource[];
  /**
   * What the guard enforces: the sources in force, and while the rule set is
   * unusable also every deny rule still readable from a source that is not
   * (the valid deny rules of a rejected delivery, expired synced rules).
   */
  guarded: CompiledSource[];
  views: SourceView[];
  /** The compiled form of each view's rules (same order), for lint. */
  viewSources: CompiledSource[];
  profile: RulesInForce;
  /** Set when the managed rules were accepted and differ from the stored last good: the caller stores them. */
  managedToStore: StoredRules | null;
}

export const LOCAL_SOURCE_LABEL = 'local rules';

const LOCK_REASONS = {
  managed: "set by your organisation's policy",
  profile: 'synced from the console; edit the profile there',
  localNone: "your organisation's policy does not allow local rules",
} as const;

/**
 * A fingerprint of everything the rule set depends on, cheap next to a build:
 * when it is unchanged, the compiled rule set, its index, the guard's browser
 * rules and every tab's verdicts stay as they are.
 */
export function sourcesFingerprint(inputs: SourceInputs): string {
  const { settings, localRules, managedLastGood } = inputs;
  const syncState = stateForSettings(inputs.syncState, settings.values);
  const profile = rulesInForce(syncState, inputs.now, { maxRuleAgeMinutes: maxAgeMinutes(settings) });
  const lastGood = syncState?.lastGood ?? null;
  const parts = [
    // Whether the profile must be known, and the last sync's error (why it is not, or why a newer version was rejected).
    JSON.stringify([settings.values.consoleUrl, settings.values.profileId, syncState?.lastError]),
    JSON.stringify(settings.values.rules),
    managedLastGood ? `${managedLastGood.at}:${hash(JSON.stringify(managedLastGood.rules))}` : '-',
    profile.status,
    lastGood ? `${lastGood.profile.id}|${lastGood.profile.stamp}|${lastGood.fetchedAt}|${hash(JSON.stringify(lastGood.rules))}` : '-',
    settings.values.localRules,
    localRules ? hash(JSON.stringify(localRules.rules)) : '-',
  ];
  return hash(parts.join('\n'));
}

/**
 * The sync state as far as it speaks for the console and profile configured
 * now. Rules synced from another console, or from another profile than the one
 * configured, say nothing about the current profile's rules (e.g. a console the
 * user chose before policy named its own): they are not in force, and a
 * configured console then counts as never synced. States written before rules
 * were bound to their console carry no console and are taken as its.
 */
export function stateForSettings(state: SyncState | null, values: Pick<Settings, 'consoleUrl' | 'profileId'>): SyncState | null {
  const lastGood = state?.lastGood;
  if (!state || !lastGood) return state;
  const sameConsole = lastGood.console === undefined || lastGood.console === consoleHref(values.consoleUrl);
  const sameProfile = values.profileId === '' || lastGood.profile.id === values.profileId;
  return values.consoleUrl !== '' && sameConsole && sameProfile ? state : { ...state, lastGood: null };
}

function consoleHref(consoleUrl: string): string | null {
  try {
    return parseConsoleBaseUrl(consoleUrl).href;
  } catch {
    return null;
  }
}

export function maxAgeMinutes(settings: EffectiveSettings): number | null {
  const hours = settings.values.maxRuleAgeHours;
  return hours > 0 ? hours * 60 : null;
}

/**
 * Compiles the three sources (docs/rules.md §6–7) and describes each for the
 * options page. A configured source whose rules are not known — rejected with
 * no last good version, a console profile never synced or past the maximum
 * rule age, unreadable storage — is listed in `unavailable`: the rule set is
 * then unusable (§5 step 2), because the unknown rules may deny what the other
 * sources allow. A source that is not configured at all is simply absent.
 */
export function buildSources(inputs: SourceInputs): BuiltSources {
  const { settings, now } = inputs;
  const syncState = stateForSettings(inputs.syncState, settings.values);
  const inForce: CompiledSource[] = [];
  const unavailable: UnavailableSource[] = [];
  // Deny rules of sources not in force, which the guard keeps stopping while the rule set is unusable.
  const guardOnly: CompiledSource[] = [];
  const views: SourceView[] = [];
  const viewSources: CompiledSource[] = [];
  const push = (entry: SourceView, compiled: CompiledSource) => {
    views.push(entry);
    viewSources.push(compiled);
  };
  let managedToStore: StoredRules | null = null;

  // 1. managed: the policy's rules; an invalid deny rule keeps the last good version in force.
  const managedRules = settings.values.rules;
  const managed = compileManagedRules(managedRules);
  if (managed && managedRules) {
    const delivered = managedRules.status === 'rules' ? managedRules.rules : [];
    if (managed.accepted) {
      inForce.push(managed);
      push(view(managed, delivered, { editable: false, lockReason: LOCK_REASONS.managed, updatedAt: null }), managed);
      if (!inputs.managedLastGood || JSON.stringify(inputs.managedLastGood.rules) !== JSON.stringify(delivered)) {
        managedToStore = { rules: delivered, at: now };
      }
    } else if (inputs.managedLastGood) {
      const lastGood = compileSource('managed', inputs.managedLastGood.rules, { label: MANAGED_SOURCE_LABEL });
      if (lastGood.accepted) inForce.push(lastGood);
      else {
        unavailable.push(rejectedWithoutLastGood(lastGood));
        guardOnly.push(readableDenyRules('managed', inputs.managedLastGood.rules, MANAGED_SOURCE_LABEL));
      }
      push(
        {
          ...view(lastGood, inputs.managedLastGood.rules, { editable: false, lockReason: LOCK_REASONS.managed, updatedAt: inputs.managedLastGood.at }),
          // The pages say that a newer version was rejected and this one stays; the message says why.
          rejected: { at: now, errors: managed.errors, message: firstProblems(managed.errors) },
        },
        lastGood,
      );
    } else {
      unavailable.push(rejectedWithoutLastGood(managed));
      guardOnly.push(readableDenyRules('managed', delivered, MANAGED_SOURCE_LABEL));
      push(view(managed, delivered, { editable: false, lockReason: LOCK_REASONS.managed, updatedAt: null }), managed);
    }
  }

  // 2. profile: the synced console profile, if its rules are in force (fail closed when expired).
  const maxAge = { maxRuleAgeMinutes: maxAgeMinutes(settings) };
  const synced = profileSource(syncState, now, maxAge);
  const { source: profile, inForce: profileState } = synced;
  const lastGood = syncState?.lastGood ?? null;
  const consoleConfigured = settings.values.consoleUrl !== '';
  if (profile?.accepted) inForce.push(profile);
  const missing = consoleConfigured || profile ? profileUnavailable(syncState, synced) : null;
  if (missing) unavailable.push(missing);
  if (missing && lastGood) guardOnly.push(readableDenyRules('profile', lastGood.rules, lastGood.profile.name ?? lastGood.profile.id));
  if (lastGood || consoleConfigured) {
    const compiled =
      profile ?? (lastGood ? compileSource('profile', lastGood.rules, { label: lastGood.profile.name ?? lastGood.profile.id }) : emptySource('profile'));
    const base = view(compiled, lastGood?.rules ?? [], {
      editable: false,
      lockReason: LOCK_REASONS.profile,
      updatedAt: lastGood ? Date.parse(lastGood.fetchedAt) : null,
    });
    const lastError = syncState?.lastError ?? null;
    push(
      {
        ...base,
        inForce: !!profile?.accepted,
        // "A newer version was rejected, the last good one stays": only when there is a last good one.
        rejected: lastGood && lastError && lastError.code === 'rejected' ? { at: Date.parse(lastError.at), errors: [], message: lastError.message } : null,
      },
      compiled,
    );
  }

  // 3. local: as policy allows (none, denyOnly, all).
  const mode = settings.values.localRules;
  const stored = inputs.localRules;
  const local = compileSource('local', stored?.rules ?? [], { label: LOCAL_SOURCE_LABEL, denyOnly: mode === 'denyOnly' });
  const localInForce = mode !== 'none' && local.accepted && local.total > 0;
  if (localInForce) inForce.push(local);
  if (mode !== 'none' && !local.accepted) {
    unavailable.push(rejectedWithoutLastGood(local));
    guardOnly.push(readableDenyRules('local', stored?.rules ?? [], LOCAL_SOURCE_LABEL));
  }
  push(
    {
      ...view(local, stored?.rules ?? [], {
        editable: mode !== 'none',
        lockReason: mode === 'none' ? LOCK_REASONS.localNone : null,
        updatedAt: stored?.at ?? null,
      }),
      inForce: localInForce,
    },
    local,
  );

  return {
    fingerprint: sourcesFingerprint(inputs),
    // Unusable: no source decides anything; every deny rule that can be read stays guarded.
    inForce: unavailable[0] ? [] : inForce,
    unavailable,
    guarded: unavailable[0] ? [...inForce, ...guardOnly] : inForce,
    views,
    viewSources,
    profile: profileState,
    managedToStore,
  };
}

function view(source: CompiledSource, delivered: unknown[], extra: { editable: boolean; lockReason: string | null; updatedAt: number | null }): SourceView {
  return {
    name: source.name,
    label: source.label ?? null,
    editable: extra.editable,
    lockReason: extra.lockReason,
    rules: delivered,
    inForce: source.accepted && source.total > 0,
    errors: source.errors,
    warnings: source.warnings,
    rejected: null,
    updatedAt: extra.updatedAt,
  };
}

/** The lint of each view's valid rules, by source, in the views' order. */
export function viewsLint(built: Pick<BuiltSources, 'views' | 'viewSources'>): SourceLint[] {
  return built.views.map((entry, at) => ({ name: entry.name, inForce: entry.inForce, lint: lintSource(built.viewSources[at] as CompiledSource) }));
}

/** One view's lint, and whether its source is in force (only the lint of rules in force is shown against decisions). */
export interface SourceLint {
  name: SourceView['name'];
  inForce: boolean;
  lint: Finding[];
}

export function lintSource(source: CompiledSource): Finding[] {
  // Wildcard rules filed by their literal head and tail: 5,000 rules in tens of milliseconds instead of most of a second,
  // which a page opened after the worker was stopped would otherwise wait for (the full sources are rebuilt then).
  return lintNormalized(source.rules, coverIndex);
}

function emptySource(name: CompiledSource['name']): CompiledSource {
  return { name, label: undefined, accepted: true, total: 0, rules: [], errors: [], warnings: [] };
}

/** FNV-1a and djb2 side by side: 64 bits, enough to tell versions of a rule list apart. */
export function hash(text: string): string {
  let fnv = 0x811c9dc5;
  let djb = 5381;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    fnv = Math.imul(fnv ^ code, 0x01000193);
    djb = (Math.imul(djb, 33) + code) | 0;
  }
  return `${(fnv >>> 0).toString(36)}${(djb >>> 0).toString(36)}${text.length.toString(36)}`;
}
