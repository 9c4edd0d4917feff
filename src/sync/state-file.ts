import { compileSource, type CompiledSource } from '../engine/index';
import { createFileStorage } from './file-storage';
import { rulesInForce } from './rules-in-force';
import type { SyncSettings } from './settings';
import { SyncStateSchema, type SyncState } from './state';

export interface StateFileRules {
  /** The synced profile as the `profile` source, or null when no rules are in force (decisions fail closed). */
  source: CompiledSource | null;
  state: SyncState | null;
  /** Lines for stderr: why there are no rules, or which rules were dropped. */
  messages: string[];
}

/**
 * Reads a CLI state file and gives the rules it holds as the engine's `profile`
 * source. A missing, unreadable or foreign file, a never-synced state, or rules
 * past the maximum age all mean "no rules": the caller fails closed.
 */
export async function loadStateFileRules(path: string, now: number, settings: Pick<SyncSettings, 'maxRuleAgeMinutes'> = { maxRuleAgeMinutes: null }): Promise<StateFileRules> {
  let raw: unknown;
  try {
    raw = await createFileStorage(path).read();
  } catch (error) {
    return { source: null, state: null, messages: [`${path}: ${(error as Error).message}; no rules in force`] };
  }
  if (raw === undefined) return { source: null, state: null, messages: [`${path}: no such state file (never synced); no rules in force`] };
  const parsed = SyncStateSchema.safeParse(raw);
  if (!parsed.success) return { source: null, state: null, messages: [`${path}: not a cert-rules sync state file; no rules in force`] };
  const state = parsed.data;
  const inForce = rulesInForce(state, now, settings);
  if (inForce.status !== 'ok') return { source: null, state, messages: [`${path}: ${inForce.message}`] };
  const { profile, rules } = inForce.lastGood;
  const source = compileSource('profile', rules, { label: profile.name ?? profile.id });
  const messages = source.warnings.map((finding) => `${path}: warning: ${finding.message}`);
  if (!source.accepted) {
    messages.push(...source.errors.map((finding) => `${path}: error: ${finding.message}`), `${path}: the stored profile rules are rejected; no rules in force`);
  }
  return { source: source.accepted ? source : null, state, messages };
}
