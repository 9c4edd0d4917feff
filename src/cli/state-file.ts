import { unavailableText, type CompiledSource, type UnavailableSource } from '../engine/index';
import { profileSource, profileUnavailable } from '../sync/rules-in-force';
import type { SyncSettings } from '../sync/settings';
import { SyncStateSchema, type SyncState } from '../sync/state';
import { ruleReferencesInWords as inWords } from '../engine/rule-words';
import { createFileStorage } from './file-storage';

export interface StateFileRules {
  /** The synced profile as the `profile` source, or null when no rules are in force (decisions fail closed). */
  source: CompiledSource | null;
  state: SyncState | null;
  /** Why the profile's rules are not known, when they are not: a rule set with this source is unusable. */
  unavailable: UnavailableSource | null;
  /** Lines for stderr: why there are no rules, or which rules were dropped. */
  messages: string[];
}

/**
 * Reads a CLI state file and gives the rules it holds as the engine's `profile`
 * source. A missing, unreadable or foreign file, a never-synced state, a
 * rejected sync with no earlier rules, or rules past the maximum age all mean
 * "no rules", with the reason: the caller fails closed.
 */
export async function loadStateFileRules(
  path: string,
  now: number,
  settings: Pick<SyncSettings, 'maxRuleAgeMinutes'> = { maxRuleAgeMinutes: null },
): Promise<StateFileRules> {
  const unavailableLine = (entry: UnavailableSource) => `${path}: rules unavailable: ${inWords(unavailableText(entry))}; no rules in force`;
  const unknown = (code: UnavailableSource['code'], message: string): StateFileRules => {
    const unavailable: UnavailableSource = { source: 'profile', code, message };
    return { source: null, state: null, unavailable, messages: [unavailableLine(unavailable)] };
  };
  let raw: unknown;
  try {
    raw = await createFileStorage(path).read();
  } catch (error) {
    return unknown('unreadable', (error as Error).message);
  }
  if (raw === undefined) return unknown('not-synced', 'no such state file');
  const parsed = SyncStateSchema.safeParse(raw);
  if (!parsed.success) return unknown('unreadable', 'not a cert-rules sync state file');
  const state = parsed.data;
  const synced = profileSource(state, now, settings);
  const unavailable = profileUnavailable(state, synced);
  const source = synced.source;
  if (!source) return { source: null, state, unavailable, messages: unavailable ? [unavailableLine(unavailable)] : [] };
  const messages = source.warnings.map((finding) => `${path}: warning: ${inWords(finding.message)}`);
  if (unavailable) messages.push(unavailableLine(unavailable));
  return { source: source.accepted ? source : null, state, unavailable, messages };
}
