import { describe, expect, it } from 'vitest';
import { normalizeTarget } from '../../src/engine/index';

describe('URL normalising (docs/rules.md §3)', () => {
  it.each([
    ['https://Acme.COM./x', { kind: 'tls', host: 'acme.com', port: '443' }],
    ['https://acme.com:443/', { kind: 'tls', host: 'acme.com', port: '443' }],
    ['https://acme.com:08443/', { kind: 'tls', host: 'acme.com', port: '8443' }],
    ['wss://ws.acme.com/', { kind: 'tls', host: 'ws.acme.com', port: '443' }],
    ['wss://ws.acme.com:80/', { kind: 'tls', host: 'ws.acme.com', port: '80' }],
    ['https://[0:0::1]:8443/', { kind: 'tls', host: '::1', port: '8443' }],
    ['https://münchen.de/', { kind: 'tls', host: 'xn--mnchen-3ya.de', port: '443' }],
    ['https://acme.com@evil.com/', { kind: 'tls', host: 'evil.com', port: '443' }],
    ['https://%61cme.com/', { kind: 'tls', host: 'acme.com', port: '443' }],
    ['HTTPS://ACME.COM', { kind: 'tls', host: 'acme.com', port: '443' }],
    ['https://0x7f.1/', { kind: 'tls', host: '127.0.0.1', port: '443' }],
    ['http://acme.com/', { kind: 'not-tls' }],
    ['ftp://acme.com/', { kind: 'not-tls' }],
    ['about:blank', { kind: 'not-tls' }],
    ['not a url', { kind: 'invalid' }],
    ['https://', { kind: 'invalid' }],
    ['https://exa mple.com/', { kind: 'invalid' }],
    ['https://acme.com:99999/', { kind: 'invalid' }],
    ['', { kind: 'invalid' }],
  ])('%j', (url, expected) => {
    expect(normalizeTarget(url)).toEqual(expected);
  });
});
