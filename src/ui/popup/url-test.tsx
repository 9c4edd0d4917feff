import type { Sender } from '../../shared/send';
import { rulesNotKnownYet } from '../../shared/verdict-kind';
import { DecisionBadge } from '../common/decision-badge';
import { t } from '../common/i18n';
import { labelsOf } from '../common/rule-summary';
import { RuleAnchor, type RuleLinker } from '../common/rule-anchor';
import { ruleShortText } from '../common/rule-short';
import { useUrlTest } from '../common/use-url-test';

/** "Test a URL": the decision for any address, without leaving the popup. */
export function UrlTest({ sender, linker }: { sender: Sender; linker?: RuleLinker }) {
  const { url, setUrl, result, submit } = useUrlTest(sender);
  return (
    <section class="url-test" aria-labelledby="url-test-heading">
      <h2 id="url-test-heading">{t('popup_testHeading')}</h2>
      <form onSubmit={submit} class="url-test-form">
        <label for="popup-test-url" class="visually-hidden">
          {t('ui_testUrlLabel')}
        </label>
        <input
          id="popup-test-url"
          type="text"
          inputMode="url"
          spellcheck={false}
          autocomplete="off"
          placeholder="intranet.example.com"
          value={url}
          onInput={(event) => setUrl(event.currentTarget.value)}
        />
        <button type="submit">{t('ui_testButton')}</button>
      </form>
      <div aria-live="polite" class="url-test-result">
        {result && 'error' in result && <p class="error-text">{result.error}</p>}
        {result && 'evaluation' in result && (
          <>
            <p>
              {result.evaluation.host ? (
                <code>
                  {result.evaluation.host}:{result.evaluation.port}
                </code>
              ) : (
                <code>{result.evaluation.url}</code>
              )}
            </p>
            <DecisionBadge verdict={result.evaluation} pending={rulesNotKnownYet(result.evaluation.unavailable)} />
            {result.evaluation.rule && (
              <p class="muted">
                <RuleAnchor rule={result.evaluation.rule} linker={linker}>
                  {ruleShortText(result.evaluation.rule, labelsOf(result.evaluation.sources))}
                </RuleAnchor>
              </p>
            )}
          </>
        )}
      </div>
    </section>
  );
}
