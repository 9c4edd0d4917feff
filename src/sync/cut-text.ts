/**
 * Text the console wrote (error messages that quote it, profile names and
 * descriptions) enters the sync state cut to these lengths: the state's
 * summary is read at every wake-up, and a few failures quoting a 900 KB answer
 * must not fill storage.local's quota.
 */
export const MAX_MESSAGE_CHARS = 500;
export const MAX_NAME_CHARS = 200;

const ELLIPSIS = '…';

/** `text` if it fits in `max` characters; else its start and an ellipsis, `max` characters in all. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  // Never keep half of a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${ELLIPSIS}`;
}

export function cutMessage(text: string): string {
  return cutText(text, MAX_MESSAGE_CHARS);
}

export function cutName<T extends string | null>(text: T): T {
  return (text === null ? null : cutText(text, MAX_NAME_CHARS)) as T;
}
