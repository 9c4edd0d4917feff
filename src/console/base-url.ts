import { checkConsoleAddress, isLoopbackHost } from '../engine/index';
import { ConsoleError } from './failure';

export { isLoopbackHost };

/**
 * Checks and normalises the console base URL (e.g.
 * `https://console.example.com/mocana-app-control/rest/`) by the engine's one
 * verdict on console addresses. The result always ends with "/" so relative
 * resource paths resolve below it.
 */
export function parseConsoleBaseUrl(input: string): URL {
  const checked = checkConsoleAddress(input);
  if (!checked.ok) throw new ConsoleError('config', `the console address: ${checked.message}`);
  const url = checked.url;
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}
