/**
 * Text the console wrote (error messages that quote it, profile names and
 * descriptions) enters the sync state cut to these lengths: the state's
 * summary is read at every wake-up, and a few failures quoting a 900 KB answer
 * must not fill storage.local's quota.
 */
export const MAX_MESSAGE_CHARS = 500;
export const MAX_NAME_CHARS = 200;

/** `text` if it fits in `max` characters; else its start and "…", `max` characters in all (never half a surrogate pair). */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max - 1;
  return `${text.slice(0, /[\uD800-\uDBFF]/.test(text[end - 1] ?? '') ? end - 1 : end)}…`;
}
