import { describe, expect, it } from 'vitest';
import { guardStopFor } from '../../src/shared/guard-stop';

const deny = { decision: 'noCertificate', reason: 'deny-rule' } as const;

describe('what the guard does with an address', () => {
  it('stops an https address a deny rule covers, as the mode says', () => {
    expect(guardStopFor('warn', 'https://a.example/', deny)).toBe('warn');
    expect(guardStopFor('block', 'HTTPS://A.EXAMPLE:8443/x', deny)).toBe('block');
  });

  it('stops nothing when the guard is off, the address is not https, or no deny rule decides it', () => {
    expect(guardStopFor('off', 'https://a.example/', deny)).toBe('none');
    for (const url of ['http://a.example/', 'wss://a.example/', 'javascript:alert(1)', 'not a url', ''])
      expect(guardStopFor('warn', url, deny), url).toBe('none');
    for (const verdict of [
      { decision: 'noCertificate', reason: 'no-match' },
      { decision: 'noCertificate', reason: 'no-rules' },
      { decision: 'noCertificate', reason: 'invalid-url' },
      { decision: 'useEnrollmentCertificate', reason: 'allow-rule' },
      { decision: 'notApplicable', reason: 'not-tls' },
    ] as const) {
      expect(guardStopFor('block', 'https://a.example/', verdict), verdict.reason).toBe('none');
    }
  });
});
