import { parseBoundedJson } from '../engine/bounded-json';
import { ConsoleError } from './failure';
import { parseRetryAfter } from './retry-after';
import type { RawResponse } from './transport';

/**
 * Thrown when an answer says "you are not signed in" (401, or an HTML page
 * where JSON was expected, or a redirect the browser hid): the client re-logs
 * in once on it before giving up.
 */
export class SessionProblem extends ConsoleError {}

const JSON_TYPES = /^(application\/(.+\+)?json|text\/json)\b/i;

/**
 * Turns a raw answer into the JSON value it carries, or a typed failure:
 * HTTP errors, HTML (the login page, or an error page "as a block of HTML"),
 * non-JSON content types, empty or invalid bodies, and `"status": "Error"`.
 */
export function readJsonAnswer(raw: RawResponse, what: string, now: number): unknown {
  const { status } = raw;
  if (status === 401) throw new SessionProblem('auth', `the console refused ${what}: not signed in (HTTP 401)`, { status });
  if (status === 403) throw new ConsoleError('auth', `the console refused ${what}: this account is not allowed to do that (HTTP 403)`, { status });
  if (status < 200 || status > 299) {
    const retryAfterMs = parseRetryAfter(raw.headers.get('retry-after'), now);
    throw new ConsoleError(
      'http',
      `the console answered HTTP ${status}${statusHint(status)} to ${what}${retryAfterMs !== undefined ? `; it asks to retry after ${Math.round(retryAfterMs / 1000)} s` : ''}`,
      {
        status,
        retryAfterMs,
      },
    );
  }
  const text = raw.text;
  if (looksLikeHtml(raw)) {
    if (looksLikeLoginPage(text)) {
      throw new SessionProblem('auth', `the console answered ${what} with its sign-in page: not signed in or the session expired`, { status });
    }
    throw new SessionProblem('bad-data', `the console answered ${what} with an HTML page where JSON was expected`, { status, path: '$' });
  }
  if (text.trim() === '') throw new ConsoleError('bad-data', `the console answered ${what} with an empty body`, { status, path: '$' });
  if (raw.contentType !== '' && !JSON_TYPES.test(raw.contentType)) {
    throw new ConsoleError('bad-data', `the console answered ${what} with content type "${raw.contentType}" where JSON was expected`, { status, path: '$' });
  }
  const parsed = parseBoundedJson(text);
  if (!parsed.ok) throw new ConsoleError('bad-data', `the console's answer to ${what} was refused: ${parsed.message}`, { status, path: '$' });
  const value = parsed.value;
  if (isRecord(value) && typeof value['status'] === 'string' && value['status'].toLowerCase() === 'error') {
    const message = typeof value['message'] === 'string' && value['message'].trim() !== '' ? value['message'].trim() : 'no message';
    throw new ConsoleError('server', `the console reported an error for ${what}: ${message}`, { status, path: '$.status' });
  }
  return value;
}

export function looksLikeHtml(raw: Pick<RawResponse, 'contentType' | 'text'>): boolean {
  return /html/i.test(raw.contentType) || /^\s*</.test(raw.text);
}

export function looksLikeLoginPage(text: string): boolean {
  return /j_security_check|j_username|j_password/i.test(text);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusHint(status: number): string {
  if (status === 404) return ' (not found)';
  if (status === 429) return ' (too many requests)';
  if (status === 500) return ' (internal server error)';
  if (status === 502) return ' (bad gateway)';
  if (status === 503) return ' (service unavailable)';
  if (status === 504) return ' (gateway timeout)';
  return '';
}
