import { describe, expect, it } from 'vitest';
import { chromeChoice, compare, loadPolicy, parsePattern, type ModelCertificate } from './chrome-model';

// The model is the yardstick of the property test, so it is pinned first to
// behaviour Chromium's own code and tests state.
const cert: ModelCertificate = {
  issuer: { CN: 'Test Enrollment CA', L: '', O: ['Test Org'], OU: [] },
  subject: { CN: 'device-1', L: '', O: ['Test Org'], OU: ['Devices'] },
};
const entry = (pattern: string, filter: unknown = {}) => JSON.stringify({ pattern, filter });
const NEVER = { ISSUER: { CN: 'nobody' } };
const select = (entries: string[], url: string) => chromeChoice(loadPolicy(entries), url, cert);

describe('Chrome model: patterns', () => {
  it('parses the forms the parser accepts and rejects the rest', () => {
    expect(parsePattern('https://[*.]acme.com:443')).toMatchObject({ domainWildcard: true, host: 'acme.com', port: '443', scheme: 'https' });
    expect(parsePattern('[*.]acme.com')).toMatchObject({ schemeWildcard: true, portWildcard: true });
    expect(parsePattern('https://*')).toMatchObject({ domainWildcard: true, host: '' });
    expect(parsePattern('https://[::1]:8443')).toMatchObject({ host: '[::1]', port: '8443' });
    expect(parsePattern('https://ACME.com.')).toMatchObject({ host: 'acme.com' });
    for (const bad of [
      'https://*.acme.com',
      'https://*acme.com',
      'https://mail*.acme.com',
      'https://[*.]1.2.3.4',
      'https://acme.com:44x',
      'ftp://acme.com',
      'https://[*.].acme.com',
    ]) {
      expect(parsePattern(bad), bad).toBeNull();
    }
  });

  it('[*.]domain covers the domain and every subdomain, not names that merely end the same', () => {
    const entries = [entry('https://[*.]acme.com')];
    expect(select(entries, 'https://acme.com/').autoSelect).toBe(true);
    expect(select(entries, 'https://a.b.acme.com:8443/').autoSelect).toBe(true);
    expect(select(entries, 'https://evilacme.com/').autoSelect).toBe(false);
  });

  it('an omitted port is any port; a given port is that port only (443 is https default)', () => {
    expect(select([entry('https://acme.com')], 'https://acme.com:8443/').autoSelect).toBe(true);
    expect(select([entry('https://acme.com:443')], 'https://acme.com/').autoSelect).toBe(true);
    expect(select([entry('https://acme.com:443')], 'https://acme.com:8443/').autoSelect).toBe(false);
  });

  it('the single most specific pattern decides: host first, then port', () => {
    const entries = [entry('https://[*.]acme.com:443'), entry('https://public.acme.com', NEVER)];
    expect(select(entries, 'https://public.acme.com/')).toEqual({ spec: 'https://public.acme.com', autoSelect: false });
    expect(select(entries, 'https://www.acme.com/').autoSelect).toBe(true);
    const ports = [entry('https://acme.com'), entry('https://acme.com:443', NEVER)];
    expect(select(ports, 'https://acme.com/').autoSelect).toBe(false);
    expect(select(ports, 'https://acme.com:8443/').autoSelect).toBe(true);
    const nested = [entry('https://[*.]com', NEVER), entry('https://[*.]acme.com')];
    expect(select(nested, 'https://x.acme.com/').autoSelect).toBe(true);
    expect(select(nested, 'https://x.com/').autoSelect).toBe(false);
    expect(compare(parsePattern('https://a.com:1')!, parsePattern('https://b.com:1')!)).toBe('disjoint');
  });

  it('entries with the same pattern string merge: their filters are alternatives', () => {
    const entries = [entry('https://acme.com', NEVER), entry('https://acme.com', { ISSUER: { CN: 'Test Enrollment CA' } })];
    expect(select(entries, 'https://acme.com/').autoSelect).toBe(true);
    expect(loadPolicy(entries).collisions).toEqual([]);
    expect(loadPolicy([entry('https://acme.com:443'), entry('https://ACME.com:443')]).collisions).toHaveLength(1);
  });

  it('filters: CN and L equal, O and OU contained, ISSUER and SUBJECT both', () => {
    const at = (filter: unknown) => select([entry('https://acme.com', filter)], 'https://acme.com/').autoSelect;
    expect(at({})).toBe(true);
    expect(at({ ISSUER: { CN: 'Test Enrollment CA' } })).toBe(true);
    expect(at({ ISSUER: { CN: 'Test Enrollment' } })).toBe(false);
    expect(at({ SUBJECT: { OU: 'Devices', O: 'Test Org' } })).toBe(true);
    expect(at({ ISSUER: { CN: 'Test Enrollment CA' }, SUBJECT: { CN: 'other' } })).toBe(false);
    expect(at({ ISSUER: { CN: '' } })).toBe(true);
  });

  it('skips entries Chrome cannot read', () => {
    const entries = ['not json', JSON.stringify({ pattern: 'https://acme.com' }), entry('https://*.acme.com'), entry('https://acme.com', NEVER)];
    expect(loadPolicy(entries).rules.map((rule) => rule.spec)).toEqual(['https://acme.com']);
  });
});
