import type { GuardMode } from '../config/index';
import type { VerdictView } from './tab-state';

/**
 * What the guard does, under the rules in force, with an address: `warn`
 * (stopped, and "continue" may let it through for the session), `block`
 * (stopped, no way through) or `none` (not stopped).
 *
 * The guard stops only https navigations that a deny rule covers. Any other
 * address on the guard page did not come from the guard: the page is public
 * (a redirect target must be web-accessible), so a site can open it with any
 * address. The guard page decides what to show with this, and the background
 * decides whether "continue" is allowed with it: one definition for both.
 */
export type GuardStop = 'warn' | 'block' | 'none';

export function guardStopFor(mode: GuardMode, url: string, verdict: Pick<VerdictView, 'decision' | 'reason'>): GuardStop {
  if (mode === 'off') return 'none';
  if (!isHttps(url)) return 'none';
  return verdict.decision === 'noCertificate' && verdict.reason === 'deny-rule' ? mode : 'none';
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
