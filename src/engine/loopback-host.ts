/**
 * Hosts where plain HTTP is tolerated for the management console: only the
 * machine itself (docs/console-api.md: development and tests): `localhost`,
 * 127.0.0.0/8 and ::1, as the URL parser writes them. Everything else must be
 * HTTPS so credentials and rules cannot be read or altered on the way.
 * "localhost." is not among them: glibc's resolver (and so Node's fetch) does
 * not find it in /etc/hosts and asks DNS, which may answer anything.
 * Here, beside the rules, because both the settings (config) and the console
 * client check it, and neither may import the other.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
}
