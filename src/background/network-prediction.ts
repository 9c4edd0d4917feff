import type { NetworkPredictionView } from '../shared/status';

/**
 * The browser's network prediction while the guard is on.
 *
 * Chromium opens TLS connections ahead of a navigation (preconnect): measured
 * here, a navigation to a denied host ended on the guard page with no HTTP
 * request, yet one to three handshakes naming that host (SNI) reached the
 * server 20–260 ms after it started. A redirect rule cannot see them. The
 * guard page says the page was stopped before any connection was made, so
 * while the guard is on the extension turns prediction off
 * (privacy.network.networkPredictionEnabled), and gives the setting back when
 * the guard is off — only if it holds it, so a value the user, a policy or
 * another extension chose is never touched.
 */

/** The part of a `types.ChromeSetting<boolean>` (chrome.privacy.network.networkPredictionEnabled) this module uses. */
export interface PredictionSetting {
  get(details: Record<string, never>): Promise<{ value: unknown; levelOfControl?: string }>;
  set(details: { value: boolean }): Promise<unknown>;
  clear(details: Record<string, never>): Promise<unknown>;
}

type Level = 'not_controllable' | 'controlled_by_other_extensions' | 'controllable_by_this_extension' | 'controlled_by_this_extension';

const CONTROLLED_BY: Record<Level, NetworkPredictionView['controlledBy']> = {
  controlled_by_this_extension: 'extension',
  // A policy (NetworkPredictionOptions in Chrome) is what makes the setting not controllable.
  not_controllable: 'policy',
  controlled_by_other_extensions: 'other-extension',
  controllable_by_this_extension: 'browser',
};

const UNAVAILABLE: NetworkPredictionView = { enabled: null, controlledBy: 'unavailable', error: null };

function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && value in CONTROLLED_BY;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The setting as the options page shows it. */
export async function readNetworkPrediction(setting: PredictionSetting | null): Promise<NetworkPredictionView> {
  if (!setting) return UNAVAILABLE;
  try {
    const { value, levelOfControl } = await setting.get({});
    return {
      enabled: typeof value === 'boolean' ? value : null,
      controlledBy: isLevel(levelOfControl) ? CONTROLLED_BY[levelOfControl] : 'unavailable',
      error: null,
    };
  } catch (error) {
    return { ...UNAVAILABLE, error: errorText(error) };
  }
}

/**
 * Guard on: prediction off, when this extension may set it. Guard off: this
 * extension's value cleared, if it holds one. Idempotent (one read when
 * nothing is to be done), so it can run at every start of the worker and
 * heals a setting that changed while the extension was disabled.
 */
export async function alignNetworkPrediction(setting: PredictionSetting | null, guardOn: boolean): Promise<NetworkPredictionView> {
  const current = await readNetworkPrediction(setting);
  if (!setting || current.controlledBy === 'unavailable') return current;
  try {
    // Held even when the user's own value is already off: while the guard is on, the user cannot switch it back on.
    if (guardOn && (current.controlledBy === 'browser' || (current.controlledBy === 'extension' && current.enabled !== false))) {
      await setting.set({ value: false });
    } else if (!guardOn && current.controlledBy === 'extension') {
      await setting.clear({});
    } else {
      return current;
    }
  } catch (error) {
    return { ...current, error: errorText(error) };
  }
  return readNetworkPrediction(setting);
}
