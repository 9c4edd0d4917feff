import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseConsoleBaseUrl } from '../../src/console/base-url';
import { parseRetryAfter } from '../../src/console/retry-after';

describe('console base URL', () => {
  it('accepts https anywhere and adds the trailing slash', () => {
    expect(parseConsoleBaseUrl('https://console.example.com/mocana-app-control/rest').href).toBe('https://console.example.com/mocana-app-control/rest/');
  });

  it.each(['http://localhost:8080/rest/', 'http://127.0.0.1/rest/', 'http://127.10.20.30/', 'http://[::1]:9/rest/'])(
    'allows plain http on loopback: %s',
    (url) => {
      expect(() => parseConsoleBaseUrl(url)).not.toThrow();
    },
  );

  it.each([
    'http://console.example.com/rest/',
    'http://10.0.0.1/',
    'http://localhost.evil.com/',
    'http://128.0.0.1/',
    'ftp://console.example.com/',
    'http://localhost./',
  ])('refuses %s as config', (url) => {
    expect(() => parseConsoleBaseUrl(url)).toThrowError(expect.objectContaining({ kind: 'config' }) as Error);
  });

  it('refuses user info in the URL and non-URLs', () => {
    expect(() => parseConsoleBaseUrl('https://u:p@console.example.com/')).toThrowError(/user name or password/);
    expect(() => parseConsoleBaseUrl('console')).toThrowError(/not a URL/);
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.255.255.254', '[::1]', '::1'].every(isLoopbackHost)).toBe(true);
    expect(['example.com', '127.0.0.256', '1.2.3.4', '::2', 'localhost.example.com', 'localhost.', '127.evil.example'].some(isLoopbackHost)).toBe(false);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, relative to now', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
