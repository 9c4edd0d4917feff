import { useState } from 'preact/hooks';
import type { Sender } from '../../shared/send';
import { errorText } from './errors';
import { t } from './i18n';

/**
 * The guard's exception for an address, when the user continued to its
 * origin this browser session: that origin (as GuardStatus.bypassed lists
 * it), else null. An exception covers exactly one origin — scheme, host and
 * port — so the address's own origin must be listed, nothing broader.
 */
export function exceptionFor(url: string | null | undefined, exceptions: readonly string[]): string | null {
  if (!url) return null;
  try {
    const { origin, protocol } = new URL(url);
    return protocol === 'https:' && exceptions.includes(origin) ? origin : null;
  } catch {
    return null;
  }
}

/** "Remove exception" for one origin: the background ends it (the guard stops the origin again), then the page says so. */
export function RemoveException({ origin, sender, onRemoved, label }: { origin: string; sender: Sender; onRemoved: () => unknown; label?: string }) {
  const [state, setState] = useState<{ busy: boolean; message: string; failed: boolean }>({ busy: false, message: '', failed: false });
  const remove = async () => {
    setState({ busy: true, message: '', failed: false });
    try {
      await sender({ type: 'guardRemoveException', origin });
      setState({ busy: false, message: t('ui_exceptionRemoved', origin), failed: false });
      await onRemoved();
    } catch (error) {
      setState({ busy: false, message: t('ui_exceptionRemoveFailed', errorText(error)), failed: true });
    }
  };
  return (
    <>
      <button type="button" onClick={remove} disabled={state.busy} aria-label={label}>
        {t('ui_exceptionRemove')}
      </button>
      <span role="status" class={state.failed ? 'error-text' : undefined}>
        {state.message}
      </span>
    </>
  );
}
