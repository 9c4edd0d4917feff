// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { normalizeHostPattern } from '../../src/engine/host-pattern';
import { normalizePortPattern } from '../../src/engine/port-pattern';
import { RuleEditor } from '../../src/ui/options/rule-editor';
import { FakeMessageError } from './helpers/fake-sender';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

const deny = (host: string, port = '443') => ({ host, port, action: 'noCertificate' });
const allow = (host: string, port = '443') => ({ host, port, action: 'useEnrollmentCertificate' });

function setup(initialRules: unknown[] = [], denyOnly = false, onSave?: (rules: unknown[]) => Promise<void>) {
  const saved: unknown[][] = [];
  render(
    <RuleEditor
      id="ed"
      source="local"
      caption="Local rules"
      initialRules={initialRules}
      denyOnly={denyOnly}
      onSave={
        onSave ??
        (async (rules) => {
          saved.push(rules);
        })
      }
    />,
  );
  return { saved };
}

const rows = () => screen.queryAllByRole('group');
const row = (n: number) => {
  const found = rows()[n];
  if (!found) throw new Error(`no row ${n}`);
  return found;
};
const hostInput = (n: number) => within(row(n)).getByLabelText('Host pattern') as HTMLInputElement;
const portInput = (n: number) => within(row(n)).getByLabelText('Port') as HTMLInputElement;
const actionSelect = (n: number) => within(row(n)).getByLabelText('Action') as HTMLSelectElement;
const saveButton = () => screen.getByRole('button', { name: 'Save rules' }) as HTMLButtonElement;
const hosts = () => rows().map((_, n) => hostInput(n).value);

describe('rule editor', () => {
  test('add a rule: focus goes to its host, it validates as you type, and Save sends exactly the rules', async () => {
    const { saved } = setup([allow('intranet.acme.com')]);
    expect(saveButton().disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    expect(rows()).toHaveLength(2);
    expect(within(row(1)).getByText('Rule 2 (index 1)')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(hostInput(1)));
    // A new rule starts empty: the engine's message, Save disabled.
    expect(hostInput(1).getAttribute('aria-invalid')).toBe('true');
    expect(saveButton().disabled).toBe(true);
    fireEvent.input(hostInput(1), { target: { value: 'Evil.ACME.com.' } });
    expect(hostInput(1).getAttribute('aria-invalid')).toBe('false');
    expect(within(row(1)).getByText('Compared as “evil.acme.com”.')).toBeTruthy();
    fireEvent.input(portInput(1), { target: { value: '8443' } });
    expect(saveButton().disabled).toBe(false);
    fireEvent.click(saveButton());
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual([allow('intranet.acme.com'), { host: 'Evil.ACME.com.', port: '8443', action: 'noCertificate' }]);
    await waitFor(() => expect(saveButton().disabled).toBe(true));
    expect(screen.getByText('No unsaved changes.')).toBeTruthy();
  });

  test("an invalid host shows the engine's own message, and Save stays disabled", () => {
    setup([deny('a.example')]);
    fireEvent.input(hostInput(0), { target: { value: 'https://intranet.acme.com/login' } });
    const expected = normalizeHostPattern('https://intranet.acme.com/login');
    expect(expected.ok).toBe(false);
    if (expected.ok) return;
    const message = document.getElementById(hostInput(0).getAttribute('aria-describedby') ?? '');
    expect(message?.textContent).toBe(expected.message);
    expect(hostInput(0).getAttribute('aria-invalid')).toBe('true');
    expect(saveButton().disabled).toBe(true);
    expect(screen.getByText('Cannot save yet. Problems to fix: 1.')).toBeTruthy();
    fireEvent.input(portInput(0), { target: { value: '70000' } });
    const portMessage = normalizePortPattern('70000');
    if (portMessage.ok) throw new Error('70000 should be invalid');
    expect(document.getElementById(portInput(0).getAttribute('aria-describedby') ?? '')?.textContent).toBe(portMessage.message);
    expect(screen.getByText('Cannot save yet. Problems to fix: 2.')).toBeTruthy();
    fireEvent.input(hostInput(0), { target: { value: 'intranet.acme.com' } });
    fireEvent.input(portInput(0), { target: { value: '*443' } });
    expect(saveButton().disabled).toBe(false);
  });

  test('lint warnings show beside the rule they concern', async () => {
    setup([allow('*acme.com'), deny('b.example')]);
    // Warnings come just after the rows are shown (errors come with them).
    const warning = await within(row(0)).findByText(/also matches "evilacme.com"/);
    expect(warning).toBeTruthy();
    expect(within(row(1)).queryByText(/also matches/)).toBeNull();
    // Warnings never block saving.
    fireEvent.input(portInput(1), { target: { value: '444' } });
    expect(saveButton().disabled).toBe(false);
  });

  test('delete a rule, then undo it', async () => {
    const { saved } = setup([deny('a.example'), deny('b.example'), deny('c.example')]);
    fireEvent.click(within(row(1)).getByRole('button', { name: 'Delete' }));
    expect(hosts()).toEqual(['a.example', 'c.example']);
    expect(screen.getByRole('status').textContent).toBe('Rule 2 (index 1) deleted.');
    // Focus moves to the rule that took its place.
    await waitFor(() => expect(document.activeElement).toBe(within(row(1)).getByRole('button', { name: 'Delete' })));
    fireEvent.click(screen.getByRole('button', { name: 'Undo last change' }));
    expect(hosts()).toEqual(['a.example', 'b.example', 'c.example']);
    expect(screen.getByRole('status').textContent).toBe('Undone: deleting Rule 2 (index 1).');
    expect(saveButton().disabled).toBe(true);
    expect(saved).toHaveLength(0);
  });

  test('typing into one field is one change for undo', () => {
    setup([deny('a.example')]);
    for (const value of ['b', 'b.', 'b.example']) fireEvent.input(hostInput(0), { target: { value } });
    fireEvent.input(portInput(0), { target: { value: '8443' } });
    const undo = screen.getByRole('button', { name: 'Undo last change' });
    fireEvent.click(undo);
    expect(hostInput(0).value).toBe('b.example');
    expect(portInput(0).value).toBe('443');
    fireEvent.click(undo);
    expect(hostInput(0).value).toBe('a.example');
    expect((undo as HTMLButtonElement).disabled).toBe(true);
  });

  test('reorder with the buttons; focus stays on the moved rule', async () => {
    setup([deny('a.example'), deny('b.example'), deny('c.example')]);
    fireEvent.click(within(row(2)).getByRole('button', { name: 'Move up' }));
    expect(hosts()).toEqual(['a.example', 'c.example', 'b.example']);
    await waitFor(() => expect(document.activeElement).toBe(within(row(1)).getByRole('button', { name: 'Move up' })));
    fireEvent.click(within(row(1)).getByRole('button', { name: 'Move up' }));
    expect(hosts()).toEqual(['c.example', 'a.example', 'b.example']);
    // At the top "Move up" is disabled, so focus goes to its twin.
    expect((within(row(0)).getByRole('button', { name: 'Move up' }) as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(within(row(0)).getByRole('button', { name: 'Move down' })));
    fireEvent.click(within(row(0)).getByRole('button', { name: 'Move down' }));
    expect(hosts()).toEqual(['a.example', 'c.example', 'b.example']);
    expect(screen.getByRole('status').textContent).toBe('Rule 1 (index 0) is now Rule 2 (index 1).');
  });

  test('reorder with the keyboard: Alt+ArrowUp / Alt+ArrowDown from any field of the rule', async () => {
    const { saved } = setup([deny('a.example'), deny('b.example'), deny('c.example')]);
    fireEvent.keyDown(hostInput(0), { key: 'ArrowDown', altKey: true });
    expect(hosts()).toEqual(['b.example', 'a.example', 'c.example']);
    await waitFor(() => expect(document.activeElement).toBe(hostInput(1)));
    fireEvent.keyDown(portInput(2), { key: 'ArrowUp', altKey: true });
    expect(hosts()).toEqual(['b.example', 'c.example', 'a.example']);
    await waitFor(() => expect(document.activeElement).toBe(portInput(1)));
    // Without Alt nothing moves.
    fireEvent.keyDown(hostInput(0), { key: 'ArrowDown' });
    expect(hosts()).toEqual(['b.example', 'c.example', 'a.example']);
    fireEvent.click(saveButton());
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual([deny('b.example'), deny('c.example'), deny('a.example')]);
  });

  test('denyOnly: only noCertificate rules can be added or chosen; an existing allow rule blocks Save until changed', async () => {
    const { saved } = setup([allow('old.example')], true);
    expect(screen.queryByRole('button', { name: 'Add rule' })).toBeNull();
    expect(screen.getByText(/allows only noCertificate rules here; change the action/)).toBeTruthy();
    expect(saveButton().disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Add exclusion rule' }));
    const options = [...actionSelect(1).options].map((option) => option.value);
    expect(options).toEqual(['noCertificate']);
    expect(actionSelect(1).value).toBe('noCertificate');
    fireEvent.input(hostInput(1), { target: { value: 'bad.example' } });
    expect(saveButton().disabled).toBe(true);
    fireEvent.change(actionSelect(0), { target: { value: 'noCertificate' } });
    expect(saveButton().disabled).toBe(false);
    fireEvent.click(saveButton());
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual([deny('old.example'), deny('bad.example')]);
  });

  test('a refused save says why, lists the findings with rule numbers, and keeps the draft', async () => {
    setup([], false, async () => {
      throw new FakeMessageError('invalid-rules', 'the background refused the rules', [
        { index: 0, severity: 'error', code: 'invalid-host', message: 'rule 0: the host is odd' },
      ]);
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    fireEvent.input(hostInput(0), { target: { value: 'x.example' } });
    fireEvent.click(saveButton());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not saved: the background refused the rules');
    expect(alert.textContent).toContain('Rule 1 (index 0): the host is odd');
    expect(hostInput(0).value).toBe('x.example');
    expect(saveButton().disabled).toBe(false);
  });

  test('unknown keys on a rule survive editing; an unknown action is shown and blocks Save', async () => {
    const { saved } = setup([
      { host: 'a.example', port: 443, action: 'useEnrollmentCertificate', note: 'keep me' },
      { host: 'b.example', action: 'NoCertificate' },
    ]);
    expect(within(row(1)).getByText(/must be written exactly "noCertificate"/)).toBeTruthy();
    expect(saveButton().disabled).toBe(true);
    fireEvent.click(within(row(1)).getByRole('button', { name: 'Delete' }));
    fireEvent.click(saveButton());
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual([{ host: 'a.example', port: '443', action: 'useEnrollmentCertificate', note: 'keep me' }]);
  });

  test('the Action select offers short choices (a select cannot wrap) and names the action as rules files write it, under it', () => {
    setup([allow('a.example'), deny('b.example'), { host: 'c.example', action: 'NoCertificate' }]);
    const choices = [...actionSelect(0).options].map((option) => [option.value, option.text]);
    expect(choices).toEqual([
      ['useEnrollmentCertificate', 'Allow the certificate'],
      ['noCertificate', 'Never send the certificate'],
    ]);
    const note = (n: number) => document.getElementById(actionSelect(n).getAttribute('aria-describedby') ?? '')?.textContent;
    expect(note(0)).toBe('In the rules file: useEnrollmentCertificate');
    expect(note(1)).toBe('In the rules file: noCertificate');
    // An action the engine refuses: its message, not a name for it.
    expect(note(2)).toMatch(/must be written exactly "noCertificate"/);
    fireEvent.change(actionSelect(0), { target: { value: 'noCertificate' } });
    expect(note(0)).toBe('In the rules file: noCertificate');
  });
});
