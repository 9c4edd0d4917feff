/**
 * What a failed connection means, from the error codes Node's fetch (undici)
 * gives in `cause`. A browser's fetch gives none ("Failed to fetch"), so only
 * the CLI and other Node callers pass this to the console client; the
 * extension's worker does not carry it.
 */
export function describeNodeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const code = cause?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused (is the console running at this address?)',
    ECONNRESET: 'the connection was reset by the server',
    ENOTFOUND: 'the host name was not found',
    EAI_AGAIN: 'the host name could not be resolved',
    ETIMEDOUT: 'the connection timed out',
    UND_ERR_SOCKET: 'the connection closed before the whole answer arrived',
    EPIPE: 'the connection was closed by the server',
    CERT_HAS_EXPIRED: 'the server certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate could not be verified',
  };
  if (code && known[code]) return known[code];
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  if (/terminated|other side closed|premature close/i.test(message)) return 'the connection closed before the whole answer arrived';
  return code ? `${message} (${code})` : message;
}
