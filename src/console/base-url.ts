import { isLoopbackHost } from '../engine/index';
import { ConsoleError } from './failure';

export { isLoopbackHost };

/**
 * Checks and normalises the console base URL (e.g.
 * `https://console.example.com/mocana-app-control/rest/`). The result always
 * ends with "/" so relative resource paths resolve below it.
 */
export function parseConsoleBaseUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new ConsoleError('config', `the console address "${input}" is not a URL; write e.g. https://console.example.com/mocana-app-control/rest/`);
  }
  if (url.username || url.password) {
    throw new ConsoleError('config', 'the console address must not contain a user name or password; use the credential options instead');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConsoleError('config', `the console address must use https:// (plain http is allowed only for localhost/127.0.0.1/[::1]), got ${url.origin}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConsoleError('config', `the console address must use https://, got ${url.protocol}`);
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}
