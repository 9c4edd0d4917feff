/**
 * The options page's export worker: the policy compiler runs here, off the
 * page's thread, so the page keeps answering while thousands of rules are
 * checked. A module worker from the extension's own origin, built by Vite
 * into its own file (no eval, no remote code: the page's CSP applies).
 * One request per worker: the page starts a worker per export and ends it
 * when the answer is in or no longer wanted.
 */
import type { ExportReply } from './export-protocol';
import { runExportJob } from './export-job';

const scope = self as unknown as {
  postMessage: (reply: ExportReply) => void;
  addEventListener: (type: 'message', listener: (event: MessageEvent) => void) => void;
};

scope.addEventListener('message', (event) => runExportJob(event.data, (reply) => scope.postMessage(reply)));
