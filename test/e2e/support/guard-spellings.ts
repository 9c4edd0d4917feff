import { HOSTS } from './scenario';
import type { TestSites } from './sites';

/**
 * The ways one address can be written, for the guard suites of both browsers.
 * Each denied spelling must end on the guard page with nothing logged for its
 * host; each near miss must load, and be logged, which also shows that the
 * spelling it shares reaches the test server when nothing stops it.
 */

/** An exact deny rule written in Unicode (the engine keeps its IDNA ASCII form). */
export const IDN_DENY = { unicode: 'bücher.acme.test', ascii: 'xn--bcher-kva.acme.test' } as const;
/** A Unicode name under the `*.blocked.acme.test` deny rule. */
export const IDN_BLOCKED = { unicode: 'bücher.blocked.acme.test', ascii: 'xn--bcher-kva.blocked.acme.test' } as const;
/** A Unicode name next to IDN_DENY that no deny rule covers. */
export const IDN_SIBLING = { unicode: 'büchern.acme.test', ascii: 'xn--bchern-3ya.acme.test' } as const;
/** Denied on the second site port only. */
export const PORTED_HOST = 'ported.acme.test';
/** Names around the deny rules that no deny rule covers. */
export const NEAR_HOSTS = { denySubdomain: 'www.deny.acme.test', denySibling: 'notdeny.acme.test', intranetSibling: 'intranetx.acme.test' } as const;

/** The deny rules the spelling suites add to the scenario's (the port rule needs the running sites). */
export function spellingRules(sites: Pick<TestSites, 'altPort'>): { host: string; port: string; action: 'noCertificate' }[] {
  return [
    { host: IDN_DENY.unicode, port: '*', action: 'noCertificate' },
    { host: PORTED_HOST, port: String(sites.altPort), action: 'noCertificate' },
  ];
}

/** Every name the spelling suites visit, in its ASCII form (Firefox maps exact names to loopback). */
export const SPELLING_HOSTS: readonly string[] = [IDN_DENY.ascii, IDN_BLOCKED.ascii, IDN_SIBLING.ascii, PORTED_HOST, ...Object.values(NEAR_HOSTS)];

/** Where a request for an address lands, as the server logs name it. */
export interface Target {
  /** The host the server logs would name (ASCII, lower case, no trailing dot). */
  host: string;
  /** The server it would reach; absent: any of them. */
  server?: 'site' | 'alt';
}

export interface Spelling extends Required<Target> {
  label: string;
  url: string;
}

/** The second site port is the `alt` server; every other port (443 included) reaches `site`. */
function spelling(sites: Pick<TestSites, 'altPort'>, label: string, url: string, host: string): Spelling {
  return { label, url, host, server: new URL(url).port === String(sites.altPort) ? 'alt' : 'site' };
}

/** Spellings of addresses that deny rules cover: each must end on the guard page. */
export function deniedSpellings(sites: TestSites): Spelling[] {
  const port = sites.sitePort;
  const blocked = HOSTS.blocked;
  const at = (label: string, url: string, host: string) => spelling(sites, label, url, host);
  return [
    at('*.suffix rule', sites.site(blocked, '/plain'), blocked),
    at('upper case', `https://${blocked.toUpperCase()}:${port}/upper`, blocked),
    at('mixed case', `https://Www.Blocked.Acme.Test:${port}/mixed`, blocked),
    at('trailing dot', `https://${blocked}.:${port}/dot`, blocked),
    at('upper case and trailing dot', `https://${blocked.toUpperCase()}.:${port}/upper-dot`, blocked),
    at('explicit :443', `https://${blocked}:443/explicit`, blocked),
    at('default port', `https://${blocked}/default`, blocked),
    at('trailing dot and :443', `https://${blocked}.:443/dot-443`, blocked),
    at('another port the rule covers', `https://${blocked}:${sites.altPort}/alt`, blocked),
    at('user name', `https://someone@${blocked}:${port}/user`, blocked),
    at('user name and password', `https://someone:secret@${blocked}.:${port}/user-password`, blocked),
    at('percent-encoded path', `https://${blocked}:${port}/%70ath/a%20b/%2e%2e/%41?q=%2F#%66rag`, blocked),
    at('IDN in Unicode under a *.suffix rule', `https://${IDN_BLOCKED.unicode}:${port}/idn`, IDN_BLOCKED.ascii),
    at('IDN in punycode under a *.suffix rule', `https://${IDN_BLOCKED.ascii}:${port}/punycode`, IDN_BLOCKED.ascii),
    at('exact rule', sites.site(HOSTS.deny, '/exact'), HOSTS.deny),
    at('exact rule, upper case and trailing dot', `https://${HOSTS.deny.toUpperCase()}.:${port}/exact-dot`, HOSTS.deny),
    at('exact rule, explicit :443', `https://${HOSTS.deny}:443/exact-443`, HOSTS.deny),
    at('exact IDN rule in Unicode', `https://${IDN_DENY.unicode}:${port}/idn`, IDN_DENY.ascii),
    at('exact IDN rule in upper-case Unicode', `https://${IDN_DENY.unicode.toUpperCase()}:${port}/idn-upper`, IDN_DENY.ascii),
    at('exact IDN rule in punycode with a trailing dot', `https://${IDN_DENY.ascii}.:${port}/punycode-dot`, IDN_DENY.ascii),
    at('managed rule, user name and trailing dot', `https://admin@${HOSTS.managedDeny}.:${port}/managed`, HOSTS.managedDeny),
    at('pattern ending in a star, trailing dot', `https://${HOSTS.intranet}.:${port}/pattern-dot`, HOSTS.intranet),
    at('pattern ending in a star, upper case', `https://${HOSTS.intranet.toUpperCase()}:${port}/pattern-upper`, HOSTS.intranet),
    at('rule for one port, on that port', `https://${PORTED_HOST}:${sites.altPort}/ported`, PORTED_HOST),
    at('rule for one port, on that port with a trailing dot', `https://${PORTED_HOST}.:${sites.altPort}/ported-dot`, PORTED_HOST),
  ];
}

/** Addresses next to the denied ones, in the same spellings: each must load. */
export function nearMisses(sites: TestSites): Spelling[] {
  const port = sites.sitePort;
  const allowed = HOSTS.allowed;
  const at = (label: string, url: string, host: string) => spelling(sites, label, url, host);
  return [
    at('the apex of a *.suffix rule', sites.site(HOSTS.blockedApex, '/apex'), HOSTS.blockedApex),
    at('the apex of a *.suffix rule, trailing dot', `https://${HOSTS.blockedApex}.:${port}/apex-dot`, HOSTS.blockedApex),
    at('a subdomain of an exact rule', `https://${NEAR_HOSTS.denySubdomain.toUpperCase()}.:${port}/sub`, NEAR_HOSTS.denySubdomain),
    at('a sibling whose name ends like an exact rule', sites.site(NEAR_HOSTS.denySibling, '/sibling'), NEAR_HOSTS.denySibling),
    at('a sibling of a pattern ending in a star', `https://${NEAR_HOSTS.intranetSibling}.:${port}/sibling-dot`, NEAR_HOSTS.intranetSibling),
    at('an IDN sibling in Unicode', `https://${IDN_SIBLING.unicode}:${port}/idn`, IDN_SIBLING.ascii),
    at('a rule for one port, on another port', `https://${PORTED_HOST}.:${port}/other-port`, PORTED_HOST),
    at('allowed, upper case and trailing dot', `https://${allowed.toUpperCase()}.:${port}/upper-dot`, allowed),
    at('allowed, explicit :443', `https://${allowed}:443/explicit`, allowed),
    at('allowed, user name', `https://someone@${allowed}:${port}/user`, allowed),
    at('allowed, percent-encoded path', `https://${allowed}:${port}/%70ath/a%20b?q=%2F`, allowed),
  ];
}
