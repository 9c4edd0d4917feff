import type { GuardMode } from '../config/index';
import { decide, type RuleSet } from '../engine/index';
import { guardStopFor } from '../shared/guard-stop';
import { addBypass } from './guard-apply';
import type { DnrApi } from './platform';
import { HandlerError } from './router';

export interface GuardContinueContext {
  mode: GuardMode;
  /** The rules in force (null: none usable, so nothing is stopped by a rule). */
  ruleSet: RuleSet | null;
  dnr: DnrApi | null;
}

/**
 * "Continue to the site" from the guard page under `warn`: a session allow
 * rule for the address's origin, and only when the guard stops that address
 * right now (a deny rule in force covers it). The guard page can be opened
 * with any address, so the address in the request proves nothing by itself.
 */
export async function continueThroughGuard(context: GuardContinueContext, url: string): Promise<{ url: string }> {
  if (context.mode === 'off') throw new HandlerError('forbidden', 'the guard is off, so there is nothing to continue through');
  if (context.mode === 'block') throw new HandlerError('forbidden', 'the guard blocks the sites it stops; none can be continued to');
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new HandlerError('invalid-request', `not a URL: "${url.slice(0, 200)}"`);
  }
  if (target.protocol !== 'https:') throw new HandlerError('invalid-request', `only https addresses are guarded, not ${target.protocol}`);
  const stop = guardStopFor(context.mode, target.href, decide(context.ruleSet, target.href));
  if (stop !== 'warn') {
    throw new HandlerError('forbidden', `no rule in force excludes ${target.host}, so the guard did not stop it and there is nothing to continue through`);
  }
  if (!context.dnr) throw new HandlerError('unavailable', 'this browser has no declarativeNetRequest API');
  await addBypass(context.dnr, target);
  return { url: target.href };
}
