import type { PolicyOutcome } from './policy-report';

/**
 * Each export outcome in words: a short label and a one-line explanation.
 * The options page shows the same English from its message catalogue
 * (browserPolicy_outcome*); the command line, which has no catalogue, uses
 * these, so both say the same thing. The JSON report keeps the codes.
 */
export const OUTCOME_WORDS: Readonly<Record<PolicyOutcome, { label: string; explanation: string }>> = {
  exact: {
    label: 'Exact',
    explanation: 'The browser auto-selects the certificate exactly where this rule gives it.',
  },
  narrower: {
    label: 'Narrower',
    explanation: 'The browser auto-selects the certificate on some of the hosts or ports this rule covers, never on more; the note names one it leaves out.',
  },
  'not-expressible': {
    label: 'Not expressible',
    explanation: 'No entry can express this rule: the browser never auto-selects the certificate for it, and asks the user when a site wants one.',
  },
  asks: {
    label: 'Asks the user',
    explanation: 'A rule that never sends the certificate: the browser cannot refuse to send one, so the policy makes it ask the user there instead.',
  },
};

/** The outcomes in the order a legend lists them. */
export const OUTCOME_ORDER: readonly PolicyOutcome[] = ['exact', 'narrower', 'not-expressible', 'asks'];
