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
