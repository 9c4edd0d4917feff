import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from './i18n';

export interface ConfirmRequest {
  title: string;
  body: ComponentChildren;
  confirmLabel: string;
  /** Styles the confirm button as destructive (archive, replace). */
  danger?: boolean;
}

/**
 * A modal confirmation: focus moves into it, Tab stays inside, Escape cancels,
 * and focus returns to what opened it. Built by hand because jsdom (tests) has
 * no showModal.
 */
function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: (confirmed: boolean) => void }) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => opener?.focus?.();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose(false);
      return;
    }
    if (event.key !== 'Tab' || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>('button, [href], input, select, textarea')];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };
  return (
    <div class="dialog-backdrop">
      <div
        class="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-body"
        ref={dialog}
        onKeyDown={onKeyDown}
      >
        <h2 id="confirm-title">{request.title}</h2>
        <div id="confirm-body">{request.body}</div>
        <div class="button-row">
          <button type="button" data-autofocus onClick={() => onClose(false)}>
            {t('ui_cancel')}
          </button>
          <button type="button" class={request.danger ? 'danger' : 'primary'} onClick={() => onClose(true)}>
            {request.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

/** `[dialog, confirm]`: render `dialog` somewhere; `await confirm(request)` answers true or false. */
export function useConfirm(): [ComponentChildren, (request: ConfirmRequest) => Promise<boolean>] {
  const [pending, setPending] = useState<{ request: ConfirmRequest; resolve: (value: boolean) => void } | null>(null);
  const confirm = (request: ConfirmRequest) => new Promise<boolean>((resolve) => setPending({ request, resolve }));
  const dialog = pending ? (
    <ConfirmDialog
      request={pending.request}
      onClose={(confirmed) => {
        pending.resolve(confirmed);
        setPending(null);
      }}
    />
  ) : null;
  return [dialog, confirm];
}
