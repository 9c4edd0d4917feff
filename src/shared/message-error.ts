import type { Finding } from '../engine/index';
import type { Reply } from './messages';

/**
 * An error reply of the background, thrown on the page's side: its code (e.g.
 * "managed", "console:auth"), message and any rule findings. Kept apart from
 * send.ts, which loads webextension-polyfill, so code outside an extension
 * (the UI tests' fake router) throws the same error.
 */
export class MessageError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly findings?: Finding[],
  ) {
    super(message);
  }
}

/** A reply's value; an error reply, or none, as a MessageError. */
export function replyValue<T>(reply: Reply<T> | undefined): T {
  if (!reply) throw new MessageError('internal', 'the background did not answer');
  if (!reply.ok) throw new MessageError(reply.error.code, reply.error.message, reply.error.findings);
  return reply.value;
}
