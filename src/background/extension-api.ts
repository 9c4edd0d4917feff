import type { Browser } from 'webextension-polyfill';

/**
 * The browser's own extension API, without webextension-polyfill: Firefox's
 * `browser`, or Chrome's `chrome`, whose Manifest V3 calls all return
 * promises (the minimum Chrome is 120). The worker skips the polyfill because
 * its ~3 KB gzip and its wrapping at every wake-up are a good part of the
 * worker's budgets (40 KB, 60 ms: docs/performance.md); the pages keep it. The one behaviour the polyfill
 * would add here — a promise returned by a runtime.onMessage listener — is not
 * relied on: index.ts answers through sendResponse, which both browsers support.
 *
 * Read at call time, not at import: tests import the background's modules
 * outside any extension.
 */
export function extensionApi(): Browser {
  const scope = globalThis as unknown as { browser?: Browser; chrome?: Browser };
  const api = scope.browser ?? scope.chrome;
  if (!api?.runtime?.id) throw new Error('not running in a browser extension');
  return api;
}
