// Placeholder service worker (Chrome) / background script (Firefox). Listeners
// are registered at top level so a restarted worker receives the event that
// woke it; the real background replaces this file.
chrome.runtime.onInstalled.addListener((details) => {
  console.info(`client-certificate-rules: installed (${details.reason})`);
});

console.info('client-certificate-rules: background ready');
