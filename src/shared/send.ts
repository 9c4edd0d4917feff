import browser from 'webextension-polyfill';
import { MessageError } from './message-error';
import type { Reply, RequestOf, RequestType, ResponseMap } from './messages';

/** The pages' one way to talk to the background; throws a readable Error on an error reply. */
export async function send<T extends RequestType>(request: RequestOf<T>): Promise<ResponseMap[T]> {
  return replyValue((await browser.runtime.sendMessage(request)) as Reply<ResponseMap[T]> | undefined);
}

/** A reply's value; an error reply, or none, as a readable Error. */
export function replyValue<T>(reply: Reply<T> | undefined): T {
  if (!reply) throw new MessageError('internal', 'the background did not answer');
  if (!reply.ok) throw new MessageError(reply.error.code, reply.error.message, reply.error.findings);
  return reply.value;
}

/** `send`, but the first request of `type` is answered by a reply already asked for (a page's early request). */
export function withEarlyReply(type: RequestType, early: Promise<unknown> | null, sender: Sender = send): Sender {
  let pending = early;
  return ((request: RequestOf<RequestType>) => {
    if (pending === null || request.type !== type) return sender(request);
    const reply = pending;
    pending = null;
    return reply.then((value) => replyValue(value as Reply<unknown> | undefined));
  }) as Sender;
}

/** A transport pages can be given instead of the real one (tests use a fake router). */
export type Sender = <T extends RequestType>(request: RequestOf<T>) => Promise<ResponseMap[T]>;
