/**
 * The guard page's address. The background's declarativeNetRequest rules send
 * a blocked top-level navigation to `GUARD_PAGE_PATH?url=<the URL>`. The
 * browser appends the URL as it is — a regexSubstitution cannot encode — so
 * everything after the first `?url=`, its own query and fragment included, is
 * the blocked URL. An address built here (guardPageUrl) encodes the URL
 * instead; readBlockedUrl accepts both forms.
 */
export const GUARD_PAGE_PATH = 'src/ui/guard/index.html';

const MARKER = '?url=';

/** `base` is the guard page's absolute URL (runtime.getURL(GUARD_PAGE_PATH)). */
export function guardPageUrl(base: string, blockedUrl: string): string {
  return `${base}${MARKER}${encodeURIComponent(blockedUrl)}`;
}

/** The blocked https URL from the guard page's own href, or null when there is none or it is not https. */
export function readBlockedUrl(href: string): string | null {
  const at = href.indexOf(MARKER);
  if (at < 0) return null;
  let value = href.slice(at + MARKER.length);
  if (/^https?%3a/i.test(value)) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Whether a URL is the guard page (any query), given the guard page's absolute URL. */
export function isGuardPage(url: string, base: string): boolean {
  return url === base || url.startsWith(`${base}?`) || url.startsWith(`${base}#`);
}
