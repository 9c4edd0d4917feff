import type { Finding, NormalizedRule } from '../../engine/model';
import { lintDraft } from './lint-job';
import { isLintReply } from './lint-protocol';

/** Lints a draft's valid rules; the answer may come later (from a worker). */
export type DraftLinter = (valid: readonly NormalizedRule[]) => Promise<Finding[]>;

/** Starts the lint worker: a module worker Vite builds from lint-worker.ts into a file of the extension. */
export type LintWorkerFactory = () => Worker;

export const startLintWorker: LintWorkerFactory = () => new Worker(new URL('./lint-worker.ts', import.meta.url), { type: 'module' });

/** In the page itself: where no worker can run, or after the worker failed. */
export const lintInPage: DraftLinter = async (valid) => lintDraft(valid);

/**
 * A linter that runs in one worker, started at its first use and kept for
 * the page. Where no worker can start, or once the worker failed (an error,
 * an answer it cannot read), every request pending and after is linted in the
 * page instead: the warnings are advice, and late advice beats none.
 */
export function workerLinter(startWorker: LintWorkerFactory = startLintWorker): DraftLinter {
  let worker: Worker | null = null;
  let failed = false;
  let nextId = 0;
  const pending = new Map<number, { valid: readonly NormalizedRule[]; resolve: (findings: Finding[]) => void }>();

  const fallBack = () => {
    failed = true;
    worker?.terminate();
    worker = null;
    for (const [id, request] of pending) {
      pending.delete(id);
      request.resolve(lintDraft(request.valid));
    }
  };

  const started = (): Worker | null => {
    if (worker || failed) return worker;
    try {
      worker = startWorker();
    } catch {
      failed = true;
      return null;
    }
    worker.addEventListener('message', (event: MessageEvent) => {
      const data: unknown = event.data;
      // Checked once: the check reads every finding of thousands of rules.
      const reply = isLintReply(data) ? data : null;
      const request = reply ? pending.get(reply.id) : undefined;
      if (!reply || !request || 'error' in reply) {
        fallBack();
        return;
      }
      pending.delete(reply.id);
      request.resolve(reply.findings);
    });
    worker.addEventListener('messageerror', fallBack);
    worker.addEventListener('error', (event: ErrorEvent) => {
      event.preventDefault();
      fallBack();
    });
    return worker;
  };

  return (valid) => {
    const target = started();
    if (!target) return lintInPage(valid);
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, { valid, resolve });
      target.postMessage({ id, rules: valid });
    });
  };
}

/** The page's one lint worker, for every editor on it (started at the first lint, not at load). */
export const lintOffThread: DraftLinter = typeof Worker === 'function' ? workerLinter() : lintInPage;
