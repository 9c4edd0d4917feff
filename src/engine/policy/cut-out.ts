import type { NormalizedRule } from '../model';
import { compareSpecificity, type ChromePattern, type HostForm } from './chrome-pattern';
import { domainCover, isExactHost } from './host-forms';

/**
 * The tightest pattern holding every host:port both the allow entry and the
 * deny rule match, when it is more specific than the allow entry (so Chrome
 * prefers it there); null when there is none.
 */
export function cutOut(allow: ChromePattern, deny: NormalizedRule): ChromePattern | null {
  let host: HostForm;
  if (allow.host.kind === 'exact') host = allow.host;
  else if (isExactHost(deny.host)) host = { kind: 'exact', host: deny.host };
  else {
    const domains = [domainCover(deny.host), allow.host.kind === 'domain' ? allow.host.domain : null].filter((d): d is string => d !== null);
    const longest = domains.sort((a, b) => b.split('.').length - a.split('.').length)[0];
    host = longest ? { kind: 'domain', domain: longest } : { kind: 'any' };
  }
  const port = allow.port ?? (deny.port.includes('*') ? null : deny.port);
  const cut: ChromePattern = { host, port };
  return compareSpecificity(cut, allow) > 0 ? cut : null;
}
