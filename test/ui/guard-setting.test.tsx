// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SettingsView } from '../../src/shared/status';
import { Options } from '../../src/ui/options/options-app';
import { fakeSender, refuse } from './helpers/fake-sender';
import { guardStatus, NOW, settingsView, syncStatus } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

function setup(origin: 'default' | 'local' | 'policy', mode: 'off' | 'warn' | 'block', save?: () => unknown) {
  let settings: SettingsView = settingsView();
  settings = { ...settings, values: { ...settings.values, guard: mode }, origins: { ...settings.origins, guard: origin } };
  let current = mode;
  const fake = fakeSender({
    getRuleSources: () => {
      throw new Error('not needed');
    },
    getStatus: () => ({ sync: syncStatus(), settings, guard: guardStatus({ mode: current }) }),
    consoleAccount: () => ({ email: null, admin: false }),
    setLocalSettings: ({ settings: next }) => {
      const answer = save?.();
      if (answer) return answer as never;
      const guard = (next['guard'] as 'warn' | 'block' | null) ?? 'off';
      current = guard;
      settings = { ...settings, values: { ...settings.values, guard }, origins: { ...settings.origins, guard: next['guard'] === null ? 'default' : 'local' } };
      return settings;
    },
  });
  render(
    <Options
      sender={fake.sender}
      initialSection="policy"
      now={() => NOW}
      networkPrediction={async () => ({ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null })}
    />,
  );
  return fake;
}

const select = () => screen.findByLabelText('Guard in this browser') as Promise<HTMLSelectElement>;

describe('the guard setting in the options page', () => {
  test('without a policy for it: choose warn, save, and the page shows the guard warning', async () => {
    const { callsOf } = setup('default', 'off');
    const field = await select();
    expect(field.disabled).toBe(false);
    expect(field.value).toBe('off');
    const save = screen.getByRole('button', { name: 'Save guard setting' });
    expect(save.hasAttribute('disabled')).toBe(true);
    fireEvent.change(field, { target: { value: 'warn' } });
    await waitFor(() => expect(save.hasAttribute('disabled')).toBe(false));
    fireEvent.click(save);
    await waitFor(() => expect(callsOf('setLocalSettings')).toEqual([{ type: 'setLocalSettings', settings: { guard: 'warn' } }]));
    expect(await screen.findByText('Saved: Warn: stop, let me continue.')).toBeTruthy();
    await waitFor(() => expect(document.querySelector('[data-guard]')?.getAttribute('data-guard')).toBe('warn'));
  });

  test('off clears the local value: the default applies again', async () => {
    const { callsOf } = setup('local', 'block');
    fireEvent.change(await select(), { target: { value: 'off' } });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Save guard setting' }).hasAttribute('disabled')).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Save guard setting' }));
    await waitFor(() => expect(callsOf('setLocalSettings')).toEqual([{ type: 'setLocalSettings', settings: { guard: null } }]));
  });

  test('set by policy: shown, locked with the reason, nothing to save', async () => {
    const { callsOf } = setup('policy', 'block');
    const field = await select();
    expect(field.value).toBe('block');
    expect(field.disabled).toBe(true);
    expect(screen.getByText("Set by your organisation's policy; it cannot be changed here.")).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save guard setting' })).toBeNull();
    expect(callsOf('setLocalSettings')).toEqual([]);
  });

  test('a refused save says why', async () => {
    setup('default', 'off', () => refuse('managed', "set by your organisation's policy, so it cannot be changed here: guard"));
    fireEvent.change(await select(), { target: { value: 'block' } });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Save guard setting' }).hasAttribute('disabled')).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Save guard setting' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      "The guard setting was not saved: set by your organisation's policy, so it cannot be changed here: guard",
    );
  });
});
