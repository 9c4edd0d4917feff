import { describe, expect, it } from 'vitest';
import { clientAuthFailed, EMPTY_RECORD, navigationSettled, navigationStarted, requestSeen, type Judged } from '../../src/background/tab-reducer';

const judged = (url: string, reason: 'allow-rule' | 'no-match' = 'allow-rule'): Judged => {
  const parsed = new URL(url);
  return {
    url,
    host: parsed.hostname,
    port: parsed.port || '443',
    verdict: { decision: reason === 'allow-rule' ? 'useEnrollmentCertificate' : 'noCertificate', reason, rule: null },
  };
};

const failure = { error: 'NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT)', resourceType: 'main_frame' };

describe('a failed navigation followed by its error page (Firefox event order)', () => {
  // Firefox: onBeforeNavigate, onBeforeRequest, webRequest.onErrorOccurred,
  // webNavigation.onErrorOccurred, then onCommitted for the error page.
  const url = 'https://mtls.example.test:8443/login';
  const failed = () => {
    let record = navigationStarted(EMPTY_RECORD, 7, judged(url), 1);
    record = requestSeen(record, 7, judged(url), true, 2);
    record = clientAuthFailed(record, judged(url), failure, true, 3);
    return navigationSettled(record, 7, judged(url), 4);
  };

  it('keeps the client-certificate failure when the error page commits', () => {
    const afterError = failed();
    expect(afterError.current?.clientAuthEvents).toHaveLength(1);
    const afterCommit = navigationSettled(afterError, 7, judged(url), 5);
    expect(afterCommit.pending).toBeNull();
    expect(afterCommit.current?.clientAuthEvents).toEqual(afterError.current?.clientAuthEvents);
    expect(afterCommit.current?.endpoints).toEqual([expect.objectContaining({ host: 'mtls.example.test', port: '8443', requests: 1 })]);
  });

  it('still starts afresh when a commit without a navigation in flight is for another URL', () => {
    const other = 'https://other.example.test/';
    const afterCommit = navigationSettled(failed(), 7, judged(other, 'no-match'), 5);
    expect(afterCommit.current).toMatchObject({ url: other, clientAuthEvents: [], verdict: { reason: 'no-match' } });
    expect(afterCommit.current?.endpoints.map((endpoint) => endpoint.host)).toEqual(['other.example.test']);
  });

  it('a new navigation to the same URL still forgets the failure (it starts with onBeforeNavigate)', () => {
    let record = navigationStarted(failed(), 7, judged(url), 6);
    record = navigationSettled(record, 7, judged(url), 7);
    expect(record.current?.clientAuthEvents).toEqual([]);
  });
});
