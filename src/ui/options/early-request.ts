import type { Reply, RequestOf, RequestType } from '../../shared/messages';
import { replyValue } from '../../shared/message-error';
import type { Sender } from '../../shared/send';

/**
 * The answer to the options page's first request, sent before its modules
 * loaded (public/early-request.js, run by index.html ahead of them): the
 * background's reply as it came, or null when none was sent (the script did
 * not run, or the answer was taken already).
 */
export function takeEarlyRuleSources(holder: EarlyHolder = globalThis as EarlyHolder): Promise<unknown> | null {
  const answer = holder.certRulesEarlyRuleSources;
  delete holder.certRulesEarlyRuleSources;
  return answer instanceof Promise ? answer : null;
}

interface EarlyHolder {
  certRulesEarlyRuleSources?: unknown;
}

/** `send`, but the first request of `type` is answered by a reply already asked for (the page's early request). */
export function withEarlyReply(type: RequestType, early: Promise<unknown> | null, sender: Sender): Sender {
  let pending = early;
  return ((request: RequestOf<RequestType>) => {
    if (pending === null || request.type !== type) return sender(request);
    const reply = pending;
    pending = null;
    return reply.then((value) => replyValue(value as Reply<unknown> | undefined));
  }) as Sender;
}
