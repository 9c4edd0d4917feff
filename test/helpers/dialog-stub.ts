/**
 * jsdom has <dialog> but neither showModal() nor close(). In jsdom test files
 * (a vitest setup file) this stands in for what the pages rely on from the
 * HTML spec: showModal() opens the dialog and focuses its autofocus element;
 * close() closes it, fires "close" and gives focus back to the element that
 * had it — but not once the dialog has left the page, as in a browser, where
 * removing an open dialog drops it from the top layer without restoring focus. Escape belongs to the browser: a test fires the "cancel" event the
 * browser would send. That the rest of the page is inert while the dialog is
 * open is checked in a real browser (test/e2e/ui.test.ts).
 */
const openers = new WeakMap<HTMLDialogElement, Element | null>();

function showModal(this: HTMLDialogElement): void {
  if (this.open) throw new DOMException('The dialog is already open.', 'InvalidStateError');
  if (!this.isConnected) throw new DOMException('The dialog is not in a document.', 'InvalidStateError');
  openers.set(this, this.ownerDocument.activeElement);
  this.setAttribute('open', '');
  this.querySelector<HTMLElement>('[autofocus]')?.focus();
}

function close(this: HTMLDialogElement): void {
  if (!this.open) return;
  this.removeAttribute('open');
  const previous = openers.get(this);
  openers.delete(this);
  if (this.isConnected && previous instanceof HTMLElement) previous.focus();
  this.dispatchEvent(new Event('close'));
}

if (typeof HTMLDialogElement !== 'undefined' && typeof HTMLDialogElement.prototype.showModal !== 'function') {
  Object.assign(HTMLDialogElement.prototype, { showModal, close });
}

export {};
