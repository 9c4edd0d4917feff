/**
 * Which request failures mean "the server demanded a client certificate".
 *
 * Chrome reports `net::ERR_*` names from net/base/net_error_list.h; every
 * client-auth error there is listed below. Firefox reports either the NSS
 * error name (inside `NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, …)`
 * or bare) or, when the channel has security info, NSS's English message for
 * it (ChannelWrapper::GetErrorString), so both forms are matched.
 *
 * A TLS alert *received* from the server that names a certificate problem can
 * only be about the client's certificate: the server's certificate is judged
 * locally, never by an alert. Those alerts therefore count as client-auth
 * failures. A generic handshake_failure does not (it also means "no common
 * cipher").
 */
export type ClientAuthKind =
  /** The server asked for a certificate and none was sent, or it refused the one sent. */
  | 'certificate-required'
  | 'certificate-rejected'
  /** The browser could not use the certificate or its key. */
  | 'certificate-unusable';

/** Set by vite.config.ts in a build ("chrome" or "firefox"); not defined in unit tests, which check both browsers' errors. */
declare const __BROWSER__: string;
const FOR_CHROME = typeof __BROWSER__ !== 'string' || __BROWSER__ === 'chrome';
const FOR_FIREFOX = typeof __BROWSER__ !== 'string' || __BROWSER__ === 'firefox';

const CHROME_ERRORS: Readonly<Record<string, ClientAuthKind>> = !FOR_CHROME
  ? {}
  : {
      // -110: the server requested a client certificate (reported when none is selected).
      'net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED': 'certificate-required',
      // -117: the handshake failed because of a bad or missing client certificate.
      'net::ERR_BAD_SSL_CLIENT_AUTH_CERT': 'certificate-rejected',
      // -134, -135, -141, -164, -177: the certificate or its private key could not be used.
      'net::ERR_SSL_CLIENT_AUTH_PRIVATE_KEY_ACCESS_DENIED': 'certificate-unusable',
      'net::ERR_SSL_CLIENT_AUTH_CERT_NO_PRIVATE_KEY': 'certificate-unusable',
      'net::ERR_SSL_CLIENT_AUTH_SIGNATURE_FAILED': 'certificate-unusable',
      'net::ERR_SSL_CLIENT_AUTH_CERT_BAD_FORMAT': 'certificate-unusable',
      'net::ERR_SSL_CLIENT_AUTH_NO_COMMON_ALGORITHMS': 'certificate-unusable',
      // -151: the server's certificate request named no certificate type Chrome supports.
      'net::ERR_CLIENT_AUTH_CERT_TYPE_UNSUPPORTED': 'certificate-unusable',
    };

const FIREFOX_NSS_NAMES: Readonly<Record<string, ClientAuthKind>> = !FOR_FIREFOX
  ? {}
  : {
      SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT: 'certificate-required',
      SSL_ERROR_NO_CERTIFICATE: 'certificate-required',
      SSL_ERROR_BAD_CERT_ALERT: 'certificate-rejected',
      SSL_ERROR_UNSUPPORTED_CERT_ALERT: 'certificate-rejected',
      SSL_ERROR_REVOKED_CERT_ALERT: 'certificate-rejected',
      SSL_ERROR_EXPIRED_CERT_ALERT: 'certificate-rejected',
      SSL_ERROR_CERTIFICATE_UNKNOWN_ALERT: 'certificate-rejected',
      SSL_ERROR_UNKNOWN_CA_ALERT: 'certificate-rejected',
      SSL_ERROR_ACCESS_DENIED_ALERT: 'certificate-rejected',
      SSL_ERROR_CERT_KEA_MISMATCH: 'certificate-unusable',
      SSL_ERROR_SIGN_HASHES_FAILURE: 'certificate-unusable',
    };

/** NSS's English messages for the names above (security/nss/lib/ssl/SSLerrs.h), lower-cased. */
const FIREFOX_MESSAGES: readonly (readonly [string, ClientAuthKind])[] = !FOR_FIREFOX
  ? []
  : [
      ['ssl received a certificate_required alert', 'certificate-required'],
      ['unable to find the certificate or key necessary for authentication', 'certificate-required'],
      ['ssl peer cannot verify your certificate', 'certificate-rejected'],
      ['ssl peer does not support certificates of the type it received', 'certificate-rejected'],
      ['ssl peer rejected your certificate as revoked', 'certificate-rejected'],
      ['ssl peer rejected your certificate as expired', 'certificate-rejected'],
      ['ssl peer had some unspecified issue with the certificate it received', 'certificate-rejected'],
      ['peer does not recognize and trust the ca that issued your certificate', 'certificate-rejected'],
      ['peer received a valid certificate, but access was denied', 'certificate-rejected'],
      ['the certificate provided cannot be used with the selected authentication type', 'certificate-unusable'],
      ['unable to digitally sign data required to verify your certificate', 'certificate-unusable'],
    ];

/** The kind of client-auth failure an error string names, or null for any other failure. */
export function clientAuthKind(error: string | undefined | null): ClientAuthKind | null {
  if (!error) return null;
  const chrome = CHROME_ERRORS[error.trim()];
  if (chrome) return chrome;
  for (const name of Object.keys(FIREFOX_NSS_NAMES)) {
    if (containsName(error, name)) return FIREFOX_NSS_NAMES[name] ?? null;
  }
  const lower = error.toLowerCase();
  for (const [message, kind] of FIREFOX_MESSAGES) if (lower.includes(message)) return kind;
  return null;
}

export function isClientAuthError(error: string | undefined | null): boolean {
  return clientAuthKind(error) !== null;
}

/** Whole-word match, so SSL_ERROR_BAD_CERT_ALERT does not match inside a longer name. */
function containsName(text: string, name: string): boolean {
  let at = text.indexOf(name);
  while (at >= 0) {
    const before = text[at - 1];
    const after = text[at + name.length];
    if (!isNameChar(before) && !isNameChar(after)) return true;
    at = text.indexOf(name, at + 1);
  }
  return false;
}

function isNameChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Z0-9_]/.test(char);
}

export const CHROME_CLIENT_AUTH_ERRORS: readonly string[] = Object.keys(CHROME_ERRORS);
export const FIREFOX_CLIENT_AUTH_NAMES: readonly string[] = Object.keys(FIREFOX_NSS_NAMES);
