import type { Endpoint } from '../../shared/tab-state';
import { DECISION_ORDER, decisionKind, decisionTitle, type DecisionKind } from '../common/decision';
import { Icon } from '../common/icon';
import { t } from '../common/i18n';
import type { SourceLabels } from '../common/rule-summary';
import { RuleAnchor, type RuleLinker } from '../common/rule-anchor';
import { ruleShortText } from '../common/rule-short';

/** Every other TLS endpoint the page contacted, grouped by what the rules say about it. */
export function EndpointGroups({
  endpoints,
  dropped,
  labels,
  pending = false,
  linker,
}: {
  endpoints: readonly Endpoint[];
  dropped: number;
  labels: SourceLabels;
  /** The rules are not known yet (rulesNotKnownYet). */
  pending?: boolean;
  linker?: RuleLinker;
}) {
  if (endpoints.length === 0 && dropped === 0) return null;
  const groups = new Map<DecisionKind, Endpoint[]>();
  for (const endpoint of endpoints) {
    const kind = decisionKind(endpoint.verdict, pending);
    groups.set(kind, [...(groups.get(kind) ?? []), endpoint]);
  }
  return (
    <section class="endpoints" aria-labelledby="endpoints-heading">
      <h2 id="endpoints-heading">{t('popup_otherEndpoints', endpoints.length)}</h2>
      {DECISION_ORDER.filter((kind) => groups.has(kind)).map((kind) => {
        const members = groups.get(kind) ?? [];
        return (
          <details key={kind} open={kind === 'excluded' || kind === 'unavailable'} class="endpoint-group" data-group={kind}>
            <summary class={`kind-${kind}`}>
              <Icon name={kind} /> {t('popup_endpointGroup', decisionTitle(kind), members.length)}
            </summary>
            <ul>
              {members.map((endpoint) => (
                <li key={`${endpoint.host}:${endpoint.port}`}>
                  <code>
                    {endpoint.host}:{endpoint.port}
                  </code>{' '}
                  <span class="muted">{t('popup_requestCount', endpoint.requests)}</span>
                  {endpoint.verdict.rule && (
                    <div class="muted">
                      <RuleAnchor rule={endpoint.verdict.rule} linker={linker}>
                        {ruleShortText(endpoint.verdict.rule, labels)}
                      </RuleAnchor>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </details>
        );
      })}
      {dropped > 0 && <p class="muted">{t('popup_endpointsDropped', dropped)}</p>}
    </section>
  );
}
