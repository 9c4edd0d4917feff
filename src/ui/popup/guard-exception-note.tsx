import type { Sender } from '../../shared/send';
import { RemoveException } from '../common/guard-exception';
import { t } from '../common/i18n';

/** The current site is let through the guard by the user's own "continue": say so, what it covers, and offer to end it. */
export function GuardExceptionNote({ origin, sender, onRemoved }: { origin: string; sender: Sender; onRemoved: () => unknown }) {
  return (
    <section class="guard-exception" aria-labelledby="guard-exception-heading" data-exception={origin}>
      <h2 id="guard-exception-heading">{t('popup_exceptionTitle')}</h2>
      <p>{t('popup_exceptionExplain', origin)}</p>
      <div class="button-row">
        <RemoveException origin={origin} sender={sender} onRemoved={onRemoved} />
      </div>
    </section>
  );
}
