// The service worker (Chrome) / background script (Firefox). Every listener is
// registered here, synchronously, at the top level: a worker the browser
// restarts for an event must have the listener in place before that event is
// dispatched. Each listener waits for the one readiness promise inside the
// background's parts (compose.ts) before it touches state.
// First: asks for the wake-up's storage reads before the rest is evaluated.
import './wake-up/early-reads';
import type { Runtime } from 'webextension-polyfill';
import { bestEffort } from './best-effort';
import { composeBackground } from './compose';
import { createHandlers } from './handlers';
import { browser, ownExtension } from './platform';
import { createRouter } from './router';

const background = composeBackground();
const route = createRouter(createHandlers(background), {
  own: ownExtension(),
  ready: background.settled,
  log: (message) => console.warn(`client-certificate-rules: ${message}`),
});

/** Listener errors are logged, never thrown into the browser's event dispatch. */
function run(what: string, work: () => Promise<unknown>): void {
  void bestEffort(what, work());
}

const afterReady = (what: string, work: () => Promise<unknown>) => run(what, () => background.ready.then(work));

// Answered through sendResponse (return true keeps it open): both browsers support
// it natively, while a returned promise is a Firefox (and polyfill) convention.
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender, sendResponse: (reply: unknown) => void) => {
  markFirst('message');
  void route(message, sender).then((reply) => {
    markFirst('replied');
    sendResponse(reply);
  });
  return true as const;
});

/** When the first message of this worker's life arrived and was answered: performance marks, like the steps of its start. */
function markFirst(step: string): void {
  if (performance.getEntriesByName(step).length === 0) performance.mark(step);
}
// Messages from other extensions and web pages (onMessageExternal) are not listened to: nothing outside answers.

browser.runtime.onInstalled.addListener(() => run('install', () => background.onStartOrInstall()));
browser.runtime.onStartup.addListener(() => run('startup', () => background.onStartOrInstall()));
browser.alarms.onAlarm.addListener((alarm) => run(`alarm ${alarm.name}`, () => background.onAlarm(alarm.name, alarm.scheduledTime)));
browser.storage.onChanged.addListener((changes, area) => run('storage change', () => background.onStorageChanged(changes, area)));

browser.webNavigation.onBeforeNavigate.addListener((details) => afterReady('navigation', () => background.tabs.navigationStarted(details)));
browser.webNavigation.onCommitted.addListener((details) => afterReady('navigation commit', () => background.tabs.navigationCommitted(details)));
browser.webNavigation.onErrorOccurred.addListener((details) => afterReady('navigation error', () => background.tabs.navigationFailed(details)));

// Observation only (no "blocking"): every request a tab makes, and every failure.
const everything = { urls: ['<all_urls>'] };
browser.webRequest.onBeforeRequest.addListener((details) => afterReady('request', () => background.tabs.requestStarted(details)), everything);
browser.webRequest.onErrorOccurred.addListener((details) => afterReady('request error', () => background.tabs.requestFailed(details)), everything);

browser.tabs.onRemoved.addListener((tabId) => afterReady('tab close', () => background.tabs.tabClosed(tabId)));
browser.tabs.onReplaced.addListener((_added, removed) => afterReady('tab replace', () => background.tabs.tabClosed(removed)));

// For end-to-end tests and support: lets a DevTools session see when the worker is ready.
(globalThis as { certRulesReady?: Promise<void> }).certRulesReady = background.ready;
