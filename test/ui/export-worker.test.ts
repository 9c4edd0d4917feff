import { beforeEach, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/engine/index';
import { ExportCancelled, ExportWorkerError, exportInWorker } from '../../src/ui/options/export-client';
import { runExportJob, throttledProgress } from '../../src/ui/options/export-job';
import type { ExportReply, ExportRequest } from '../../src/ui/options/export-protocol';
import { PolicyExportError } from '../../src/ui/options/policy-export';
import { InProcessExportWorker, ScriptedExportWorker } from './helpers/fake-export-worker';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);

const request = (count = 3, format = 'chrome-json'): ExportRequest => ({
  inForce: {
    sources: [
      compileSource(
        'profile',
        Array.from({ length: count }, (_, i) => ({ host: `h${i}.example`, port: '', action: 'useEnrollmentCertificate' })),
      ),
    ],
    certificateFilter: null,
  },
  format,
  ports: null,
  filter: { issuer: { CN: 'Acme CA' } },
});

describe('the export job (what the worker runs)', () => {
  it('posts progress in order, then the result', () => {
    const replies: ExportReply[] = [];
    runExportJob(request(), (reply) => replies.push(reply));
    const lines = replies.map((reply) => (reply.type === 'progress' ? `${reply.phase} ${reply.done}/${reply.total}` : reply.type));
    expect(lines.slice(0, 2)).toEqual(['prepare 0/3', 'check 0/100']);
    expect(lines.slice(-3)).toEqual(['check 100/100', 'write 3/3', 'result']);
    // Within the check, a slow machine may see one more progress message per 100 ms: in order, below the end.
    const during = lines.slice(2, -3).map((line) => Number(/^check (\d+)\/100$/.exec(line)?.[1]));
    expect(during.every((done) => done > 0 && done < 100)).toBe(true);
    expect(during).toEqual([...during].sort((a, b) => a - b));
    const result = replies.at(-1) as Extract<ExportReply, { type: 'result' }>;
    expect(result.view.filename).toBe('cert-rules-chrome.json');
    expect(result.view.text).toContain('Acme CA');
    expect(result.view.report).toHaveLength(3);
  });

  it('sends progress within a step at most every 100 ms, but always a new step and the end of one', () => {
    let clock = 0;
    const posted: string[] = [];
    const progress = throttledProgress(
      (reply) => posted.push(reply.type === 'progress' ? `${reply.phase} ${reply.done}` : reply.type),
      () => clock,
    );
    for (let done = 0; done < 1000; done++) {
      progress('check', done, 1000);
      clock += 1;
    }
    progress('check', 1000, 1000);
    progress('write', 1000, 1000);
    expect(posted).toEqual([
      'check 0',
      'check 100',
      'check 200',
      'check 300',
      'check 400',
      'check 500',
      'check 600',
      'check 700',
      'check 800',
      'check 900',
      'check 1000',
      'write 1000',
    ]);
  });

  it('says what is wrong with a request it cannot read, and what the export refused', () => {
    const replies: ExportReply[] = [];
    runExportJob({ format: 'chrome-json' }, (reply) => replies.push(reply));
    expect(replies).toEqual([{ type: 'error', code: 'internal', message: expect.stringMatching(/^the export worker got a request it does not understand: /) }]);
    replies.length = 0;
    runExportJob(request(2, 'chrome-xml'), (reply) => replies.push(reply));
    expect(replies.at(-1)).toEqual({ type: 'error', code: 'invalid-request', message: expect.stringContaining('unknown format "chrome-xml"') });
    replies.length = 0;
    runExportJob({ ...request(), inForce: { sources: [], certificateFilter: null } }, (reply) => replies.push(reply));
    expect(replies.at(-1)).toMatchObject({ type: 'error', code: 'no-rules' });
  });
});

describe('the page side of the export worker', () => {
  it('runs the job in its worker and ends the worker with the answer', async () => {
    InProcessExportWorker.started = [];
    const seen: string[] = [];
    const view = await exportInWorker(request(5), {
      startWorker: () => new InProcessExportWorker('export-worker.js', { type: 'module' }) as unknown as Worker,
      onProgress: (progress) => seen.push(progress.phase),
    });
    expect(view.report).toHaveLength(5);
    expect(seen).toEqual(['prepare', 'check', 'check', 'write']);
    expect(InProcessExportWorker.started.map((worker) => worker.terminated)).toEqual([true]);
  });

  it('an abort ends the worker at once and settles as cancelled', async () => {
    ScriptedExportWorker.started = [];
    const controller = new AbortController();
    const running = exportInWorker(request(), { signal: controller.signal, startWorker: () => new ScriptedExportWorker('w.js') as unknown as Worker });
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(ExportCancelled);
    expect(ScriptedExportWorker.started[0]?.terminated).toBe(true);
    // Aborted before it starts: no worker at all.
    await expect(
      exportInWorker(request(), { signal: controller.signal, startWorker: () => new ScriptedExportWorker('w.js') as unknown as Worker }),
    ).rejects.toBeInstanceOf(ExportCancelled);
    expect(ScriptedExportWorker.started).toHaveLength(1);
  });

  it('a worker the browser will not start, and a refusal, are errors with their reason', async () => {
    const refused = exportInWorker(request(), {
      startWorker: () => {
        throw new Error('SecurityError: the script is not allowed');
      },
    });
    await expect(refused).rejects.toThrow(new ExportWorkerError('the export worker could not start: SecurityError: the script is not allowed'));
    const worker = new ScriptedExportWorker('w.js');
    const answer = exportInWorker(request(), { startWorker: () => worker as unknown as Worker });
    worker.reply({ type: 'error', code: 'too-large', message: 'too large to check exactly' });
    const error = await answer.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyExportError);
    expect((error as PolicyExportError).code).toBe('too-large');
  });

  it('the request reaches the worker as it would in a browser (structured clone), progress included', async () => {
    const worker = new ScriptedExportWorker('w.js');
    const progress: unknown[] = [];
    const answer = exportInWorker(request(2), { startWorker: () => worker as unknown as Worker, onProgress: (reply) => progress.push(reply) });
    expect(worker.requests).toEqual([request(2)]);
    worker.reply({ type: 'progress', phase: 'check', done: 1, total: 2 });
    worker.reply({ type: 'progress', phase: 'check', done: -1, total: 2 });
    await expect(answer).rejects.toThrow('the export worker sent an answer the page cannot read');
    expect(progress).toEqual([{ type: 'progress', phase: 'check', done: 1, total: 2 }]);
  });
});
