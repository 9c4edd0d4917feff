import { describe, expect, it } from 'vitest';
import {
  clientAuthFailed,
  EMPTY_RECORD,
  endpointUrl,
  navigationAbandoned,
  navigationSettled,
  navigationStarted,
  redecideRecord,
  requestSeen,
  stripFragment,
  type Judged,
} from '../../src/background/tab-reducer';
import { buildRuleSet, compileSource, decide, normalizeTarget } from '../../src/engine/index';
import { MAX_CLIENT_AUTH_EVENTS_PER_TAB, MAX_ENDPOINTS_PER_TAB } from '../../src/shared/tab-state';

const rules = buildRuleSet([
  compileSource('profile', [
    { host: '*.acme.com', port: '*', action: 'useEnrollmentCertificate' },
    { host: 'deny.acme.com', port: '*', action: 'noCertificate' },
  ]),
]);

function judge(url: string, ruleSet = rules): Judged {
  const target = normalizeTarget(url);
  const verdict = decide(ruleSet, url);
  return { url, host: target.kind === 'tls' ? target.host : null, port: target.kind === 'tls' ? target.port : null, verdict: { ...verdict } };
}

const TAB = 5;

describe('per-tab state', () => {
  it('a top-level navigation becomes the tab state when it commits, with the main-frame request counted', () => {
    let record = navigationStarted(EMPTY_RECORD, TAB, judge('https://www.acme.com/start'), 1);
    expect(record.current).toBeNull();
    record = requestSeen(record, TAB, judge('https://www.acme.com/start'), true, 2);
    record = navigationSettled(record, TAB, judge('https://www.acme.com/landing#section'), 3);
    expect(record.pending).toBeNull();
    expect(record.current).toMatchObject({
      tabId: TAB,
      url: 'https://www.acme.com/landing',
      host: 'www.acme.com',
      port: '443',
      verdict: { reason: 'allow-rule' },
    });
    expect(record.current?.endpoints).toEqual([expect.objectContaining({ host: 'www.acme.com', port: '443', requests: 1 })]);
  });

  it('a new navigation clears what the previous page contacted, once it settles', () => {
    let record = navigationSettled(EMPTY_RECORD, TAB, judge('https://www.acme.com/'), 1);
    record = requestSeen(record, TAB, judge('https://deny.acme.com/x.png'), false, 2);
    record = clientAuthFailed(record, judge('https://mtls.acme.com/'), { error: 'net::ERR_BAD_SSL_CLIENT_AUTH_CERT', resourceType: 'image' }, false, 3);
    expect(record.current?.endpoints).toHaveLength(3);
    record = navigationStarted(record, TAB, judge('https://other.example/'), 4);
    // Until it settles, the page the tab shows keeps its state.
    expect(record.current?.endpoints).toHaveLength(3);
    record = navigationSettled(record, TAB, judge('https://other.example/'), 5);
    expect(record.current).toMatchObject({
      host: 'other.example',
      endpoints: [expect.objectContaining({ host: 'other.example' })],
      clientAuthEvents: [],
      endpointsDropped: 0,
    });
  });

  it('an abandoned navigation (download, 204, stop) leaves the page as it was', () => {
    let record = navigationSettled(EMPTY_RECORD, TAB, judge('https://www.acme.com/'), 1);
    const before = record.current;
    record = navigationStarted(record, TAB, judge('https://files.acme.com/report.pdf'), 2);
    record = requestSeen(record, TAB, judge('https://files.acme.com/report.pdf'), true, 3);
    record = navigationAbandoned(record);
    expect(record).toMatchObject({ current: before, pending: null });
  });

  it('keeps each distinct TLS endpoint once, counts requests, ignores non-TLS, and stops at the bound', () => {
    let record = navigationSettled(EMPTY_RECORD, TAB, judge('https://www.acme.com/'), 1);
    for (let i = 0; i < 3; i++) record = requestSeen(record, TAB, judge('https://cdn.acme.com/a.js'), false, 10 + i);
    record = requestSeen(record, TAB, judge('http://plain.acme.com/x'), false, 20);
    record = requestSeen(record, TAB, judge('wss://socket.acme.com:8443/'), false, 21);
    expect(record.current?.endpoints.map((endpoint) => [endpoint.host, endpoint.port, endpoint.requests])).toEqual([
      ['www.acme.com', '443', 0],
      ['cdn.acme.com', '443', 3],
      ['socket.acme.com', '8443', 1],
    ]);
    for (let i = 0; i < MAX_ENDPOINTS_PER_TAB + 10; i++) record = requestSeen(record, TAB, judge(`https://h${i}.example/`), false, 100 + i);
    expect(record.current?.endpoints).toHaveLength(MAX_ENDPOINTS_PER_TAB);
    expect(record.current?.endpointsDropped).toBe(13);
    // A known endpoint is still counted after the bound.
    record = requestSeen(record, TAB, judge('https://cdn.acme.com/b.js'), false, 999);
    expect(record.current?.endpoints.find((endpoint) => endpoint.host === 'cdn.acme.com')?.requests).toBe(4);
  });

  it('records client-certificate failures with the decision for their URL, newest kept at the bound', () => {
    let record = navigationSettled(EMPTY_RECORD, TAB, judge('https://www.acme.com/'), 1);
    record = clientAuthFailed(
      record,
      judge('https://deny.acme.com/api#token=secret'),
      { error: 'net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED', resourceType: 'xmlhttprequest' },
      false,
      2,
    );
    expect(record.current?.clientAuthEvents).toEqual([
      {
        url: 'https://deny.acme.com/api',
        host: 'deny.acme.com',
        port: '443',
        error: 'net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED',
        resourceType: 'xmlhttprequest',
        verdict: expect.objectContaining({ reason: 'deny-rule', rule: expect.objectContaining({ index: 1 }) }),
        time: 2,
      },
    ]);
    for (let i = 0; i < MAX_CLIENT_AUTH_EVENTS_PER_TAB + 5; i++) {
      record = clientAuthFailed(record, judge(`https://m${i}.acme.com/`), { error: 'net::ERR_BAD_SSL_CLIENT_AUTH_CERT', resourceType: 'image' }, false, 10 + i);
    }
    const events = record.current?.clientAuthEvents ?? [];
    expect(events).toHaveLength(MAX_CLIENT_AUTH_EVENTS_PER_TAB);
    expect(events.at(-1)?.host).toBe(`m${MAX_CLIENT_AUTH_EVENTS_PER_TAB + 4}.acme.com`);
  });

  it('a main-frame failure belongs to the navigation in flight and survives its settling', () => {
    let record = navigationSettled(EMPTY_RECORD, TAB, judge('https://www.acme.com/'), 1);
    record = navigationStarted(record, TAB, judge('https://mtls.acme.com/login'), 2);
    record = clientAuthFailed(
      record,
      judge('https://mtls.acme.com/login'),
      { error: 'net::ERR_BAD_SSL_CLIENT_AUTH_CERT', resourceType: 'main_frame' },
      true,
      3,
    );
    expect(record.current?.clientAuthEvents).toEqual([]);
    record = navigationSettled(record, TAB, judge('https://mtls.acme.com/login'), 4);
    expect(record.current?.clientAuthEvents.map((event) => event.resourceType)).toEqual(['main_frame']);
  });

  it('takes every verdict again when the rules change', () => {
    let record = navigationSettled(EMPTY_RECORD, TAB, judge('https://www.acme.com/'), 1);
    record = requestSeen(record, TAB, judge('https://deny.acme.com/'), false, 2);
    record = clientAuthFailed(record, judge('https://x.acme.com/'), { error: 'net::ERR_BAD_SSL_CLIENT_AUTH_CERT', resourceType: 'image' }, false, 3);
    const none = (url: string) => judge(url, null);
    const redecided = redecideRecord(record, none, 4);
    expect(redecided.current?.verdict.reason).toBe('no-rules');
    expect(redecided.current?.endpoints.every((endpoint) => endpoint.verdict.reason === 'no-rules')).toBe(true);
    expect(redecided.current?.clientAuthEvents[0]?.verdict.reason).toBe('no-rules');
    expect(redecided.current?.endpoints.map((endpoint) => endpoint.requests)).toEqual(record.current?.endpoints.map((endpoint) => endpoint.requests));
  });

  it('judges an endpoint by a URL with exactly its host and port', () => {
    expect(endpointUrl({ host: 'a.example', port: '443' })).toBe('https://a.example/');
    expect(endpointUrl({ host: 'a.example', port: '8443' })).toBe('https://a.example:8443/');
    expect(endpointUrl({ host: '::1', port: '443' })).toBe('https://[::1]/');
    expect(stripFragment('https://a/#x')).toBe('https://a/');
  });
});

describe('which document a request belongs to (Chrome documentId)', () => {
  it('sends requests of a top-level document not yet committed to the navigation in flight', async () => {
    const { belongsToPending } = await import('../../src/background/tab-reducer');
    let record = navigationSettled(EMPTY_RECORD, TAB, judge('about:blank'), 1, 'DOC-BLANK');
    expect(record.documentId).toBe('DOC-BLANK');
    record = navigationStarted(record, TAB, judge('https://www.acme.com/'), 2);
    const image = { mainFrame: false, frameId: 0, documentId: 'DOC-NEW' };
    expect(belongsToPending(record, image)).toBe(true);
    // The shown document's own late requests, and iframes, stay with it.
    expect(belongsToPending(record, { mainFrame: false, frameId: 0, documentId: 'DOC-BLANK' })).toBe(false);
    expect(belongsToPending(record, { mainFrame: false, frameId: 3, documentId: 'DOC-FRAME' })).toBe(false);
    // Without ids (Firefox), only the main-frame request goes to the navigation.
    expect(belongsToPending(record, { mainFrame: false })).toBe(false);
    expect(belongsToPending(record, { mainFrame: true })).toBe(true);
    record = clientAuthFailed(
      record,
      judge('https://mtls.acme.com/x.png'),
      { error: 'net::ERR_BAD_SSL_CLIENT_AUTH_CERT', resourceType: 'image' },
      belongsToPending(record, image),
      3,
    );
    record = navigationSettled(record, TAB, judge('https://www.acme.com/'), 4, 'DOC-NEW');
    expect(record.current?.clientAuthEvents.map((event) => event.host)).toEqual(['mtls.acme.com']);
    expect(record.documentId).toBe('DOC-NEW');
  });

  it("gives a new tab's early sub-resource requests to the page on its way, with or without ids", async () => {
    const { belongsToPending } = await import('../../src/background/tab-reducer');
    for (const image of [
      { mainFrame: false, frameId: 0, documentId: 'DOC-NEW' },
      { mainFrame: false, frameId: 0 },
    ]) {
      let record = navigationStarted(EMPTY_RECORD, TAB, judge('http://plain.acme.com/page'), 1);
      expect(belongsToPending(record, image)).toBe(true);
      record = requestSeen(record, TAB, judge('https://img.acme.com/a.png'), belongsToPending(record, image), 2);
      record = navigationSettled(record, TAB, judge('http://plain.acme.com/page'), 3);
      expect(record.current?.endpoints.map((endpoint) => [endpoint.host, endpoint.requests])).toEqual([['img.acme.com', 1]]);
    }
  });
});
