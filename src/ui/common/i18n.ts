import type english from '../../../public/_locales/en/messages.json';

/** Every message name the English catalogue defines: a missing key is a type error. */
export type MessageKey = keyof typeof english;

/** browser.i18n.getMessage's shape: returns "" for an unknown name. */
export type MessageSource = (key: string, substitutions?: string[]) => string;

/**
 * Until a page installs the browser's own catalogue, fall back to the global
 * `chrome.i18n` (present in extension pages of both browsers) so nothing here
 * imports the polyfill, which refuses to load outside an extension (tests).
 */
let source: MessageSource = (key, substitutions) => {
  const api = (globalThis as { chrome?: { i18n?: { getMessage?: MessageSource } } }).chrome?.i18n;
  return api?.getMessage?.(key, substitutions) ?? '';
};

/** Pages install browser.i18n.getMessage; tests install a reader of messages.json. */
export function setMessageSource(next: MessageSource): void {
  source = next;
}

/** The localised text for a message; the key itself when the catalogue lacks it, so gaps are visible. */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  const text = source(key, substitutions.map(String));
  return text === '' ? key : text;
}
