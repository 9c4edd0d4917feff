import type { NetworkPredictionView } from '../../shared/network-prediction';
import type { Sender } from '../../shared/send';
import type { GuardStatus, SettingOrigin } from '../../shared/status';
import { RemoveException } from '../common/guard-exception';
import { t, type MessageKey } from '../common/i18n';
import { ruleReferenceText, sourceText } from '../common/rule-text';
import { GuardSetting } from './guard-setting';

const GUARD_MODE: Record<GuardStatus['mode'], MessageKey> = {
  off: 'policy_guardOff',
  warn: 'policy_guardWarn',
  block: 'policy_guardBlock',
};

/** What the guard enforces right now, which deny rules it could not turn into browser rules, and the exceptions the user made. */
export function GuardView({
  guard,
  origin,
  prediction,
  sender,
  onChanged,
}: {
  guard: GuardStatus;
  /** Where the guard setting comes from: the policy locks it. */
  origin: SettingOrigin;
  prediction: NetworkPredictionView | null;
  sender: Sender;
  onChanged: () => unknown;
}) {
  return (
    <section aria-labelledby="guard-heading" data-guard={guard.mode}>
      <h3 id="guard-heading">{t('policy_guardHeading')}</h3>
      <p>{t(GUARD_MODE[guard.mode])}</p>
      <GuardSetting mode={guard.mode} origin={origin} sender={sender} onSaved={onChanged} />
      {guard.mode !== 'off' && (
        <p>{guard.applied ? t('policy_guardApplied', guard.denyRulesCovered, guard.denyRulesTotal, guard.browserRules) : t('policy_guardNotApplied')}</p>
      )}
      {guard.error && <p class="error-text">{t('policy_guardError', guard.error)}</p>}
      {guard.mode !== 'off' && prediction && <PredictionLine prediction={prediction} />}
      {guard.notFitted.length > 0 && (
        <>
          <p>{t('policy_guardNotFitted', guard.notFitted.length)}</p>
          <ul class="findings">
            {guard.notFitted.map((gap, position) => (
              <li key={position} class="finding finding-warning">
                {sourceText(gap.source)}, {ruleReferenceText(gap.index)}: <code>{gap.host}</code> <code>{gap.port}</code> {gap.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {guard.bypassed.length > 0 && <ExceptionList exceptions={guard.bypassed} sender={sender} onChanged={onChanged} />}
    </section>
  );
}

/** Whether the browser may still connect to an excluded site ahead of a navigation (network-prediction.ts says why it matters). */
function PredictionLine({ prediction }: { prediction: NetworkPredictionView }) {
  if (prediction.error) return <p class="error-text">{t('policy_guardPredictionUnknown', prediction.error)}</p>;
  if (prediction.enabled === true) return <p class="error-text">{t('policy_guardPredictionOn')}</p>;
  if (prediction.enabled === false)
    return <p>{t(prediction.levelOfControl === 'controlled_by_this_extension' ? 'policy_guardPredictionOff' : 'policy_guardPredictionOffElsewhere')}</p>;
  return null;
}

/** The origins the user continued to this browser session, each with "Remove exception". */
function ExceptionList({ exceptions, sender, onChanged }: { exceptions: readonly string[]; sender: Sender; onChanged: () => unknown }) {
  return (
    <section aria-labelledby="guard-exceptions-heading" class="guard-exceptions">
      <h4 id="guard-exceptions-heading">{t('policy_guardExceptions', exceptions.length)}</h4>
      <p>{t('policy_guardExceptionsExplain')}</p>
      <ul>
        {exceptions.map((origin) => (
          <li key={origin} data-exception={origin}>
            <code>{origin}</code> <RemoveException origin={origin} sender={sender} onRemoved={onChanged} label={t('ui_exceptionRemoveFor', origin)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
