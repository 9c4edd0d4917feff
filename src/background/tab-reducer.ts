import {
  MAX_CLIENT_AUTH_EVENTS_PER_TAB,
  MAX_ENDPOINTS_PER_TAB,
  type ClientAuthEvent,
  type Endpoint,
  type TabState,
  type VerdictView,
} from '../shared/tab-state';

/**
 * Pure transitions of one tab's state. The background feeds browser events in
 * (serialised per tab by the tab store); nothing here touches a browser API.
 */

/** What the rules say about a URL, already split into its TLS host and port (null when not TLS). */
export interface Judged {
  url: string;
  host: string | null;
  port: string | null;
  verdict: VerdictView;
}

/** A new top-level navigation: everything the previous page contacted is forgotten. */
export function beginNavigation(tabId: number, target: Judged, now: number): TabState {
  const state: TabState = {
    tabId,
    url: stripFragment(target.url),
    host: target.host,
    port: target.port,
    verdict: target.verdict,
    endpoints: [],
    endpointsDropped: 0,
    clientAuthEvents: [],
    updatedAt: now,
  };
  // The main-frame request may be reported before or after the navigation; the
  // endpoint is listed either way, counted only by the request itself.
  return addEndpoint(state, target, now, false);
}

/**
 * The navigation committed (possibly at another URL after redirects): the tab
 * now shows this document. Endpoints gathered since the navigation began stay.
 */
export function commitNavigation(state: TabState | null, tabId: number, target: Judged, now: number): TabState {
  if (!state) return beginNavigation(tabId, target, now);
  const committed: TabState = {
    ...state,
    url: stripFragment(target.url),
    host: target.host,
    port: target.port,
    verdict: target.verdict,
    updatedAt: now,
  };
  return addEndpoint(committed, target, now, false);
}

/** A request (or a sub-frame navigation) the tab made. Only TLS endpoints are kept. */
export function recordRequest(state: TabState, target: Judged, now: number, count = true): TabState {
  return addEndpoint(state, target, now, count);
}

/** A request failed because the server demanded a client certificate. */
export function recordClientAuthFailure(state: TabState, target: Judged, failure: { error: string; resourceType: string }, now: number): TabState {
  const event: ClientAuthEvent = {
    url: stripFragment(target.url),
    host: target.host ?? '',
    port: target.port ?? '',
    error: failure.error,
    resourceType: failure.resourceType,
    verdict: target.verdict,
    time: now,
  };
  // Keep the newest events: the latest failure is what someone is looking at.
  const events = [...state.clientAuthEvents, event].slice(-MAX_CLIENT_AUTH_EVENTS_PER_TAB);
  return addEndpoint({ ...state, clientAuthEvents: events, updatedAt: now }, target, now, false);
}

/**
 * The rules changed: every verdict is taken again, so the popup never shows a
 * decision the rules in force would not give.
 */
export function redecide(state: TabState, judge: (url: string) => Judged, now: number): TabState {
  const top = judge(state.url);
  return {
    ...state,
    verdict: top.verdict,
    endpoints: state.endpoints.map((endpoint) => ({ ...endpoint, verdict: judge(endpointUrl(endpoint)).verdict })),
    clientAuthEvents: state.clientAuthEvents.map((event) => ({ ...event, verdict: judge(event.url).verdict })),
    updatedAt: now,
  };
}

function addEndpoint(state: TabState, target: Judged, now: number, count: boolean): TabState {
  if (target.host === null || target.port === null) return state;
  const { host, port } = target;
  const at = state.endpoints.findIndex((endpoint) => endpoint.host === host && endpoint.port === port);
  if (at >= 0) {
    const endpoints = state.endpoints.slice();
    const old = endpoints[at] as Endpoint;
    endpoints[at] = { ...old, verdict: target.verdict, requests: old.requests + (count ? 1 : 0), lastSeen: now };
    return { ...state, endpoints, updatedAt: now };
  }
  if (state.endpoints.length >= MAX_ENDPOINTS_PER_TAB) {
    return { ...state, endpointsDropped: state.endpointsDropped + 1, updatedAt: now };
  }
  const endpoint: Endpoint = { host, port, verdict: target.verdict, requests: count ? 1 : 0, lastSeen: now };
  return { ...state, endpoints: [...state.endpoints, endpoint], updatedAt: now };
}

/** A URL that the engine judges exactly as the endpoint (the path plays no part in a decision). */
export function endpointUrl(endpoint: Pick<Endpoint, 'host' | 'port'>): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return endpoint.port === '443' ? `https://${host}/` : `https://${host}:${endpoint.port}/`;
}

/** Fragments never reach a server and may hold secrets (OAuth tokens): never stored. */
export function stripFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/**
 * What is kept per tab: the document the tab shows (`current`, what the popup
 * reads) and a top-level navigation in flight (`pending`). A navigation
 * replaces `current` only once it commits or fails with an error page, so a
 * navigation that turns into a download, a 204 or is stopped leaves the page's
 * state alone, and the main-frame request's own endpoint and client-auth
 * failure land in the state of the page they lead to.
 */
export interface TabRecord {
  current: TabState | null;
  pending: TabState | null;
  /**
   * Chrome's id of the top-level document `current` describes (webNavigation
   * documentId), when known. A request from another top-level document while a
   * navigation is in flight comes from the new page, whose commit the
   * background has not processed yet: event order across APIs is not fixed.
   */
  documentId?: string | null | undefined;
}

export const EMPTY_RECORD: TabRecord = Object.freeze({ current: null, pending: null });

export function navigationStarted(record: TabRecord, tabId: number, target: Judged, now: number): TabRecord {
  return { ...record, current: record.current, pending: beginNavigation(tabId, target, now) };
}

/**
 * Whether a request belongs to the navigation in flight rather than to the
 * page the tab shows: its main-frame request, any request of a tab that shows
 * no page yet, or a request made by a top-level document other than the one
 * shown (the new page, already loading sub-resources before its commit
 * reached the background).
 */
export function belongsToPending(record: TabRecord, request: { mainFrame: boolean; frameId?: number | undefined; documentId?: string | undefined }): boolean {
  if (!record.pending) return false;
  // A tab that shows nothing yet (opened with this navigation): every request
  // it makes comes from the page on its way, even before its commit arrives.
  if (request.mainFrame || !record.current) return true;
  return request.frameId === 0 && typeof request.documentId === 'string' && typeof record.documentId === 'string' && request.documentId !== record.documentId;
}

/** The navigation committed, or failed and the tab shows an error page for it: the pending state becomes the tab's. */
export function navigationSettled(record: TabRecord, tabId: number, target: Judged, now: number, documentId?: string | null): TabRecord {
  // Firefox reports a failed navigation (webNavigation.onErrorOccurred) and
  // then commits its error page at the same URL (onCommitted): that commit
  // belongs to the navigation that already settled and keeps what it recorded
  // (e.g. the client-certificate failure). Chrome commits no error pages.
  const settledHere = record.current !== null && record.current.url === stripFragment(target.url);
  const base = record.pending ?? (settledHere ? record.current : null);
  return { current: commitNavigation(base, tabId, target, now), pending: null, documentId: documentId ?? null };
}

/** The navigation was abandoned (stopped, turned into a download, 204): the page stays as it was. */
export function navigationAbandoned(record: TabRecord): TabRecord {
  return record.pending ? { ...record, pending: null } : record;
}

/**
 * A request: main-frame requests belong to the navigation in flight; all
 * others to the document the tab shows. A request on a tab with no state yet
 * starts one for the document it came from.
 */
export function requestSeen(record: TabRecord, tabId: number, target: Judged, mainFrame: boolean, now: number, count = true): TabRecord {
  if (mainFrame && record.pending) return { ...record, pending: recordRequest(record.pending, target, now, count) };
  if (!record.current) return record;
  return { ...record, current: recordRequest(record.current, target, now, count) };
}

export function clientAuthFailed(
  record: TabRecord,
  target: Judged,
  failure: { error: string; resourceType: string },
  mainFrame: boolean,
  now: number,
): TabRecord {
  if (mainFrame && record.pending) return { ...record, pending: recordClientAuthFailure(record.pending, target, failure, now) };
  if (!record.current) return record;
  return { ...record, current: recordClientAuthFailure(record.current, target, failure, now) };
}

export function redecideRecord(record: TabRecord, judge: (url: string) => Judged, now: number): TabRecord {
  return {
    ...record,
    current: record.current ? redecide(record.current, judge, now) : null,
    pending: record.pending ? redecide(record.pending, judge, now) : null,
  };
}
