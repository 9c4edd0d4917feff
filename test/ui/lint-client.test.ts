import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileSource, type NormalizedRule } from '../../src/engine/index';
import { FINDING_CODES } from '../../src/engine/model';
import { isLintReply, LintReplySchema } from '../../src/ui/options/lint-protocol';
import { propertyRuns } from '../helpers/property-runs';
import { lintDraft, runLintJob } from '../../src/ui/options/lint-job';
import { workerLinter } from '../../src/ui/options/lint-client';

const valid = (rules: unknown[]): NormalizedRule[] => compileSource('local', rules, {}).rules;
const DUPLICATES = valid([
  { host: 'a.example', port: '443', action: 'noCertificate' },
  { host: 'a.example', port: '443', action: 'noCertificate' },
]);

/** A worker stand-in: answers each message with `answer(data)` one macrotask later, structured-cloned as a browser would. */
class FakeLintWorker extends EventTarget {
  posted: unknown[] = [];
  terminated = false;
  constructor(private readonly answer: (data: unknown) => unknown) {
    super();
  }
  postMessage(data: unknown): void {
    this.posted.push(structuredClone(data));
    setTimeout(() => {
      if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data: structuredClone(this.answer(data)) }));
    });
  }
  terminate(): void {
    this.terminated = true;
  }
}

const asWorker = (fake: FakeLintWorker) => fake as unknown as Worker;

describe('the lint job (what the worker runs)', () => {
  test('answers a request with the findings lintDraft gives, under its number', () => {
    expect(runLintJob({ id: 7, rules: DUPLICATES })).toEqual({ id: 7, findings: lintDraft(DUPLICATES) });
    expect(lintDraft(DUPLICATES)).toEqual([expect.objectContaining({ index: 1, code: 'unreachable' })]);
  });

  test('a request it cannot read gets an error that says so', () => {
    expect(runLintJob({ id: 3, rules: [{ host: 5 }] })).toEqual({ id: 3, error: expect.stringContaining('the lint request is not readable') });
    expect(runLintJob('nonsense')).toEqual({ id: -1, error: expect.stringContaining('not readable') });
  });
});

describe('workerLinter: the page lints in one worker, or in the page when it must', () => {
  test('one worker, started at the first lint and kept; each answer goes to its own request', async () => {
    const started: FakeLintWorker[] = [];
    const lint = workerLinter(() => {
      const worker = new FakeLintWorker(runLintJob);
      started.push(worker);
      return asWorker(worker);
    });
    expect(started).toHaveLength(0);
    const clean = valid([{ host: 'b.example', port: '443', action: 'noCertificate' }]);
    const [first, second] = await Promise.all([lint(DUPLICATES), lint(clean)]);
    expect(first).toEqual(lintDraft(DUPLICATES));
    expect(second).toEqual([]);
    expect(started).toHaveLength(1);
    expect(started[0]?.posted).toEqual([
      { id: 0, rules: DUPLICATES },
      { id: 1, rules: clean },
    ]);
  });

  test('when no worker can start, the rules are linted in the page', async () => {
    const lint = workerLinter(() => {
      throw new Error('workers are not allowed here');
    });
    expect(await lint(DUPLICATES)).toEqual(lintDraft(DUPLICATES));
  });

  test('a worker that answers with an error, or with what the page cannot read, is ended; that lint and every later one run in the page', async () => {
    for (const answer of [(data: unknown) => ({ id: (data as { id: number }).id, error: 'broken' }), () => ({ findings: 'not a list' })]) {
      const started: FakeLintWorker[] = [];
      const lint = workerLinter(() => {
        const worker = new FakeLintWorker(answer);
        started.push(worker);
        return asWorker(worker);
      });
      expect(await lint(DUPLICATES)).toEqual(lintDraft(DUPLICATES));
      expect(started[0]?.terminated).toBe(true);
      expect(await lint(DUPLICATES)).toEqual(lintDraft(DUPLICATES));
      expect(started).toHaveLength(1);
      expect(started[0]?.posted).toHaveLength(1);
    }
  });

  test('a worker that fails (its script does not load) hands what is pending to the page', async () => {
    const worker = new FakeLintWorker(() => undefined);
    worker.postMessage = function (data: unknown) {
      this.posted.push(data);
      setTimeout(() => this.dispatchEvent(Object.assign(new Event('error'), { message: 'no script' })));
    };
    const lint = workerLinter(() => asWorker(worker));
    expect(await lint(DUPLICATES)).toEqual(lintDraft(DUPLICATES));
    expect(worker.terminated).toBe(true);
  });
});

describe('isLintReply: the page check of a worker reply', () => {
  const finding = fc.record({
    index: fc.oneof(fc.nat(), fc.integer({ min: -3, max: -1 }), fc.double(), fc.constant(2 ** 60), fc.string()),
    severity: fc.constantFrom('error', 'warning', 'info', 1),
    code: fc.constantFrom(...FINDING_CODES, 'made-up', null),
    message: fc.oneof(fc.string(), fc.constant(undefined), fc.nat()),
  });
  const reply = fc.oneof(
    fc.record({ id: fc.oneof(fc.integer(), fc.double(), fc.string()), findings: fc.oneof(fc.array(finding, { maxLength: 4 }), fc.anything()) }),
    fc.record({ id: fc.integer(), error: fc.oneof(fc.string(), fc.nat()) }),
    fc.record({ id: fc.integer(), error: fc.string(), findings: fc.anything() }),
    fc.anything(),
  );

  test('accepts what LintReplySchema accepts, and only that', () => {
    fc.assert(
      fc.property(reply, (data) => {
        expect(isLintReply(data)).toBe(LintReplySchema.safeParse(data).success);
      }),
      { numRuns: propertyRuns(2000) },
    );
  });

  test('a real answer passes', () => {
    expect(isLintReply(runLintJob({ id: 1, rules: DUPLICATES }))).toBe(true);
  });
});
