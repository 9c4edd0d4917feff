import type { UrlEvaluation } from '../../shared/messages';
import type { Sender } from '../../shared/send';
import { rulesNotKnownYet } from '../../shared/verdict-kind';
import { DecisionBadge } from '../common/decision-badge';
import { FindingList } from '../common/finding-list';
import { t, type MessageKey } from '../common/i18n';
import { labelsOf } from '../common/rule-summary';
import { UnavailableList } from '../common/unavailable-list';
import { actionText, ruleNumberText, sourceText } from '../common/rule-text';
import { ruleHash, type RuleRef } from '../common/rule-link';
import { useUrlTest } from '../common/use-url-test';

/** A URL in, the decision out, with the trace: what was compared and every rule that matched. */
export function TesterSection({ sender, onShowRule }: { sender: Sender; onShowRule?: (rule: RuleRef) => void }) {
  const { url, setUrl, result, busy, submit } = useUrlTest(sender);
  return (
    <>
      <p>{t('tester_intro')}</p>
      <form class="inline-form" onSubmit={submit}>
        <label for="tester-url">{t('ui_testUrlLabel')}</label>
        <input
          id="tester-url"
          type="text"
          inputMode="url"
          spellcheck={false}
          autocomplete="off"
          placeholder="intranet.example.com:8443"
          value={url}
          onInput={(event) => setUrl(event.currentTarget.value)}
        />
        <button type="submit" class="primary" disabled={busy}>
          {t('ui_testButton')}
        </button>
      </form>
      <div aria-live="polite" class="tester-result">
        {result && 'error' in result && <p class="error-text">{result.error}</p>}
        {result && 'evaluation' in result && <Trace evaluation={result.evaluation} assumed={result.assumed} onShowRule={onShowRule} />}
      </div>
    </>
  );
}

/** Why no host or port was compared, in the words of the real reason. */
const NOT_COMPARED: Partial<Record<UrlEvaluation['reason'], MessageKey>> = {
  'not-tls': 'tester_notComparedNotTls',
  'invalid-url': 'tester_notComparedInvalid',
};

/** Why the list of matching rules is empty: no rule matched only when rules were compared at all. */
function noneMatchedText(reason: UrlEvaluation['reason']): string {
  if (reason === 'no-rules') return t('tester_noneComparedNoRules');
  if (reason === 'not-tls') return t('tester_noneComparedNotTls');
  if (reason === 'invalid-url') return t('tester_noneComparedInvalid');
  return t('tester_noneMatched');
}

function Trace({ evaluation, assumed, onShowRule }: { evaluation: UrlEvaluation; assumed: boolean; onShowRule: ((rule: RuleRef) => void) | undefined }) {
  const labels = labelsOf(evaluation.sources);
  const notCompared = t(NOT_COMPARED[evaluation.reason] ?? 'tester_notComparedNotTls');
  const decided = evaluation.rule;
  const isDecider = (rule: { source: string; index: number }) => decided !== null && rule.source === decided.source && rule.index === decided.index;
  return (
    <div class="trace">
      <DecisionBadge verdict={evaluation} explain pending={rulesNotKnownYet(evaluation.unavailable)} />
      {evaluation.reason === 'no-rules' && <UnavailableList unavailable={evaluation.unavailable} />}
      <dl class="rule-summary">
        <div>
          <dt>{t('tester_url')}</dt>
          <dd>
            <code>{evaluation.url}</code>
            {assumed && <span class="muted"> {t('tester_assumedHttps')}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('tester_comparedHost')}</dt>
          <dd>{evaluation.host === null ? notCompared : <code>{evaluation.host}</code>}</dd>
        </div>
        <div>
          <dt>{t('tester_comparedPort')}</dt>
          <dd>{evaluation.port === null ? notCompared : <code>{evaluation.port}</code>}</dd>
        </div>
      </dl>
      <h3>{t('tester_matched', evaluation.matched.length)}</h3>
      {evaluation.matched.length === 0 ? (
        <p>{noneMatchedText(evaluation.reason)}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t('tester_matchedCaption')}>
          <table class="trace-table">
            <caption class="visually-hidden">{t('tester_matchedCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ui_ruleSource')}</th>
                <th scope="col">{t('ui_ruleNumberLabel')}</th>
                <th scope="col">{t('ui_ruleHost')}</th>
                <th scope="col">{t('ui_rulePort')}</th>
                <th scope="col">{t('ui_ruleAction')}</th>
                <th scope="col">{t('tester_role')}</th>
              </tr>
            </thead>
            <tbody>
              {evaluation.matched.map((rule) => {
                const lint = evaluation.lint[`${rule.source}:${rule.index}`] ?? [];
                return (
                  <tr key={`${rule.source}:${rule.index}`} class={isDecider(rule) ? 'decider' : undefined} data-decider={isDecider(rule) ? 'true' : 'false'}>
                    <td>{sourceText(rule.source, labels[rule.source])}</td>
                    <td class="rule-number">
                      {/* A link to the rule's row in the rules section (#rule=source:index). */}
                      <a
                        href={ruleHash(rule)}
                        onClick={(event) => {
                          if (!onShowRule) return;
                          event.preventDefault();
                          onShowRule({ source: rule.source, index: rule.index });
                        }}
                      >
                        {ruleNumberText(rule.index)}
                      </a>
                    </td>
                    <td>
                      <code>{rule.host}</code>
                    </td>
                    <td>
                      <code>{rule.port}</code>
                    </td>
                    <td>{actionText(rule.action)}</td>
                    <td>
                      {isDecider(rule) ? <strong>{t('tester_decided')}</strong> : t('tester_overridden')}
                      <FindingList findings={lint} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
