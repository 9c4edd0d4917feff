import type { UnavailableSource } from '../engine/unavailable';
import type { VerdictView } from './tab-state';

/**
 * What a person needs to know about a verdict, the same for the toolbar badge
 * and the extension's pages. The reason, not only the decision, tells them
 * apart: "excluded" (a deny rule) and "no match" both send no certificate.
 * `pending`: no rules yet because the first sync has not finished
 * (rulesNotKnownYet), told apart from rules that could not be had.
 */
export type VerdictKind = 'allowed' | 'excluded' | 'no-match' | 'not-tls' | 'pending' | 'unavailable' | 'invalid';

export function verdictKind(verdict: Pick<VerdictView, 'reason'>, pending = false): VerdictKind {
  switch (verdict.reason) {
    case 'allow-rule':
      return 'allowed';
    case 'deny-rule':
      return 'excluded';
    case 'no-match':
      return 'no-match';
    case 'not-tls':
      return 'not-tls';
    case 'no-rules':
      return pending ? 'pending' : 'unavailable';
    case 'invalid-url':
      return 'invalid';
  }
}

/**
 * Whether the rules are merely not known yet: the only thing missing is a
 * console profile whose first sync has not ended (no sync failed, nothing
 * rejected, nothing unreadable). Anything else missing is a failure, which
 * people must see as one.
 */
export function rulesNotKnownYet(unavailable: readonly Pick<UnavailableSource, 'code' | 'message'>[]): boolean {
  return unavailable.length > 0 && unavailable.every((entry) => entry.code === 'not-synced' && entry.message === '');
}
