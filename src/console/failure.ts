import { lazySchema, z } from '../lib/zod';

/**
 * Every way a console call can fail, as a closed set, so the sync engine and
 * the UI can react per kind (re-login, back off, show "sign in") instead of
 * matching on messages.
 */
export const ConsoleFailureKindSchema = lazySchema(() =>
  z.enum([
    /** Not signed in, wrong credentials, or not allowed (401/403, the login page). */
    'auth',
    /** The connection failed or broke off (refused, reset, closed mid-body). */
    'network',
    /** No complete answer within the per-request time limit. */
    'timeout',
    /** An HTTP status other than 2xx (e.g. 404, 429, 500, 502, 503). */
    'http',
    /** HTTP 200 with `"status": "Error"`. */
    'server',
    /** The answer is not what the API documents: not JSON, wrong shape (with a JSON path). */
    'bad-data',
    /** A body over the size limit, or a profile with more rules than allowed. */
    'too-large',
    /** A redirect the client will not follow (to another origin, a loop, an unreadable one). */
    'redirect',
    /** The client was configured wrongly (a base URL that is not HTTPS, missing credentials). */
    'config',
  ]),
);
export type ConsoleFailureKind = z.infer<typeof ConsoleFailureKindSchema>;

export interface ConsoleFailureDetails {
  /** HTTP status, when there was one. */
  status?: number | undefined;
  /** JSON path of the offending value for `bad-data`. */
  path?: string | undefined;
  /** How long the server asked us to wait (Retry-After), in ms. */
  retryAfterMs?: number | undefined;
}

/** A typed console failure; `message` is written for a person. */
export class ConsoleError extends Error {
  readonly kind: ConsoleFailureKind;
  readonly status: number | undefined;
  readonly path: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: ConsoleFailureKind, message: string, details: ConsoleFailureDetails = {}) {
    super(message);
    this.name = 'ConsoleError';
    this.kind = kind;
    this.status = details.status;
    this.path = details.path;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export function isConsoleError(error: unknown): error is ConsoleError {
  return error instanceof ConsoleError;
}
