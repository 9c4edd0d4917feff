import type { z } from '../lib/zod';
import type { Finding } from '../engine/index';
import { parseRequest, type ErrorReply, type Reply, type RequestOf, type RequestType, type ResponseMap } from '../shared/messages';
import { checkSender, type OwnExtension, type SenderInfo } from './sender-check';

/** A handler's way to answer with a specific error code (anything else thrown becomes `internal`). */
export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly findings?: Finding[],
  ) {
    super(message);
  }
}

export type Handlers = {
  [T in RequestType]: (request: RequestOf<T>, sender: SenderInfo) => Promise<ResponseMap[T]>;
};

export interface RouterOptions {
  own: OwnExtension;
  /** Resolves when the background has loaded its state; every request waits for it. */
  ready: () => Promise<unknown>;
  /** Where unexpected failures are logged (never with request contents, which may hold a password). */
  log?: (message: string) => void;
}

/**
 * The one message router: validates the request (zod), checks who sent it,
 * waits for readiness, runs the handler, and always answers
 * `{ok: true, value} | {ok: false, error}` — never throws, never leaves a
 * page waiting.
 */
export function createRouter(handlers: Handlers, options: RouterOptions) {
  return async function route(message: unknown, sender: SenderInfo): Promise<Reply<unknown>> {
    // Builds only the schema of this request's type (a wake-up's one request, one schema).
    const parsed = parseRequest(message);
    if (!parsed.success) return fail({ code: 'invalid-request', message: describeIssue(parsed.error) });
    const request = parsed.data;
    const refused = checkSender(request.type, sender, options.own);
    if (refused) return fail(refused);
    try {
      await options.ready();
      const handler = handlers[request.type] as (request: unknown, sender: SenderInfo) => Promise<unknown>;
      return { ok: true, value: await handler(request, sender) };
    } catch (error) {
      if (error instanceof HandlerError) {
        return fail({ code: error.code, message: error.message, ...(error.findings ? { findings: error.findings } : {}) });
      }
      const text = error instanceof Error ? error.message : String(error);
      options.log?.(`request ${request.type} failed: ${text}`);
      return fail({ code: 'internal', message: text });
    }
  };
}

function fail(error: ErrorReply): Reply<never> {
  return { ok: false, error };
}

function describeIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the request is not valid';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'request';
  return `the request is not valid (${where}: ${issue.message})`;
}
