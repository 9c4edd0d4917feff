import { describe, expect, it } from 'vitest';
import { guardPageUrl, isGuardPage, readBlockedUrl } from '../../src/shared/guard-url';

const BASE = 'chrome-extension://kebbolecefaiafmemkajogjapghbkmfl/src/ui/guard/index.html';

describe('guard page address', () => {
  it('reads the URL the browser appended unencoded, with its own query', () => {
    expect(readBlockedUrl(`${BASE}?url=https://a.example:8443/p?x=1&y=%20z`)).toBe('https://a.example:8443/p?x=1&y=%20z');
  });

  it('reads an encoded URL, and round-trips guardPageUrl', () => {
    const url = 'https://a.example/p?x=1&y=2';
    expect(readBlockedUrl(guardPageUrl(BASE, url))).toBe(url);
  });

  it('accepts only https URLs', () => {
    expect(readBlockedUrl(`${BASE}?url=javascript:alert(1)`)).toBeNull();
    expect(readBlockedUrl(`${BASE}?url=http://a.example/`)).toBeNull();
    expect(readBlockedUrl(`${BASE}?url=not a url`)).toBeNull();
    expect(readBlockedUrl(BASE)).toBeNull();
  });

  it('recognises the guard page with or without a query', () => {
    expect(isGuardPage(`${BASE}?url=https://a/`, BASE)).toBe(true);
    expect(isGuardPage(BASE, BASE)).toBe(true);
    expect(isGuardPage(`${BASE}x`, BASE)).toBe(false);
    expect(isGuardPage('https://a.example/', BASE)).toBe(false);
  });
});
