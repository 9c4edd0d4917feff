// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { compileSource } from '../../src/engine/index';
import { OUTCOME_ORDER, OUTCOME_WORDS, PolicyOutcomeSchema } from '../../src/engine/policy/index';
import { policyExport } from '../../src/ui/options/policy-export';
import { ExportView, OUTCOME_TEXT } from '../../src/ui/options/policy-export-view';
import { englishCatalog, useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

const A = 'useEnrollmentCertificate';
const D = 'noCertificate';

/** One rule of each outcome, compiled by the real compiler. */
const inForce = {
  sources: [
    compileSource('local', [
      { host: 'www.acme.com', port: '', action: A },
      { host: '*acme.org', port: '', action: A },
      { host: 'app.acme.com', port: '*443', action: A },
      { host: 'public.acme.com', port: '', action: D },
    ]),
  ],
  certificateFilter: { issuer: { CN: 'Acme CA' } },
};

const outcomeCells = () =>
  within(screen.getByRole('table', { name: /^Report: / }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.querySelector('td.outcome') as HTMLElement);

describe('browser policy: every outcome in words', () => {
  test('each row shows its outcome as a localised label, never a code, and points at its explanation in the legend', () => {
    const view = policyExport(inForce, 'chrome-json', undefined);
    expect(view.report.map((line) => line.outcome)).toEqual(['exact', 'narrower', 'not-expressible', 'asks']);
    render(<ExportView view={view} />);
    const cells = outcomeCells();
    expect(cells.map((cell) => cell.textContent)).toEqual(['Exact', 'Narrower', 'Not expressible', 'Asks the user']);
    for (const [i, cell] of cells.entries()) {
      const help = document.getElementById(cell.getAttribute('aria-describedby') ?? '');
      expect(help?.textContent).toBe(englishCatalog()[OUTCOME_TEXT[view.report[i]!.outcome as 'exact'].help]?.message);
    }
    expect(cells.map((cell) => cell.textContent)).not.toContain('asks');
  });

  test('the legend lists every outcome with its label and one line that says what it means', () => {
    render(<ExportView view={policyExport(inForce, 'chrome-json', undefined)} />);
    const legend = screen.getByRole('heading', { name: 'What each outcome means' });
    expect(legend).toBeTruthy();
    const entries = [...document.querySelectorAll<HTMLElement>('.outcome-legend > div')];
    expect(entries.map((entry) => entry.dataset['outcome'])).toEqual(PolicyOutcomeSchema.options);
    for (const entry of entries) {
      const [label, help] = [entry.querySelector('dt')?.textContent ?? '', entry.querySelector('dd')?.textContent ?? ''];
      expect(label).not.toBe('');
      expect(label).not.toMatch(/^browserPolicy_/);
      expect(help.length).toBeGreaterThan(30);
      expect(help).not.toContain('\n');
    }
  });

  test('Firefox: its outcomes are worded too', () => {
    render(<ExportView view={policyExport(inForce, 'firefox-json', undefined)} />);
    expect(outcomeCells().map((cell) => cell.textContent)).toEqual(['Not expressible', 'Not expressible', 'Not expressible', 'Asks the user']);
  });

  test('an outcome the page does not know is shown as it came, with no explanation claimed', () => {
    render(
      <ExportView
        view={{
          text: '',
          filename: 'x.json',
          mimeType: 'application/json',
          notes: [],
          anyCertificate: false,
          report: [{ source: 'local', index: 0, outcome: 'odd', note: '' }],
        }}
      />,
    );
    const [cell] = outcomeCells();
    expect(cell?.textContent).toBe('odd');
    expect(cell?.hasAttribute('aria-describedby')).toBe(false);
  });

  test("the report's notes name other rules as the page does: rule N+1 (index N)", () => {
    const view = policyExport(
      {
        sources: [
          compileSource('local', [
            { host: '*', port: '*', action: A },
            { host: '*acme.com', port: '', action: D },
          ]),
        ],
        certificateFilter: null,
      },
      'chrome-json',
      undefined,
    );
    render(<ExportView view={view} />);
    const notes = within(screen.getByRole('table', { name: /^Report: / }))
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.lastElementChild?.textContent ?? '');
    expect(notes[0]).toContain('cut out for deny local rule 2 (index 1)');
    expect(notes[1]).toContain('cut out of the entries of local rule 1 (index 0)');
  });

  test('the command line uses the same words as the page (its English catalogue)', () => {
    const catalog = englishCatalog();
    for (const outcome of OUTCOME_ORDER) {
      expect(OUTCOME_WORDS[outcome].label).toBe(catalog[OUTCOME_TEXT[outcome].label]?.message);
      expect(OUTCOME_WORDS[outcome].explanation).toBe(catalog[OUTCOME_TEXT[outcome].help]?.message);
    }
    expect([...OUTCOME_ORDER].sort()).toEqual([...PolicyOutcomeSchema.options].sort());
  });
});
