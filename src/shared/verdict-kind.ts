import type { VerdictView } from './tab-state';

/**
 * What a person needs to know about a verdict, the same for the toolbar badge
 * and the extension's pages. The reason, not only the decision, tells them
 * apart: "excluded" (a deny rule) and "no match" both send no certificate.
 */
export type VerdictKind = 'allowed' | 'excluded' | 'no-match' | 'not-tls' | 'unavailable' | 'invalid';

export function verdictKind(verdict: Pick<VerdictView, 'reason'>): VerdictKind {
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
      return 'unavailable';
    case 'invalid-url':
      return 'invalid';
  }
}
