import { checkConsoleAddress, type ConsoleAddressFault } from '../engine/index';

/**
 * The console URL setting: "" means no console; anything else gets the
 * engine's verdict on console addresses, the one the console client applies
 * before any request. Apart from setting-value.ts, so the options page takes
 * these two without the rest of the settings checks.
 */

/** What is wrong with a console URL setting, for the options form to word in the user's language; null when it may be saved. */
export function consoleUrlFault(value: string): ConsoleAddressFault | null {
  if (value.trim() === '') return null;
  const checked = checkConsoleAddress(value);
  return checked.ok ? null : checked.fault;
}

/** What is wrong with a console URL setting, in an administrator's words; null when it may be saved. */
export function checkConsoleUrl(value: string): string | null {
  if (value.trim() === '') return null;
  const checked = checkConsoleAddress(value);
  return checked.ok ? null : checked.message;
}
