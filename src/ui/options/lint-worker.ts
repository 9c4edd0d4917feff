/**
 * The rule editor's lint worker: the warnings that compare every rule with the
 * others (tens of milliseconds at 5,000 rules) are found here, off the page's
 * thread, so typing in the page is never held up by them. A module worker
 * from the extension's own origin, built by Vite into its own file; one per
 * page, answering each numbered request in turn.
 */
import { runLintJob } from './lint-job';

const scope = self as unknown as {
  postMessage: (reply: unknown) => void;
  addEventListener: (type: 'message', listener: (event: MessageEvent) => void) => void;
};

scope.addEventListener('message', (event) => scope.postMessage(runLintJob(event.data)));
