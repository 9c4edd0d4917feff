import { isLoopbackHost } from './loopback-host';

/** Why a text cannot be the management console's address. */
export type ConsoleAddressFault = 'not-a-url' | 'credentials' | 'plain-http' | 'scheme';

/** The verdict, and for a refusal what is wrong in an administrator's words (the pages word the fault in the user's language). */
export type ConsoleAddressCheck = { ok: true; url: URL } | { ok: false; fault: ConsoleAddressFault; message: string };

/**
 * The one verdict on a console address (docs/console-api.md, "Limits the
 * client sets"), given by the settings, the options form and the console
 * client alike: a URL by the WHATWG parser, with no user name or password in
 * it (credentials have their own settings, kept in the background), over
 * https, or plain http to a loopback host. The host is judged as the parser
 * normalised it, which is the host a request goes to. Surrounding white space
 * is ignored. No message quotes a user name or password.
 *
 * Here, beside isLoopbackHost, because the settings (config) and the console
 * client both ask, and neither may import the other.
 */
export function checkConsoleAddress(text: string): ConsoleAddressCheck {
  const fail = (fault: ConsoleAddressFault, message: string): ConsoleAddressCheck => ({ ok: false, fault, message });
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    // Not quoted: the text may hold a password the parser could not separate.
    return fail('not-a-url', 'not a URL; write e.g. https://console.example.com/mocana-app-control/rest/');
  }
  if (url.username !== '' || url.password !== '')
    return fail('credentials', 'the URL must not contain a user name or password; use the username and password settings');
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return { ok: true, url };
  if (url.protocol === 'http:')
    return fail('plain-http', `plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1]; use https://${url.host}${url.pathname}`);
  return fail('scheme', `the URL must start with https://, not ${url.protocol}//`);
}
