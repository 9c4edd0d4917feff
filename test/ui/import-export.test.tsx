// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RuleSources } from '../../src/shared/status';
import { ImportExportSection } from '../../src/ui/options/import-export-section';
import { checkImport } from '../../src/ui/options/import-check';
import { fakeSender } from './helpers/fake-sender';
import { FIXTURE_REVISION, ruleSources, source } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

const existing = [{ host: 'old.example', port: '443', action: 'noCertificate' }];

function setup(sources: RuleSources = ruleSources({}, existing)) {
  const downloads: { filename: string; mimeType: string; text: string }[] = [];
  const imported: RuleSources[] = [];
  const fake = fakeSender({
    setLocalRules: ({ rules }) => ({ ...sources, sources: sources.sources.map((s) => (s.name === 'local' ? { ...s, rules } : s)) }),
  });
  render(
    <ImportExportSection
      sources={sources}
      sender={fake.sender}
      download={(filename, mimeType, text) => downloads.push({ filename, mimeType, text })}
      onImported={(next) => imported.push(next)}
    />,
  );
  return { ...fake, downloads, imported };
}

function paste(text: string) {
  fireEvent.input(screen.getByLabelText('Or paste JSON'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: 'Check' }));
}

describe('import', () => {
  test('one invalid deny rule: nothing is saved, and every problem is listed with its rule number', async () => {
    const { calls } = setup();
    paste(
      JSON.stringify({
        clientCertsUrlMatchingRules: [
          { host: 'good.example', port: '443', action: 'useEnrollmentCertificate' },
          { host: 'https://bad.example/', port: '443', action: 'noCertificate' },
          { host: 'also-bad.example', port: '99999', action: 'useEnrollmentCertificate' },
        ],
      }),
    );
    const result = document.querySelector('[data-import]') as HTMLElement;
    expect(result.getAttribute('data-import')).toBe('blocked');
    expect(result.textContent).toContain('Rules read: 3.');
    expect(result.textContent).toContain('Nothing was saved. Problems to fix: 2.');
    const problems = [...result.querySelectorAll('.finding')].map((item) => item.textContent);
    expect(problems[0]).toContain('Rule 2 (index 1): the host must not contain a scheme ("https://")');
    expect(problems[1]).toContain('Rule 3 (index 2): the port 99999 is out of range');
    expect(within(result).queryByRole('button')).toBeNull();
    expect(calls.filter((call) => call.type === 'setLocalRules')).toHaveLength(0);
  });

  test('a valid file in the console profile form: warnings shown, saved only after confirmation', async () => {
    const { callsOf, imported } = setup();
    const rules = [
      { host: '*acme.com', port: '443', action: 'noCertificate' },
      { host: 'intranet.acme.com', port: '8443', action: 'useEnrollmentCertificate' },
    ];
    paste(
      JSON.stringify({
        status: 'OK',
        message: '',
        profiles: { profile_id: 'p1', profile_name: 'X', data: { profile_data: JSON.stringify({ clientCertsUrlMatchingRules: rules }) } },
      }),
    );
    const result = document.querySelector('[data-import]') as HTMLElement;
    expect(result.getAttribute('data-import')).toBe('ready');
    expect(result.textContent).toContain('Every rule is valid.');
    expect(result.textContent).toContain('Rule 1 (index 0): "*acme.com" also matches');
    fireEvent.click(screen.getByRole('button', { name: 'Replace local rules with these 2 rules' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('The 2 imported rules replace the 1 local rules now saved.');
    expect(callsOf('setLocalRules')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Replace local rules' }));
    await waitFor(() => expect(callsOf('setLocalRules')).toHaveLength(1));
    expect(callsOf('setLocalRules')[0]?.rules).toEqual(rules);
    await waitFor(() => expect(imported).toHaveLength(1));
    expect(screen.getByRole('status').textContent).toBe('Imported. Local rules: 2.');
  });

  test('the confirmation is a modal dialog: Cancel has the focus, Escape cancels, focus goes back, nothing is saved', async () => {
    const { callsOf } = setup();
    paste('[{"host": "a.example", "action": "noCertificate"}]');
    const opener = screen.getByRole('button', { name: 'Replace local rules with these 1 rules' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByRole('alertdialog', { name: 'Replace the local rules?' });
    expect(dialog.tagName).toBe('DIALOG');
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    // Escape is the browser's: it sends "cancel" to the open modal dialog.
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(document.activeElement).toBe(opener);
    expect(callsOf('setLocalRules')).toHaveLength(0);

    fireEvent.click(opener);
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(document.activeElement).toBe(opener);
    expect(callsOf('setLocalRules')).toHaveLength(0);
  });

  test('not JSON, or not rules: says where and why', () => {
    setup();
    paste('{"clientCertsUrlMatchingRules": 5}');
    expect(document.querySelector('[data-import="unreadable"]')?.textContent).toContain(
      'at $.clientCertsUrlMatchingRules: expected an array of rules, found a number',
    );
    paste('[{"host": ');
    expect(document.querySelector('[data-import="unreadable"]')?.textContent).toContain('not valid JSON');
  });

  test('under denyOnly an allow rule blocks the import', () => {
    const result = checkImport('[{"host":"a.example","action":"noCertificate"},{"host":"b.example","action":"useEnrollmentCertificate"}]', 'denyOnly');
    expect(result.kind === 'rules' && result.errors.map((error) => error.index)).toEqual([1]);
    expect(checkImport('[{"host":"b.example","action":"useEnrollmentCertificate"}]', 'all')).toMatchObject({ kind: 'rules', errors: [] });
  });

  test('a file chosen from disk is checked at once', async () => {
    setup();
    const file = new File(['[{"host": "x..example", "action": "noCertificate"}]'], 'rules.json', { type: 'application/json' });
    fireEvent.change(screen.getByLabelText('Choose a JSON file'), { target: { files: [file] } });
    await waitFor(() =>
      expect(document.querySelector('[data-import="blocked"]')?.textContent).toContain('Rule 1 (index 0): the host "x..example" has an empty label'),
    );
  });

  test('no import when policy allows no local rules', () => {
    setup(ruleSources({ localRules: 'none' }, existing));
    expect(screen.queryByLabelText('Or paste JSON')).toBeNull();
    expect(screen.getByText(/does not allow local rules/)).toBeTruthy();
  });
});

describe('export', () => {
  test('downloads the local rules in a form every importer here reads back', () => {
    const { downloads } = setup(ruleSources({}, [...existing, { host: 'b.example', port: 8443, action: 'useEnrollmentCertificate', extra: 1 }]));
    fireEvent.click(screen.getByRole('button', { name: 'Download local rules' }));
    expect(downloads).toHaveLength(1);
    expect(downloads[0]?.filename).toBe('client-certificate-rules-local.json');
    const back = checkImport(downloads[0]?.text ?? '', 'all');
    expect(back).toMatchObject({ kind: 'rules', errors: [] });
    expect(back.kind === 'rules' && back.rules).toEqual([...existing, { host: 'b.example', port: 8443, action: 'useEnrollmentCertificate', extra: 1 }]);
  });

  test('with no local source there is nothing to export but the button still works', () => {
    const { downloads } = setup({ revision: FIXTURE_REVISION, sources: [source('managed', [])], localRules: 'all', rulesAvailable: true, unavailable: [] });
    fireEvent.click(screen.getByRole('button', { name: 'Download local rules' }));
    expect(JSON.parse(downloads[0]?.text ?? '')).toEqual({ clientCertsUrlMatchingRules: [] });
  });
});
