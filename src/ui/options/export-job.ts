import { ExportRequestSchema, type ExportPhase, type ExportReply } from './export-protocol';
import { PolicyExportError, policyExport } from './policy-export';

/** Progress is sent at most this often: enough for a moving bar, few enough messages not to busy the page. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Progress as messages: a new step and the end of one always, in between at
 * most one message per interval.
 */
export function throttledProgress(
  post: (reply: ExportReply) => void,
  now: () => number,
  intervalMs = PROGRESS_INTERVAL_MS,
): (phase: ExportPhase, done: number, total: number) => void {
  let lastPost = -Infinity;
  let lastPhase: ExportPhase | null = null;
  return (phase, done, total) => {
    const at = now();
    if (phase === lastPhase && done < total && at - lastPost < intervalMs) return;
    lastPost = at;
    lastPhase = phase;
    post({ type: 'progress', phase, done, total });
  };
}

/**
 * One export, as the worker runs it: checks the request, exports, and posts
 * progress, then the result or an error with a message a person can read.
 * Kept apart from the worker's own file so tests can run it without a worker.
 */
export function runExportJob(data: unknown, post: (reply: ExportReply) => void, now: () => number = () => performance.now()): void {
  const parsed = ExportRequestSchema.safeParse(data);
  if (!parsed.success) {
    post({
      type: 'error',
      code: 'internal',
      message: `the export worker got a request it does not understand: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`,
    });
    return;
  }
  const request = parsed.data;
  const progress = throttledProgress(post, now);
  try {
    const view = policyExport(request.inForce, request.format, request.ports ?? undefined, request.filter ?? request.inForce.certificateFilter, progress);
    post({ type: 'result', view });
  } catch (error) {
    if (error instanceof PolicyExportError) post({ type: 'error', code: error.code, message: error.message });
    else post({ type: 'error', code: 'internal', message: error instanceof Error ? error.message : String(error) });
  }
}
