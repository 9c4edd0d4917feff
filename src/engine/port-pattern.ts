import { collapseStars } from './glob';
import { fail, ok, type Result } from './result';

export const DEFAULT_PORT = '443';

/** Normalises a port pattern as docs/rules.md §2 says: empty, missing or null means 443. */
export function normalizePortPattern(input: unknown): Result<string> {
  if (input === undefined || input === null) return ok(DEFAULT_PORT);
  let text: string;
  if (typeof input === 'number') text = String(input);
  else if (typeof input === 'string') text = input.trim();
  else return fail(`the port must be a string or a number, not ${Array.isArray(input) ? 'an array' : `a ${typeof input}`}; write e.g. "443", "8443" or "*"`);
  if (text === '') return ok(DEFAULT_PORT);
  if (!/^[0-9*]+$/.test(text)) {
    return fail(`the port "${text}" may contain only digits and "*"; write e.g. "443", "*443" or "*" for any port`);
  }
  const pattern = collapseStars(text);
  if (pattern.includes('*')) return ok(pattern);
  const port = Number(pattern);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return fail(`the port ${pattern} is out of range; a port is a whole number from 1 to 65535, or "*" for any port`);
  }
  return ok(String(port));
}
