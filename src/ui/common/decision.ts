import type { VerdictView } from '../../shared/tab-state';
import { verdictKind } from '../../shared/verdict-kind';
import { t, type MessageKey } from './i18n';

/** What a person needs to know about a verdict: the five decisions the badge and popup distinguish, rules not known yet, and an unreadable address. */
export type DecisionKind = 'allowed' | 'excluded' | 'no-rule' | 'not-tls' | 'pending' | 'unavailable' | 'invalid';

/** Grouping order in lists: what restricts first, then what sends, then the rest. */
export const DECISION_ORDER: readonly DecisionKind[] = ['excluded', 'allowed', 'no-rule', 'pending', 'unavailable', 'invalid', 'not-tls'];

/**
 * The verdict's kind (shared with the badge); the pages name "no match" `no-rule`
 * (their CSS classes and data attributes). `pending`: the rules are not known
 * yet (rulesNotKnownYet), so "no rules" reads as waiting, not as a failure.
 */
export function decisionKind(verdict: Pick<VerdictView, 'reason'>, pending = false): DecisionKind {
  const kind = verdictKind(verdict, pending);
  return kind === 'no-match' ? 'no-rule' : kind;
}

const TITLE: Record<DecisionKind, MessageKey> = {
  allowed: 'ui_decisionAllowed',
  excluded: 'ui_decisionExcluded',
  'no-rule': 'ui_decisionNoRule',
  'not-tls': 'ui_decisionNotTls',
  pending: 'ui_decisionPending',
  unavailable: 'ui_decisionUnavailable',
  invalid: 'ui_decisionInvalid',
};

const EXPLANATION: Record<DecisionKind, MessageKey> = {
  allowed: 'ui_reasonAllowed',
  excluded: 'ui_reasonExcluded',
  'no-rule': 'ui_reasonNoRule',
  'not-tls': 'ui_reasonNotTls',
  pending: 'ui_reasonPending',
  unavailable: 'ui_reasonUnavailable',
  invalid: 'ui_reasonInvalid',
};

/** The decision in a few words ("Certificate allowed"). */
export const decisionTitle = (kind: DecisionKind): string => t(TITLE[kind]);

/** One sentence saying why, in terms of the rules. */
export const decisionExplanation = (kind: DecisionKind): string => t(EXPLANATION[kind]);
