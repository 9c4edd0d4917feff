import { useEffect, useState } from 'preact/hooks';
import { guardStopFor, type GuardStop } from '../../shared/guard-stop';
import type { UrlEvaluation } from '../../shared/messages';
import { readNetworkPrediction, type NetworkPredictionView } from '../../shared/network-prediction';
import type { Sender } from '../../shared/send';
import { DecisionBadge } from '../common/decision-badge';
import { errorText } from '../common/errors';
import { FindingList } from '../common/finding-list';
import { t, type MessageKey } from '../common/i18n';
import { labelsOf, RuleSummary } from '../common/rule-summary';
import { useLoad } from '../common/use-async';
import { shownUrl } from './blocked-url';
import type { GuardExit, GuardExitKind } from './exit';

/** The origin an exception would cover: the address's scheme, host and port. */
function originOf(url: string | null): string {
  try {
    return new URL(url ?? '').origin;
  } catch {
    return '';
  }
}

interface GuardInfo {
  evaluation: UrlEvaluation;
  /** What the guard does with the address under the rules in force, asked of the background. */
  stop: GuardStop;
  /** A policy or another extension keeps network prediction on: the browser may have connected to the site ahead of the navigation. */
  predictionOn: boolean;
}

export interface GuardPageProps {
  sender: Sender;
  /** The address that was stopped; null when the page was opened without one. */
  blockedUrl: string | null;
  /** Leaves for the site after "continue" (location.replace in the page). */
  navigate: (url: string) => void;
  /** The browser's network prediction setting (read from the browser, as the background reads it). */
  networkPrediction?: () => Promise<NetworkPredictionView>;
  /** How to leave without continuing (exit.ts); by default, back in the tab's history. */
  exit?: () => Promise<GuardExit>;
}

const BACK: GuardExit = { kind: 'back', leave: async () => history.back() };
const goBack = async () => BACK;
const EXIT_LABEL: Record<GuardExitKind, MessageKey> = { back: 'guard_goBack', 'close-tab': 'guard_closeTab', 'new-tab': 'guard_newTab' };

/**
 * Shown instead of a site that an explicit noCertificate rule covers (guard
 * `warn` or `block`): the host, the rule and what it means; under `warn`, a
 * way through for the rest of the browser session.
 *
 * Any site can open this page with any address, so it first asks the
 * background whether the guard stops that address right now, and says it was
 * not opened by the guard when it does not.
 */
export function GuardPage({ sender, blockedUrl, navigate, networkPrediction = readNetworkPrediction, exit = goBack }: GuardPageProps) {
  const [leaving] = useLoad(exit, [exit]);
  const [info] = useLoad<GuardInfo | null>(async () => {
    if (blockedUrl === null) return null;
    const [evaluation, status, prediction] = await Promise.all([
      sender({ type: 'evaluateUrl', url: blockedUrl }),
      sender({ type: 'getStatus' }),
      networkPrediction(),
    ]);
    return { evaluation, stop: guardStopFor(status.guard.mode, blockedUrl, evaluation), predictionOn: prediction.enabled !== false };
  }, [sender, blockedUrl, networkPrediction]);
  const stopped = info.state === 'ready' && info.value !== null && info.value.stop !== 'none';
  const notStopped = info.state === 'ready' && info.value !== null && info.value.stop === 'none';
  // Until the background has confirmed the stop, the page claims nothing.
  const heading = stopped ? t('guard_title') : notStopped ? t('guard_notStoppedTitle') : t('extensionName');
  useEffect(() => {
    document.title = heading;
  }, [heading]);
  const [continuing, setContinuing] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  const proceed = async () => {
    if (!blockedUrl) return;
    setContinuing({ busy: true, error: null });
    try {
      const answer = await sender({ type: 'guardContinue', url: blockedUrl });
      navigate(answer.url);
    } catch (error) {
      setContinuing({ busy: false, error: errorText(error) });
    }
  };

  return (
    <main class="guard">
      <h1>{heading}</h1>
      {blockedUrl === null && <p>{t('guard_noUrl')}</p>}
      {info.state === 'loading' && blockedUrl !== null && <p role="status">{t('ui_loading')}</p>}
      {info.state === 'error' && (
        <p role="alert" class="error-text">
          {t('guard_loadFailed', info.message)}
        </p>
      )}
      {notStopped && <p role="alert">{t('guard_notStopped')}</p>}
      {info.state === 'ready' && info.value && info.value.stop !== 'none' && (
        <>
          <p class="guard-host">
            {t('guard_host')} <code>{info.value.evaluation.host ?? shownUrl(info.value.evaluation.url)}</code>
            {info.value.evaluation.port !== null && info.value.evaluation.port !== '443' && <code>:{info.value.evaluation.port}</code>}
          </p>
          <DecisionBadge verdict={info.value.evaluation} explain />
          <p>{t(info.value.predictionOn ? 'guard_meaningPredicted' : 'guard_meaning')}</p>
          {info.value.evaluation.rule && (
            <section class="guard-rule" aria-labelledby="guard-rule-heading">
              <h2 id="guard-rule-heading">{t('guard_rule')}</h2>
              <RuleSummary rule={info.value.evaluation.rule} labels={labelsOf(info.value.evaluation.sources)} />
              <FindingList findings={info.value.evaluation.lint[`${info.value.evaluation.rule.source}:${info.value.evaluation.rule.index}`] ?? []} />
            </section>
          )}
          <p class="muted">
            {t('guard_address')} <code>{shownUrl(blockedUrl ?? '')}</code>
          </p>
          <div class="guard-actions">
            <p>{info.value.stop === 'warn' ? t('guard_warnHelp', originOf(blockedUrl)) : t('guard_blockHelp')}</p>
            <div class="button-row">
              {info.value.stop === 'warn' && (
                <button type="button" class="danger" onClick={proceed} disabled={continuing.busy}>
                  {t('guard_continue')}
                </button>
              )}
              {leaving.state === 'ready' && (
                <button type="button" data-exit={leaving.value.kind} onClick={() => void leaving.value.leave()}>
                  {t(EXIT_LABEL[leaving.value.kind])}
                </button>
              )}
            </div>
            {leaving.state === 'ready' && leaving.value.kind !== 'back' && <p class="muted">{t('guard_noHistory')}</p>}
            {continuing.error && (
              <p role="alert" class="error-text">
                {t('guard_continueFailed', continuing.error)}
              </p>
            )}
          </div>
        </>
      )}
    </main>
  );
}
