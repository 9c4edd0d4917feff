// The options page's first request, sent before the page's modules have
// loaded: index.html runs this deferred script ahead of its module script, so
// the background builds and carries the rules (hundreds of kilobytes at 5,000
// rules) while the page's modules are fetched and run, not after. A plain file
// outside the bundle, so that it waits for nothing the bundle loads. The page
// takes the answer for its first getRuleSources (src/ui/options/early-request.ts),
// through the one global named below.
'use strict';
{
  const runtime = globalThis.browser?.runtime ?? globalThis.chrome?.runtime;
  if (runtime) {
    const answer = runtime.sendMessage({ type: 'getRuleSources' });
    // Handled where the page takes it; until then a failure is not an unhandled rejection.
    answer.catch(() => undefined);
    globalThis.certRulesEarlyRuleSources = answer;
  }
}
