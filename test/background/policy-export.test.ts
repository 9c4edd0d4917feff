import { describe, expect, it } from 'vitest';
import { MAX_EXPORT_RULES, policyExport } from '../../src/background/policy-export';
import { HandlerError } from '../../src/background/router';
import { buildRuleSet, compileSource } from '../../src/engine/index';

const ruleSet = buildRuleSet([
  compileSource('managed', [
    { host: '*.acme.com', port: '', action: 'useEnrollmentCertificate' },
    { host: 'public.acme.com', port: '', action: 'noCertificate' },
  ]),
]);

describe('browser policy export from the background', () => {
  it('compiles the rules in force with the configured certificate filter and reports every rule', () => {
    const view = policyExport(ruleSet, 'chrome-json', undefined, { issuer: { CN: 'Acme Enrollment CA' } });
    expect(view.filename).toBe('cert-rules-chrome.json');
    expect(view.mimeType).toBe('application/json');
    expect(view.text).toContain('AutoSelectCertificateForUrls');
    expect(view.text).toContain('Acme Enrollment CA');
    expect(view.report.map((line) => [line.source, line.index, line.outcome])).toEqual([
      ['managed', 0, expect.any(String)],
      ['managed', 1, 'asks'],
    ]);
  });

  it('refuses an unknown format, no rules, and rule sets too large to check on the worker thread', () => {
    const code = (run: () => unknown) => {
      try {
        run();
        return null;
      } catch (error) {
        return error instanceof HandlerError ? error.code : 'other';
      }
    };
    expect(code(() => policyExport(ruleSet, 'chrome-xml', undefined, null))).toBe('invalid-request');
    expect(code(() => policyExport(null, 'chrome-json', undefined, null))).toBe('no-rules');
    const many = buildRuleSet([compileSource('profile', Array.from({ length: MAX_EXPORT_RULES + 1 }, (_, i) => ({ host: `h${i}.example`, port: '', action: 'useEnrollmentCertificate' })))]);
    expect(code(() => policyExport(many, 'edge-reg', undefined, null))).toBe('too-large');
    // Firefox has no per-site policy: its file does not depend on the rules.
    expect(policyExport(many, 'firefox-json', undefined, null).filename).toBe('policies.json');
  });
});
