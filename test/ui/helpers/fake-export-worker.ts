import { runExportJob } from '../../../src/ui/options/export-job';
import type { ExportReply } from '../../../src/ui/options/export-protocol';

/**
 * Stand-ins for the export worker in jsdom, which has no Worker: the page's
 * real client (export-client.ts) starts them through `new Worker(…)` and
 * talks to them with messages, structured-cloned as a browser would.
 */

/** Runs the worker's own job (export-job.ts) in the test's process, one macrotask per message. */
export class InProcessExportWorker extends EventTarget {
  static started: InProcessExportWorker[] = [];
  terminated = false;

  constructor(
    readonly url: string | URL,
    readonly options?: WorkerOptions,
  ) {
    super();
    InProcessExportWorker.started.push(this);
  }

  postMessage(data: unknown): void {
    const request = structuredClone(data);
    setTimeout(() => {
      if (this.terminated) return;
      runExportJob(request, (reply) => this.deliver(reply));
    });
  }

  deliver(reply: unknown): void {
    const data = structuredClone(reply);
    setTimeout(() => {
      if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data }));
    });
  }

  terminate(): void {
    this.terminated = true;
  }
}

/** A worker the test answers for: it records the request and sends what the test says, when it says. */
export class ScriptedExportWorker extends EventTarget {
  static started: ScriptedExportWorker[] = [];
  requests: unknown[] = [];
  terminated = false;

  constructor(
    readonly url: string | URL,
    readonly options?: WorkerOptions,
  ) {
    super();
    ScriptedExportWorker.started.push(this);
  }

  postMessage(data: unknown): void {
    this.requests.push(structuredClone(data));
  }

  reply(reply: ExportReply | Record<string, unknown>): void {
    if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data: structuredClone(reply) }));
  }

  /** What a browser fires when the script fails to load or throws outside the job. */
  fail(message: string): void {
    if (!this.terminated) this.dispatchEvent(new ErrorEvent('error', { message, cancelable: true }));
  }

  terminate(): void {
    this.terminated = true;
  }
}

/** Puts a stand-in where the page looks for Worker; returns the undo. */
export function installWorker(kind: typeof InProcessExportWorker | typeof ScriptedExportWorker): () => void {
  const global = globalThis as { Worker?: unknown };
  const before = global.Worker;
  kind.started = [];
  global.Worker = kind;
  return () => {
    global.Worker = before;
  };
}
