/**
 * "5 minutes ago" in the browser's language; Intl does the wording. Under a
 * minute it counts seconds ("12 seconds ago", at least one): "now" would read
 * as if the thing happened at this moment ("last success now" after a failure).
 */
export function relativeTime(at: number, now: number, locale?: string): string {
  const seconds = Math.round((at - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return new Intl.RelativeTimeFormat(locale, { numeric: 'always' }).format(at <= now ? -Math.max(1, abs) : Math.max(1, abs), 'second');
  if (abs < 45 * 60) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86400), 'day');
}

/** An absolute time for tables and tooltips. */
export function absoluteTime(at: number, locale?: string): string {
  return new Date(at).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}
