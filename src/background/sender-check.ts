import { GUARD_PAGE_PATH, isGuardPage } from '../shared/guard-url';
import { MUTATING_REQUESTS, type ErrorReply, type RequestType } from '../shared/messages';

/** What the browser tells a listener about who sent a message (runtime.MessageSender, the parts used). */
export interface SenderInfo {
  id?: string | undefined;
  url?: string | undefined;
  origin?: string | undefined;
  /** 0 for a top-level document; the guard page is web-accessible, so it can also be framed by a web page. */
  frameId?: number | undefined;
  /** The tab the sending page is in; absent for a page outside any tab (e.g. the popup) or a worker. */
  tab?: { id?: number | undefined } | undefined;
}

export interface OwnExtension {
  /** runtime.id */
  id: string;
  /** runtime.getURL(''), e.g. `chrome-extension://<id>/` or `moz-extension://<uuid>/`. */
  origin: string;
}

/**
 * Who may ask what. Every request must come from this extension (`sender.id`);
 * a request that changes anything must also come from one of the extension's
 * own pages (`sender.url` under the extension's origin) — not from a content
 * script in a web page, which carries the extension's id too. Messages from
 * other extensions arrive on onMessageExternal, which the background does not
 * listen to at all.
 */
export function checkSender(type: RequestType, sender: SenderInfo, own: OwnExtension): ErrorReply | null {
  if (sender.id !== own.id) {
    return { code: 'forbidden', message: 'requests are accepted only from this extension' };
  }
  if (!MUTATING_REQUESTS.has(type)) return null;
  if (!isOwnPage(sender, own)) {
    return { code: 'forbidden', message: `"${type}" changes settings or rules and is accepted only from the extension's own pages` };
  }
  if (type === 'guardContinue') return checkGuardPageSender(sender, own);
  return null;
}

/**
 * A web page may frame the guard page (it must be web-accessible to be a
 * redirect target): "continue" counts only from the guard page as a tab's own
 * top-level page, never from a frame a site controls, nor from another of the
 * extension's pages.
 */
function checkGuardPageSender(sender: SenderInfo, own: OwnExtension): ErrorReply | null {
  if (!isGuardPage(sender.url ?? '', `${withSlash(own.origin)}${GUARD_PAGE_PATH}`)) {
    return { code: 'forbidden', message: 'the guard can be passed only from the guard page' };
  }
  if (!sender.tab || sender.frameId !== 0) {
    return {
      code: 'forbidden',
      message: 'the guard can be passed only from the guard page as the top-level page of a tab, not from a frame inside another page',
    };
  }
  return null;
}

export function isOwnPage(sender: SenderInfo, own: OwnExtension): boolean {
  const origin = withSlash(own.origin);
  if (typeof sender.url !== 'string' || !sender.url.startsWith(origin)) return false;
  // Chrome also reports the origin; when present it must agree.
  if (typeof sender.origin === 'string' && sender.origin !== 'null' && `${sender.origin}/` !== origin) return false;
  return true;
}

function withSlash(origin: string): string {
  return origin.endsWith('/') ? origin : `${origin}/`;
}
