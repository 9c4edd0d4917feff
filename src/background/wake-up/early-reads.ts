import { extensionApi } from '../extension-api';
import { QUICK_KEYS } from './keys';

/**
 * The storage reads of a wake-up, asked for while the rest of the worker's
 * code is still being evaluated (index.ts imports this module first, and it
 * imports nothing heavy): the browser fetches them in parallel instead of
 * after evaluation, which takes longer than the reads themselves.
 */
export interface EarlyReads {
  quick: Promise<Record<string, unknown>>;
  /** storage.managed.get() as asked (undefined where the browser has no managed area). */
  managed: Promise<Record<string, unknown>> | undefined;
}

/** A rejection is kept for whoever takes the read, not reported as unhandled in between. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function ask(): EarlyReads | null {
  try {
    const browser = extensionApi();
    const managed = (browser.storage as { managed?: { get(): Promise<Record<string, unknown>> } }).managed;
    return {
      quick: settledLater(browser.storage.local.get([...QUICK_KEYS])),
      managed: managed ? settledLater(managed.get()) : undefined,
    };
  } catch {
    // Not in an extension (tests that import the background's modules): read later, as usual.
    return null;
  }
}

let early: EarlyReads | null = ask();

/** The reads asked for at evaluation, once; later calls (reloads) get null and read afresh. */
export function takeEarlyReads(): EarlyReads | null {
  const reads = early;
  early = null;
  return reads;
}
