import { t } from '../common/i18n';
import { ExportReplySchema, type ExportProgress, type ExportRequest } from './export-protocol';
import { PolicyExportError, type PolicyExportView } from './policy-export';

/** Starts the export worker: a module worker Vite builds from export-worker.ts into a file of the extension. */
export type ExportWorkerFactory = () => Worker;

export const startExportWorker: ExportWorkerFactory = () => new Worker(new URL('./export-worker.ts', import.meta.url), { type: 'module' });

/** The worker failed (could not start, threw, or answered something unreadable): the page says so in words. */
export class ExportWorkerError extends Error {}

/** The export was no longer wanted (a newer one replaced it, or the section closed). */
export class ExportCancelled extends Error {
  constructor() {
    super('export cancelled');
  }
}

export interface ExportRun {
  onProgress?: (progress: ExportProgress) => void;
  /** Ends the worker at once when aborted. */
  signal?: AbortSignal;
  startWorker?: ExportWorkerFactory;
}

/**
 * One export in its own worker, off the page's thread: progress as it comes,
 * then the file and report. The worker is ended when the answer is in, when
 * it fails, or when `signal` aborts; every failure is an error with a message
 * for a person (PolicyExportError when the export itself refused).
 */
export function exportInWorker(request: ExportRequest, run: ExportRun = {}): Promise<PolicyExportView> {
  const { onProgress, signal, startWorker = startExportWorker } = run;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ExportCancelled());
      return;
    }
    let worker: Worker;
    try {
      worker = startWorker();
    } catch (error) {
      reject(new ExportWorkerError(t('browserPolicy_workerStartFailed', error instanceof Error ? error.message : String(error))));
      return;
    }
    const finish = (settle: () => void) => {
      worker.terminate();
      signal?.removeEventListener('abort', abort);
      settle();
    };
    const abort = () => finish(() => reject(new ExportCancelled()));
    signal?.addEventListener('abort', abort);
    worker.addEventListener('message', (event: MessageEvent) => {
      const reply = ExportReplySchema.safeParse(event.data);
      if (!reply.success) {
        finish(() => reject(new ExportWorkerError(t('browserPolicy_workerUnreadable'))));
        return;
      }
      const message = reply.data;
      if (message.type === 'progress') onProgress?.(message);
      else if (message.type === 'result') finish(() => resolve(message.view));
      else {
        const { code, message: text } = message;
        if (code === 'internal') finish(() => reject(new ExportWorkerError(t('browserPolicy_workerFailed', text))));
        else finish(() => reject(new PolicyExportError(code, text)));
      }
    });
    worker.addEventListener('messageerror', () => finish(() => reject(new ExportWorkerError(t('browserPolicy_workerUnreadable')))));
    // A script that does not load, or an exception the job did not catch: the event's message says which, when the browser tells.
    worker.addEventListener('error', (event: ErrorEvent) => {
      event.preventDefault();
      finish(() => reject(new ExportWorkerError(t('browserPolicy_workerFailed', event.message || t('browserPolicy_workerNoDetail')))));
    });
    worker.postMessage(request);
  });
}
