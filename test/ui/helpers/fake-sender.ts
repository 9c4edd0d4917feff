import type { Reply, Request, RequestOf, RequestType, ResponseMap } from '../../../src/shared/messages';
import { RequestSchema } from '../../../src/shared/messages';
import type { Finding } from '../../../src/engine/model';
import { MessageError } from '../../../src/shared/message-error';
import type { Sender } from '../../../src/shared/send';
import { FIXTURE_REVISION } from './fixtures';

/** The error the real send() throws on an error reply (message-error.ts loads outside an extension; send.ts does not). */
export { MessageError as FakeMessageError };

export type Handlers = {
  [T in RequestType]?: (request: RequestOf<T>) => ResponseMap[T] | Reply<never> | Promise<ResponseMap[T] | Reply<never>>;
};

/**
 * A fake background router: answers from handlers, records every request,
 * and checks each against the real request schema, so a page cannot send
 * something the background would refuse. A handler may return refuse(…) to play an
 * error reply.
 */
export function fakeSender(handlers: Handlers) {
  const calls: Request[] = [];
  const sender: Sender = async <T extends RequestType>(request: RequestOf<T>) => {
    const parsed = RequestSchema.safeParse(request);
    if (!parsed.success) throw new Error(`the page sent an invalid request: ${JSON.stringify(request)}: ${parsed.error.message}`);
    calls.push(request);
    const handler = (handlers[request.type] ?? DEFAULTS[request.type]) as ((request: RequestOf<T>) => unknown) | undefined;
    if (!handler) throw new MessageError('internal', `no fake handler for ${request.type}`);
    const answer = await handler(request);
    if (isReply(answer)) {
      if (answer.ok) return answer.value as ResponseMap[T];
      throw new MessageError(answer.error.code, answer.error.message, answer.error.findings);
    }
    return answer as ResponseMap[T];
  };
  const callsOf = <T extends RequestType>(type: T) => calls.filter((call): call is RequestOf<T> => call.type === type);
  return { sender, calls, callsOf };
}

/** Answers for requests a test need not script: no lint about the fixtures' rules. */
const DEFAULTS: Handlers = {
  getRuleLint: () => ({ revision: FIXTURE_REVISION, sources: [] }),
};

const REFUSAL = Symbol('refusal');

/** An error reply from the fake background, e.g. refuse('console:http', 'HTTP 403'). */
export function refuse(code: string, message: string, findings?: Finding[]): Reply<never> {
  return Object.assign({ ok: false as const, error: { code, message, ...(findings ? { findings } : {}) } }, { [REFUSAL]: true });
}

function isReply(value: unknown): value is Reply<unknown> {
  return typeof value === 'object' && value !== null && REFUSAL in value;
}
