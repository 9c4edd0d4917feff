import { decisionExplanation, decisionKind, decisionTitle } from './decision';
import { Icon } from './icon';
import type { VerdictView } from '../../shared/tab-state';

/** The decision in words with its icon and colour; colour is never the only signal. `pending`: the rules are not known yet. */
export function DecisionBadge({ verdict, explain = false, pending = false }: { verdict: Pick<VerdictView, 'reason'>; explain?: boolean; pending?: boolean }) {
  const kind = decisionKind(verdict, pending);
  return (
    <div class={`decision decision-${kind}`} data-decision={kind}>
      <p class="decision-title">
        <Icon name={kind} />
        <strong>{decisionTitle(kind)}</strong>
      </p>
      {explain && <p class="decision-reason">{decisionExplanation(kind)}</p>}
    </div>
  );
}
