/**
 * The browser's network prediction setting (privacy.network.networkPredictionEnabled),
 * read by the extension's pages to say whether the browser may still connect
 * to an excluded site ahead of a navigation. The background turns it off while
 * the guard is on (src/background/network-prediction.ts says why); the pages
 * read it themselves, since the browser answers them as it answers the background.
 */

/** The part of a `types.ChromeSetting<boolean>` the extension uses. */
export interface PredictionSetting {
  get(details: Record<string, never>): Promise<{ value: unknown; levelOfControl?: string }>;
  set(details: { value: boolean }): Promise<unknown>;
  clear(details: Record<string, never>): Promise<unknown>;
}

export interface NetworkPredictionView {
  /** Whether the browser may connect ahead of navigations; null when it cannot be read. */
  enabled: boolean | null;
  /**
   * Who holds the value, as the browser says it (types.LevelOfControl):
   * controlled_by_this_extension, controllable_by_this_extension (the user's
   * own value), controlled_by_other_extensions, or not_controllable (a
   * policy); null without a privacy API.
   */
  levelOfControl: string | null;
  /** Why it could not be read. */
  error: string | null;
}

/** The setting in this browser, or null where there is no privacy API (or no permission for it). */
export function browserPredictionSetting(): PredictionSetting | null {
  const api = (globalThis as { browser?: unknown; chrome?: unknown }).browser ?? (globalThis as { chrome?: unknown }).chrome;
  return (api as { privacy?: { network?: { networkPredictionEnabled?: PredictionSetting } } } | undefined)?.privacy?.network?.networkPredictionEnabled ?? null;
}

export async function readNetworkPrediction(setting: PredictionSetting | null = browserPredictionSetting()): Promise<NetworkPredictionView> {
  if (!setting) return { enabled: null, levelOfControl: null, error: null };
  try {
    const { value, levelOfControl } = await setting.get({});
    return { enabled: typeof value === 'boolean' ? value : null, levelOfControl: typeof levelOfControl === 'string' ? levelOfControl : null, error: null };
  } catch (error) {
    return { enabled: null, levelOfControl: null, error: error instanceof Error ? error.message : String(error) };
  }
}
