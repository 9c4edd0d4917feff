import { useEffect, useRef, useState } from 'preact/hooks';
import { GUARD_MODES, type GuardMode } from '../../config/settings-schema';
import type { Sender } from '../../shared/send';
import type { SettingOrigin } from '../../shared/status';
import { errorText } from '../common/errors';
import { Icon } from '../common/icon';
import { t, type MessageKey } from '../common/i18n';
import { StatusLine } from './status-line';

const CHOICE: Record<GuardMode, MessageKey> = {
  off: 'policy_guardChoiceOff',
  warn: 'policy_guardChoiceWarn',
  block: 'policy_guardChoiceBlock',
};

/**
 * The guard as a setting of this browser, when the organisation's policy does
 * not set it; locked, with the reason, when it does. `off` clears the local
 * value (the default applies again).
 */
export function GuardSetting({ mode, origin, sender, onSaved }: { mode: GuardMode; origin: SettingOrigin; sender: Sender; onSaved: () => unknown }) {
  const [choice, setChoice] = useState<GuardMode>(mode);
  const [status, setStatus] = useState<{ busy: boolean; text: string; error: boolean }>({ busy: false, text: '', error: false });
  // What the background holds changes under the page (another page, a policy): follow it, but only
  // a change — the first run would overwrite a choice made before the effect ran.
  const shown = useRef(mode);
  useEffect(() => {
    if (shown.current === mode) return;
    shown.current = mode;
    setChoice(mode);
  }, [mode]);
  const locked = origin === 'policy';
  const save = async (event: Event) => {
    event.preventDefault();
    setStatus({ busy: true, text: '', error: false });
    try {
      await sender({ type: 'setLocalSettings', settings: { guard: choice === 'off' ? null : choice } });
      setStatus({ busy: false, text: t('policy_guardSaved', t(CHOICE[choice])), error: false });
      await onSaved();
    } catch (error) {
      setStatus({ busy: false, text: t('policy_guardSaveFailed', errorText(error)), error: true });
    }
  };
  return (
    <form class="guard-setting" onSubmit={save}>
      <p class="field">
        <label for="guard-setting">{t('policy_guardSettingLabel')}</label>{' '}
        <select
          id="guard-setting"
          value={choice}
          disabled={locked}
          aria-describedby="guard-setting-help"
          onChange={(event) => setChoice(event.currentTarget.value as GuardMode)}
        >
          {GUARD_MODES.map((value) => (
            <option key={value} value={value}>
              {t(CHOICE[value])}
            </option>
          ))}
        </select>
      </p>
      <p id="guard-setting-help" class="muted">
        {t('policy_guardSettingHelp')}
      </p>
      {locked ? (
        <p class="lock-reason">
          <Icon name="lock" /> {t('policy_guardLocked')}
        </p>
      ) : (
        <div class="button-row">
          <button type="submit" disabled={status.busy || choice === mode}>
            {t('policy_guardSave')}
          </button>
        </div>
      )}
      <StatusLine status={status} />
    </form>
  );
}
