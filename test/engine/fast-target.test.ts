import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlainTlsUrl } from '../../src/engine/fast-target';
import { normalizeTarget } from '../../src/engine/target';
import { propertyRuns } from '../helpers/property-runs';

/** docs/rules.md §3 read literally, with the WHATWG URL parser: the reference the fast path must equal. */
function byUrlParser(input: string) {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { kind: 'invalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'wss:') return { kind: 'not-tls' };
  const host = url.hostname.replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  return { kind: 'tls', host, port: url.port === '' ? '443' : url.port };
}

// Pieces chosen to sit right at the fast path's edges: case, IDNA, IPv4-looking
// labels, user info, percent signs, stripped white space, odd slashes, ports.
const schemeArb = fc.constantFrom(
  'https://',
  'https://',
  'wss://',
  'HTTPS://',
  'Https://',
  'http://',
  'https:/',
  'https:\\\\',
  ' https://',
  'https:///',
  'wss:/\t/',
  'ftp://',
);
const labelArb = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      'xn--mnchen-3ya',
      'xn--abc',
      'XN--abc',
      'xn--',
      '0x7f',
      '127',
      '1',
      '0',
      '08',
      '1a',
      'a1',
      '-a',
      'a-',
      '_',
      'ab--c',
      'A',
      'MiXed',
      'é',
      'ß',
      '%41',
      'a%2e',
      '',
      'a b',
      'a\tb',
      'ﬀ',
    ),
    weight: 3,
  },
  {
    arbitrary: fc.string({
      unit: fc.constantFrom('a', 'z', '0', '9', '-', '_', 'A', '%', '@', ':', '[', ']', '\t', '\n', ' ', '.', '\\', '/', '?', '#', 'é'),
      maxLength: 6,
    }),
    weight: 2,
  },
);
const hostArb = fc.tuple(fc.array(labelArb, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '', '', '.')).map(([labels, dot]) => labels.join('.') + dot);
const portArb = fc.constantFrom('', '', '', ':', ':0', ':1', ':443', ':00443', ':8443', ':65535', ':65536', ':99999', ':12a', ':-1', ': 1', ':4\t43');
const restArb = fc.constantFrom('', '/', '/path?q=1#f', '?x', '#y', '\\x', '@evil.com/', ':', ' ', '\t', '/a b', '/%zz', '?@x', 'é');
const urlArb = fc.tuple(schemeArb, hostArb, portArb, restArb).map(([scheme, host, port, rest]) => scheme + host + port + rest);

describe('the plain-URL fast path', () => {
  it('agrees with the URL parser whenever it answers, and answers for plain URLs', () => {
    let answered = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.oneof(urlArb, fc.webUrl({ withQueryParameters: true, withFragments: true })), (url) => {
        total += 1;
        const fast = parsePlainTlsUrl(url);
        if (fast !== null) {
          answered += 1;
          expect(fast).toEqual(byUrlParser(url));
        }
        expect(normalizeTarget(url)).toEqual(byUrlParser(url));
      }),
      { numRuns: propertyRuns(10_000) },
    );
    console.log(`fast path: answered ${answered} of ${total} generated URLs, all as the URL parser does`);
    // Agreement proves little if the fast path never answers.
    expect(answered).toBeGreaterThan(total / 10);
  });

  it('answers the common shapes and leaves the rest to the parser', () => {
    expect(parsePlainTlsUrl('https://intranet.acme.com/a?b#c')).toEqual({ kind: 'tls', host: 'intranet.acme.com', port: '443' });
    expect(parsePlainTlsUrl('wss://push.acme.com:8443')).toEqual({ kind: 'tls', host: 'push.acme.com', port: '8443' });
    expect(parsePlainTlsUrl('https://acme.com:0443/')).toEqual({ kind: 'tls', host: 'acme.com', port: '443' });
    expect(parsePlainTlsUrl('https://acme.com:/')).toEqual({ kind: 'tls', host: 'acme.com', port: '443' });
    for (const other of [
      'https://ACME.com/',
      'https://acme.com./',
      'https://10.0.0.1/',
      'https://a@b.com/',
      'https://xn--mnchen-3ya.de/',
      'https://[::1]/',
      'http://acme.com/',
      'https://acme.com:65536/',
      'https://a..b/',
    ]) {
      expect(parsePlainTlsUrl(other)).toBeNull();
    }
  });
});
