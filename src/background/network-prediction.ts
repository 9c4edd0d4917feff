import type { PredictionSetting } from '../shared/network-prediction';

/**
 * The browser's network prediction while the guard is on.
 *
 * Chromium opens TLS connections ahead of a navigation (preconnect): measured
 * here, a navigation to a denied host ended on the guard page with no HTTP
 * request, yet one to three handshakes naming that host (SNI) reached the
 * server 20–260 ms after it started; Firefox does the same for a clicked link.
 * A redirect rule cannot see them. The guard page says the page was stopped
 * before any connection was made, so while the guard is on the extension
 * turns prediction off (privacy.network.networkPredictionEnabled) — held even
 * when the user's own value is already off, so it stays off while the guard
 * is on — and gives the setting back when the guard is off, only if it holds
 * it: a value a policy or another extension holds is never touched. The pages
 * read the setting themselves and say what holds it.
 *
 * Idempotent (one read when nothing is to be done), so it runs at every start
 * of the worker and heals a setting that changed while the extension was
 * disabled. It never throws: the guard's work queued after it must run.
 */
export async function alignNetworkPrediction(setting: PredictionSetting | null, guardOn: boolean): Promise<void> {
  try {
    const { value, levelOfControl } = await setting!.get({});
    const ours = levelOfControl === 'controlled_by_this_extension';
    if (guardOn ? levelOfControl === 'controllable_by_this_extension' || (ours && value !== false) : ours) {
      await (guardOn ? setting!.set({ value: false }) : setting!.clear({}));
    }
  } catch {
    // No privacy API, or the browser refused: the options page reads the setting and says what holds it.
  }
}
