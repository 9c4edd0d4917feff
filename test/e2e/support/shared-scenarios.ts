import { expect } from 'vitest';
import type { RequestOf, RequestType, ResponseMap } from '../../../src/shared/messages';
import type { TabState } from '../../../src/shared/tab-state';
import type { BadgeReading } from './harness';
import { E2E_PROFILE_ID, E2E_PROFILE_NAME, E2E_USER, HOSTS, MANAGED_RULES } from './scenario';
import type { TestSites } from './sites';

/**
 * Checks that the Chromium and the Firefox suites make in the same words. They
 * take the browser's harness by what they use of it (both harnesses have
 * these methods, over their own Page type), so one check serves both browsers.
 */
export interface AsksExtension {
  ask<T extends RequestType>(request: RequestOf<T>): Promise<ResponseMap[T]>;
}

export interface DrivesTabs<P> extends AsksExtension {
  open(url: string): Promise<P>;
  tabId(page: P): Promise<number>;
  badge(tabId: number): Promise<BadgeReading>;
}

/** The tab's state once `until` holds (each browser's suite has its own way to wait for it). */
export type TabStateReader<P> = (page: P, until: (state: TabState) => boolean) => Promise<TabState>;

/** A managed policy with the console as the profile source (form login as the e2e user), plus `extra`. */
export function consoleFormPolicy(extra: Record<string, unknown>): (context: { consoleUrl: string | null }) => Record<string, unknown> {
  return ({ consoleUrl }) => ({ consoleUrl, authMode: 'form', username: E2E_USER.email, password: E2E_USER.password, ...extra });
}

/** The tab's endpoint at host:port, if it has one. */
export function endpoint(state: TabState, host: string, port: number | string): TabState['endpoints'][number] | undefined {
  return state.endpoints.find((entry) => entry.host === host && entry.port === String(port));
}

/** The policy is read (console, the given guard and local-rules values, managed rules in force), and its password never shows. */
export async function expectConsolePolicyRead(
  ext: AsksExtension,
  consoleUrl: string | undefined,
  expected: { guard: string; localRules: string },
): Promise<void> {
  const status = await ext.ask({ type: 'getStatus' });
  expect(status.settings.managedPresent).toBe(true);
  expect(status.settings.origins['consoleUrl']).toBe('policy');
  expect(status.settings.values['consoleUrl']).toBe(consoleUrl);
  expect(status.settings.values['guard']).toBe(expected.guard);
  expect(status.settings.values['localRules']).toBe(expected.localRules);
  expect(status.settings.values['password']).toEqual({ set: true });
  expect(status.settings.policyErrors).toEqual([]);
  expect(JSON.stringify(status)).not.toContain(E2E_USER.password);
  const sources = await ext.ask({ type: 'getRuleSources' });
  expect(sources.sources.find((source) => source.name === 'managed')).toMatchObject({ editable: false, inForce: true, rules: MANAGED_RULES });
}

/**
 * The first sync at start brought the console's default profile (form login,
 * the default-profile lookup, the profile itself); returns the rule sources
 * for the suite's own check of which are in force.
 */
export async function expectDefaultProfileSynced(
  ext: AsksExtension,
  consoleRequests: readonly { method: string; path: string }[] | undefined,
): Promise<ResponseMap['getRuleSources']> {
  await expect.poll(async () => (await ext.ask({ type: 'getStatus' })).sync.lastSuccessAt, { timeout: 20_000 }).not.toBeNull();
  const { sync } = await ext.ask({ type: 'getStatus' });
  expect(sync).toMatchObject({ configured: true, profileId: E2E_PROFILE_ID, profileName: E2E_PROFILE_NAME, lastError: null });
  const paths = consoleRequests?.map((request) => `${request.method} ${request.path}`) ?? [];
  expect(paths).toContain('POST /mocana-app-control/rest/user/ping/j_security_check');
  expect(paths).toContain('GET /mocana-app-control/rest/settings/client-certs-default-profile');
  expect(paths).toContain(`GET /mocana-app-control/rest/profile/${E2E_PROFILE_ID}`);
  const sources = await ext.ask({ type: 'getRuleSources' });
  expect(sources.rulesAvailable).toBe(true);
  return sources;
}

/** The allowed page's own decision and those of the endpoints it contacts (sites on the test sites' port, the mTLS one on `mtlsPort`). */
export function expectAllowedPageVerdicts(state: TabState, sites: TestSites, mtlsPort: number): void {
  expect(state.host).toBe(HOSTS.allowed);
  expect(state.verdict).toEqual({
    decision: 'useEnrollmentCertificate',
    reason: 'allow-rule',
    rule: { source: 'profile', index: 0, host: '*.acme.test', port: '*', action: 'useEnrollmentCertificate' },
  });
  expect(endpoint(state, HOSTS.allowed, sites.sitePort)?.verdict.reason).toBe('allow-rule');
  expect(endpoint(state, HOSTS.image, sites.sitePort)?.verdict.reason).toBe('allow-rule');
  // A deny-rule host as a sub-resource: decided and shown, never guarded (the guard acts on top-level navigations).
  expect(endpoint(state, HOSTS.deny, sites.sitePort)?.verdict).toMatchObject({ reason: 'deny-rule', rule: { source: 'profile', index: 1 } });
  expect(endpoint(state, HOSTS.unmatched, sites.sitePort)?.verdict.reason).toBe('no-match');
  expect(endpoint(state, HOSTS.mtls, mtlsPort)?.verdict.reason).toBe('allow-rule');
}

/** The badge of an allowed page. */
export async function expectAllowedBadge<P>(ext: DrivesTabs<P>, page: P): Promise<void> {
  const badge = await ext.badge(await ext.tabId(page));
  expect(badge.text).toBe('✓');
  expect(badge.title).toContain('Certificate allowed');
}

/**
 * An unmatched host gets "no rule matched" and an http page "not TLS", each
 * with its own badge, in a colour of its own (next to the allowed page's).
 */
export async function expectUnmatchedAndPlainBadges<P extends { close(): Promise<unknown> }>(
  ext: DrivesTabs<P>,
  tabState: TabStateReader<P>,
  sites: TestSites,
  allowedPage: P,
): Promise<void> {
  const unmatched = await ext.open(sites.site(HOSTS.unmatched, '/page'));
  const unmatchedState = await tabState(unmatched, (s) => s.host === HOSTS.unmatched);
  expect(unmatchedState.verdict).toEqual({ decision: 'noCertificate', reason: 'no-match', rule: null });
  const unmatchedBadge = await ext.badge(await ext.tabId(unmatched));
  expect(unmatchedBadge.text).toBe('–');
  expect(unmatchedBadge.title).toContain('No rule matched');

  // A plain-http page with an image over TLS: the page is "not TLS", the image's endpoint is still observed
  // (host_permissions name https but not the http page that starts the request).
  const image = sites.site(HOSTS.image, '/from-plain.png');
  const plain = await ext.open(`${sites.plain(HOSTS.plain, '/page')}?embed=${encodeURIComponent(image)}`);
  const plainState = await tabState(plain, (s) => s.url.startsWith('http://') && s.endpoints.length > 0);
  expect(plainState.verdict).toEqual({ decision: 'notApplicable', reason: 'not-tls', rule: null });
  expect(plainState.endpoints.map((entry) => [entry.host, entry.port])).toEqual([[HOSTS.image, String(sites.sitePort)]]);
  const plainBadge = await ext.badge(await ext.tabId(plain));
  expect(plainBadge.text).toBe('·');
  expect(plainBadge.title).toContain('Not a TLS page');
  const colours = new Set([unmatchedBadge.color.join(), plainBadge.color.join(), (await ext.badge(await ext.tabId(allowedPage))).color.join()]);
  expect(colours.size).toBe(3);
  await Promise.all([unmatched.close(), plain.close()]);
}
