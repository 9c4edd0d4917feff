import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/engine/index';
import { anyCertificateFileName, NO_CERTIFICATE_FILTER_NOTE } from '../../src/engine/policy/index';
import { PolicyExportError, policyExport } from '../../src/ui/options/policy-export';

const sources = [
  compileSource('managed', [
    { host: '*.acme.com', port: '', action: 'useEnrollmentCertificate' },
    { host: 'public.acme.com', port: '', action: 'noCertificate' },
  ]),
];
/** The filters of the entries that let Chrome auto-select (not the never-match ones), from a Linux JSON file. */
const allowFilters = (text: string) =>
  (JSON.parse(text) as { AutoSelectCertificateForUrls: string[] }).AutoSelectCertificateForUrls.map(
    (entry) => (JSON.parse(entry) as { filter: { ISSUER?: { CN?: string } } }).filter,
  ).filter((filter) => filter.ISSUER?.CN !== 'never-auto-select.cert-rules.invalid');
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

  it('refuses an unknown format and no rules, and exports any number of rules (no cap in the page)', () => {
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
    const many = {
      sources: [
        compileSource(
          'profile',
          Array.from({ length: 600 }, (_, i) => ({ host: `h${i}.example`, port: '', action: i % 7 === 0 ? 'noCertificate' : 'useEnrollmentCertificate' })),
        ),
      ],
      certificateFilter: null,
    };
    const view = policyExport(many, 'edge-reg', undefined);
    expect(view.report).toHaveLength(600);
    expect(view.report.map((line) => line.index)).toEqual(Array.from({ length: 600 }, (_, i) => i));
    expect(view.text).toContain('h599.example');
    // Firefox has no per-site policy: its file does not depend on the rules.
    expect(policyExport(many, 'firefox-json', undefined).filename).toBe('policies.json');
  });

  it('reports its steps in order: prepare and write with the count of rules, check in percent ending at 100', () => {
    const steps: string[] = [];
    policyExport(inForce(), 'chrome-json', undefined, null, (phase, done, total) => steps.push(`${phase} ${done}/${total}`));
    expect(steps[0]).toBe('prepare 0/2');
    expect(steps[1]).toBe('check 0/100');
    expect(steps.at(-2)).toBe('check 100/100');
    expect(steps.at(-1)).toBe('write 2/2');
    const order = steps.map((step) => step.split(' ')[0]);
    expect(order).toEqual([...order].sort((a, b) => ['prepare', 'check', 'write'].indexOf(a ?? '') - ['prepare', 'check', 'write'].indexOf(b ?? '')));
    // Firefox's file needs no check.
    const firefox: string[] = [];
    policyExport(inForce(), 'firefox-json', undefined, null, (phase) => firefox.push(phase));
    expect(firefox).toEqual(['prepare', 'write']);
  });

  describe('without a certificate filter', () => {
    const chromeAndEdge = [
      ['chrome-json', 'cert-rules-chrome-any-certificate.json'],
      ['chrome-reg', 'cert-rules-chrome-any-certificate.reg'],
      ['chrome-mobileconfig', 'cert-rules-chrome-any-certificate.mobileconfig'],
      ['edge-json', 'cert-rules-edge-any-certificate.json'],
      ['edge-reg', 'cert-rules-edge-any-certificate.reg'],
      ['edge-mobileconfig', 'cert-rules-edge-any-certificate.mobileconfig'],
    ] as const;

    it.each(chromeAndEdge)("%s: says so in the file name and carries the CLI's note", (format, filename) => {
      const view = policyExport(inForce(), format, undefined);
      expect(view.filename).toBe(filename);
      expect(view.anyCertificate).toBe(true);
      expect(view.notes).toContain(NO_CERTIFICATE_FILTER_NOTE);
    });

    it('counts a filter whose principals name nothing as no filter', () => {
      const view = policyExport({ sources, certificateFilter: { issuer: {}, subject: {} } }, 'chrome-json', undefined);
      expect(view.filename).toBe('cert-rules-chrome-any-certificate.json');
      expect(allowFilters(view.text)).toEqual([{}]);
    });

    it('with a filter: the plain file name, no such note, and the filter in every allow entry', () => {
      for (const [format] of chromeAndEdge) {
        const view = policyExport(inForce({ issuer: { CN: 'Acme Enrollment CA' } }), format, undefined);
        expect(view.filename, format).not.toContain('any-certificate');
        expect(view.anyCertificate, format).toBe(false);
        expect(view.notes, format).not.toContain(NO_CERTIFICATE_FILTER_NOTE);
      }
    });

    it('Firefox: its file has no certificate filter, so neither the note nor the suffix', () => {
      const view = policyExport(inForce(), 'firefox-json', undefined);
      expect(view.filename).toBe('policies.json');
      expect(view.anyCertificate).toBe(false);
      expect(view.notes).not.toContain(NO_CERTIFICATE_FILTER_NOTE);
    });

    it('a filter given by the page (being edited) replaces the one in force, both ways', () => {
      const edited = policyExport(inForce(), 'chrome-json', undefined, { subject: { O: 'Acme' } });
      expect(edited.filename).toBe('cert-rules-chrome.json');
      expect(allowFilters(edited.text)).toEqual([{ SUBJECT: { O: 'Acme' } }]);
      const cleared = policyExport(inForce({ issuer: { CN: 'Acme Enrollment CA' } }), 'chrome-json', undefined, {});
      expect(cleared.filename).toBe('cert-rules-chrome-any-certificate.json');
      expect(allowFilters(cleared.text)).toEqual([{}]);
    });

    it('refuses a filter naming the never-match name, saying which', () => {
      expect(() => policyExport(inForce(), 'chrome-json', undefined, { issuer: { CN: 'never-auto-select.cert-rules.invalid' } })).toThrow(
        /certificate filter: "never-auto-select\.cert-rules\.invalid" is reserved/,
      );
    });

    it('names any file so, extension kept', () => {
      expect(anyCertificateFileName('policy.reg')).toBe('policy-any-certificate.reg');
      expect(anyCertificateFileName('a.b.json')).toBe('a.b-any-certificate.json');
      expect(anyCertificateFileName('policy')).toBe('policy-any-certificate');
      expect(anyCertificateFileName('.json')).toBe('.json-any-certificate');
    });
  });
});
