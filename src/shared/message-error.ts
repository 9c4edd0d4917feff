import type { Finding } from '../engine/index';

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
