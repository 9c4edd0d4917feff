import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/engine/index';
import { MAX_EXPORT_RULES, PolicyExportError, policyExport } from '../../src/ui/options/policy-export';

const sources = [
  compileSource('managed', [
    { host: '*.acme.com', port: '', action: 'useEnrollmentCertificate' },
    { host: 'public.acme.com', port: '', action: 'noCertificate' },
  ]),
];
const inForce = (filter: { issuer?: { CN?: string } } | null = null) => ({ sources, certificateFilter: filter });

describe('browser policy export in the options page', () => {
  it('compiles the rules in force with the configured certificate filter and reports every rule', () => {
    const view = policyExport(inForce({ issuer: { CN: 'Acme Enrollment CA' } }), 'chrome-json', undefined);
    expect(view.filename).toBe('cert-rules-chrome.json');
    expect(view.mimeType).toBe('application/json');
    expect(view.text).toContain('AutoSelectCertificateForUrls');
    expect(view.text).toContain('Acme Enrollment CA');
    expect(view.report.map((line) => [line.source, line.index, line.outcome])).toEqual([
      ['managed', 0, expect.any(String)],
      ['managed', 1, 'asks'],
    ]);
  });

  it('refuses an unknown format, no rules, and rule sets too large to check on the page thread', () => {
    const code = (run: () => unknown) => {
      try {
        run();
        return null;
      } catch (error) {
        return error instanceof PolicyExportError ? error.code : 'other';
      }
    };
    expect(code(() => policyExport(inForce(), 'chrome-xml', undefined))).toBe('invalid-request');
    expect(code(() => policyExport({ sources: [], certificateFilter: null }, 'chrome-json', undefined))).toBe('no-rules');
    const many = { sources: [compileSource('profile', Array.from({ length: MAX_EXPORT_RULES + 1 }, (_, i) => ({ host: `h${i}.example`, port: '', action: 'useEnrollmentCertificate' })))], certificateFilter: null };
    expect(code(() => policyExport(many, 'edge-reg', undefined))).toBe('too-large');
    // Firefox has no per-site policy: its file does not depend on the rules.
    expect(policyExport(many, 'firefox-json', undefined).filename).toBe('policies.json');
  });
});
