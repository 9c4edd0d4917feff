import { describe, expect, it } from 'vitest';
import { clientAuthKind } from '../../src/background/client-auth-errors';

/**
 * The strings Firefox ESR 153 reported on these machines (test/e2e/firefox-at-work.test.ts
 * observes them live) when a Node https server with requestCert and
 * rejectUnauthorized refused a handshake without a client certificate.
 */
describe('client-certificate failures as Firefox reports them', () => {
  it('TLS 1.3 (certificate_required alert): webRequest.onErrorOccurred names the NSS error inside an nsresult', () => {
    expect(clientAuthKind('NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT)')).toBe('certificate-required');
  });

  it('TLS 1.2 (handshake_failure alert): the generic message is not taken for a certificate demand', () => {
    // NSS's message for SSL_ERROR_HANDSHAKE_FAILURE_ALERT; the same alert answers "no common cipher suite".
    expect(clientAuthKind('SSL peer was unable to negotiate an acceptable set of security parameters.')).toBeNull();
    expect(clientAuthKind('NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, SSL_ERROR_HANDSHAKE_FAILURE_ALERT)')).toBeNull();
  });

  it('webNavigation.onErrorOccurred gives only a number (the webRequest event carries the name)', () => {
    // 2153393995 = NS_ERROR_GENERATE_FAILURE(MODULE_SECURITY, -SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT).
    expect(clientAuthKind('Error code 2153393995')).toBeNull();
  });
});
