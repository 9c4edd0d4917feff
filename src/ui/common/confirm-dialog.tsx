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
 * A modal confirmation on the platform's <dialog>: showModal() makes the rest
 * of the page inert, keeps Tab inside, focuses the autofocus button (Cancel,
 * the safe choice), turns Escape into a "cancel" event, and close() gives focus
 * back to what opened it.
 */
function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: (confirmed: boolean) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);
  // Closed while still in the page, so the browser gives the focus back; then the answer unmounts it.
  const answer = (confirmed: boolean) => {
    dialog.current?.close();
    onClose(confirmed);
  };
  const onCancel = (event: Event) => {
    event.preventDefault();
    answer(false);
  };
  return (
    <dialog class="dialog" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-body" ref={dialog} onCancel={onCancel}>
      <h2 id="confirm-title">{request.title}</h2>
      <div id="confirm-body">{request.body}</div>
      <div class="button-row">
        <button type="button" autofocus onClick={() => answer(false)}>
          {t('ui_cancel')}
        </button>
        <button type="button" class={request.danger ? 'danger' : 'primary'} onClick={() => answer(true)}>
          {request.confirmLabel}
        </button>
      </div>
    </dialog>
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
