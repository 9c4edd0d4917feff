import type { ClientAuthEvent } from '../../shared/tab-state';
import { decisionKind, decisionTitle } from '../common/decision';
import { Icon } from '../common/icon';
import { t } from '../common/i18n';
import type { SourceLabels } from '../common/rule-summary';
import { RuleAnchor, type RuleLinker } from '../common/rule-anchor';
import { ruleShortText } from '../common/rule-short';

/** Requests that failed because the server asked for a client certificate, each with what the rules say. */
export function ClientAuthList({
  events,
  labels,
  pending = false,
  linker,
}: {
  events: readonly ClientAuthEvent[];
  labels: SourceLabels;
  pending?: boolean;
  linker?: RuleLinker;
}) {
  if (events.length === 0) return null;
  return (
    <section class="client-auth" aria-labelledby="client-auth-heading">
      <h2 id="client-auth-heading">{t('popup_clientAuthHeading', events.length)}</h2>
      <ul>
        {events.map((event, position) => {
          const kind = decisionKind(event.verdict, pending);
          return (
            <li key={position} data-decision={kind}>
              <code>
                {event.host}:{event.port}
              </code>{' '}
              <span class="muted">{event.error}</span>
              <div class={`kind-${kind}`}>
                <Icon name={kind} /> {t('popup_rulesSay', decisionTitle(kind))}
              </div>
              {event.verdict.rule && (
                <div class="muted">
                  <RuleAnchor rule={event.verdict.rule} linker={linker}>
                    {ruleShortText(event.verdict.rule, labels)}
                  </RuleAnchor>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
