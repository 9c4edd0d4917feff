import { describe, expect, it } from 'vitest';
import { generateBenchData } from '../../scripts/bench/rule-data';
import { TABLE_PAGE_SIZE } from '../../src/ui/options/pager';
import { startFirefoxEnvironment, type FirefoxEnvironment } from './support/firefox-environment';
import { pollUntil } from './support/poll';
import { environmentForSuite } from './support/suite-environment';

/**
 * The options page's export worker and rule tables in Firefox ESR: a module
 * worker started from the moz-extension:// origin under the manifest's CSP,
 * and the paged rules section with a link to one row.
 */
const rules = generateBenchData(1200, 1, 31).rules;

describe('Firefox ESR: the options page export worker and paged rules', () => {
  let env: FirefoxEnvironment;
  environmentForSuite(
    'firefox options export suite',
    async () =>
      (env = await startFirefoxEnvironment({
        seed: null,
        policy: () => ({ localRules: 'all', rules: [{ host: '*.acme.test', port: '*', action: 'useEnrollmentCertificate' }] }),
      })),
  );

  it('compiles the Chrome policy in the worker and shows the report and the file', async () => {
    const page = await env.ext.openExtensionPage('src/ui/options/index.html#browser-policy');
    const shown = await pollUntil(
      () =>
        page.evaluate(() => ({
          preview: document.querySelector('.policy-preview')?.textContent ?? '',
          report: document.getElementById('policy-report-heading')?.textContent ?? '',
          error: document.querySelector('.error-text')?.textContent ?? '',
        })),
      (state) => state.preview !== '' || state.error !== '',
      { what: 'the preview, exported in the worker', timeoutMs: 30_000 },
    );
    expect(shown.error).toBe('');
    expect(shown.preview).toContain('AutoSelectCertificateForUrls');
    expect(shown.report).toBe('Report: 1 lines');
    await page.close();
  });

  it('shows 1,200 local rules a page at a time, and opens at a linked row', async () => {
    const reply = await env.ext.send({ type: 'setLocalRules', rules });
    expect(reply.ok).toBe(true);
    const page = await env.ext.openExtensionPage('src/ui/options/index.html#rule=managed:0');
    const state = await pollUntil(
      () =>
        page.evaluate(() => ({
          target: document.querySelector('[data-source="managed"] tr.rule-target')?.textContent ?? '',
          focused: document.activeElement?.matches('tr.rule-target') ?? false,
          editorRows: document.querySelectorAll('[data-source="local"] li.rule-row').length,
        })),
      (value) => value.target !== '' && value.editorRows > 0 && value.focused,
      { what: 'the linked row, and the local editor', timeoutMs: 30_000 },
    );
    expect(state.target).toContain('Rule 1 (index 0)');
    expect(state.editorRows).toBeLessThanOrEqual(TABLE_PAGE_SIZE);
    await page.close();
  });
});
