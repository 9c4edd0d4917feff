import { describe, expect, it } from 'vitest';
import { CHROME_CLIENT_AUTH_ERRORS, clientAuthKind, FIREFOX_CLIENT_AUTH_NAMES, isClientAuthError } from '../../src/background/client-auth-errors';

describe('client-certificate failures (Chromium net::ERR_* names)', () => {
  it('recognises every client-auth error of net_error_list.h', () => {
    expect([...CHROME_CLIENT_AUTH_ERRORS].sort()).toEqual(
      [
        'net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED', // -110
        'net::ERR_BAD_SSL_CLIENT_AUTH_CERT', // -117
        'net::ERR_SSL_CLIENT_AUTH_PRIVATE_KEY_ACCESS_DENIED', // -134
        'net::ERR_SSL_CLIENT_AUTH_CERT_NO_PRIVATE_KEY', // -135
        'net::ERR_SSL_CLIENT_AUTH_SIGNATURE_FAILED', // -141
        'net::ERR_CLIENT_AUTH_CERT_TYPE_UNSUPPORTED', // -151
        'net::ERR_SSL_CLIENT_AUTH_CERT_BAD_FORMAT', // -164
        'net::ERR_SSL_CLIENT_AUTH_NO_COMMON_ALGORITHMS', // -177
      ].sort(),
    );
    for (const error of CHROME_CLIENT_AUTH_ERRORS) expect(isClientAuthError(error), error).toBe(true);
    expect(clientAuthKind('net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED')).toBe('certificate-required');
    expect(clientAuthKind('net::ERR_BAD_SSL_CLIENT_AUTH_CERT')).toBe('certificate-rejected');
    expect(clientAuthKind('net::ERR_SSL_CLIENT_AUTH_SIGNATURE_FAILED')).toBe('certificate-unusable');
  });

  it('does not take other failures for a certificate demand', () => {
    for (const error of [
      'net::ERR_ABORTED',
      'net::ERR_CONNECTION_RESET',
      'net::ERR_SSL_PROTOCOL_ERROR',
      'net::ERR_CERT_AUTHORITY_INVALID',
      'net::ERR_CERT_COMMON_NAME_INVALID',
      'net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH',
      'net::ERR_BLOCKED_BY_CLIENT',
      'net::ERR_NAME_NOT_RESOLVED',
      '',
      undefined,
      null,
    ]) {
      expect(isClientAuthError(error), String(error)).toBe(false);
    }
  });
});

describe('client-certificate failures (Firefox NSS names and messages)', () => {
  it('recognises the NSS names bare, inside an nsresult name, and the English messages', () => {
    for (const name of FIREFOX_CLIENT_AUTH_NAMES) {
      expect(isClientAuthError(name), name).toBe(true);
      expect(isClientAuthError(`NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, ${name})`), name).toBe(true);
    }
    expect(clientAuthKind('SSL received a certificate_required alert.')).toBe('certificate-required');
    expect(clientAuthKind('SSL peer cannot verify your certificate.')).toBe('certificate-rejected');
    expect(clientAuthKind('Peer does not recognize and trust the CA that issued your certificate.')).toBe('certificate-rejected');
  });

  it('matches whole names only', () => {
    expect(isClientAuthError('SSL_ERROR_BAD_CERT_ALERT_X')).toBe(false);
    expect(isClientAuthError('XSSL_ERROR_BAD_CERT_ALERT')).toBe(false);
    expect(isClientAuthError('SEC_ERROR_UNKNOWN_ISSUER')).toBe(false);
    expect(isClientAuthError('SSL_ERROR_BAD_CERT_DOMAIN')).toBe(false);
  });
});
