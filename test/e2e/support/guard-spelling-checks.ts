import { expect } from 'vitest';
import { isGuardPage, readBlockedUrl } from '../../../src/shared/guard-url';
import { deniedSpellings, nearMisses, type Spelling, type Target } from './guard-spellings';
import type { TestSites } from './sites';

/** Loads a URL in a tab of the browser under test and returns the address the tab ended on. */
export type Visit = (url: string) => Promise<string>;

/** The URL as both browsers write it before any rule sees it (lower case, IDNA, no :443, dot segments resolved). */
export function asWritten(url: string): string {
  return new URL(url).href;
}

/** The request line the server logs for a URL: path and query. */
function requestPath(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** Every denied spelling ends on the guard page, which names the URL as the browser wrote it. */
export async function expectDeniedSpellingsGuarded(visit: Visit, sites: TestSites, guardPage: string): Promise<Spelling[]> {
  const spellings = deniedSpellings(sites);
  for (const spelling of spellings) {
    const landed = await visit(spelling.url);
    expect(isGuardPage(landed, guardPage), `${spelling.label}: ${spelling.url} ended on ${landed}`).toBe(true);
    expect(readBlockedUrl(landed), spelling.label).toBe(asWritten(spelling.url));
  }
  return spellings;
}

/** Every near miss loads from the server, in the spelling it was written in. */
export async function expectNearMissesLoad(visit: Visit, sites: TestSites, guardPage: string): Promise<Spelling[]> {
  const spellings = nearMisses(sites);
  for (const spelling of spellings) {
    const landed = await visit(spelling.url);
    expect(isGuardPage(landed, guardPage), `${spelling.label}: ${spelling.url} ended on ${landed}`).toBe(false);
    expect(new URL(landed).hostname.replace(/\.$/, ''), spelling.label).toBe(spelling.host);
    const logged = sites.requestsTo(spelling.host).filter((request) => request.server === spelling.server);
    expect(
      logged.map((request) => request.path),
      spelling.label,
    ).toContain(requestPath(spelling.url));
  }
  return spellings;
}

/**
 * The server's logs are the proof: no HTTP request for any denied host, and —
 * with `handshakes` — not even a TLS handshake naming one (a preconnect).
 */
export function expectNothingReached(sites: TestSites, targets: Iterable<Target | string>, options: { handshakes: boolean }): void {
  for (const target of targets) {
    const { host, server } = typeof target === 'string' ? { host: target, server: undefined } : target;
    const on = <T extends { server: string }>(entries: T[]) => entries.filter((entry) => server === undefined || entry.server === server);
    const where = `${host}${server ? ` on the ${server} server` : ''}`;
    expect(on(sites.requestsTo(host)), `requests to ${where}`).toEqual([]);
    if (options.handshakes) expect(on(sites.handshakesTo(host)), `TLS handshakes naming ${where}`).toEqual([]);
  }
}
