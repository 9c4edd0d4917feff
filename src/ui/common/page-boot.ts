import browser from 'webextension-polyfill';
import { setMessageSource } from './i18n';

/**
 * What every page does before rendering: use the browser's message catalogue,
 * and set the document language and direction from it.
 */
export function bootPage(): void {
  setMessageSource((key, substitutions) => browser.i18n.getMessage(key, substitutions));
  document.documentElement.lang = browser.i18n.getUILanguage();
  const direction = browser.i18n.getMessage('@@bidi_dir');
  if (direction === 'rtl' || direction === 'ltr') document.documentElement.dir = direction;
}
