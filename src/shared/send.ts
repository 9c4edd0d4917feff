import browser from 'webextension-polyfill';
import { replyValue } from './message-error';
import type { Reply, RequestOf, RequestType, ResponseMap } from './messages';

/** The pages' one way to talk to the background; throws a readable Error on an error reply. */
export async function send<T extends RequestType>(request: RequestOf<T>): Promise<ResponseMap[T]> {
  return replyValue((await browser.runtime.sendMessage(request)) as Reply<ResponseMap[T]> | undefined);
}

/** A transport pages can be given instead of the real one (tests use a fake router). */
export type Sender = <T extends RequestType>(request: RequestOf<T>) => Promise<ResponseMap[T]>;
