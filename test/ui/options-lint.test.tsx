// @vitest-environment jsdom
import { cleanup, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Finding } from '../../src/engine/model';
import type { RuleLint } from '../../src/shared/status';
import type { RuleRef } from '../../src/ui/common/rule-link';
import { Options } from '../../src/ui/options/options-app';
import { fakeSender, refuse, type Handlers } from './helpers/fake-sender';
import { FIXTURE_REVISION, guardStatus, NOW, ruleSources, settingsView, syncStatus } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

/**
 * The rules section shows the rules first and their lint when it comes: the
 * lint is asked for only after the rules' answer, and shown only when it is
 * about the rules shown (the same revision).
 */
const PROFILE_FINDING: Finding = { index: 0, severity: 'warning', code: 'wildcard-suffix', message: 'rule 0: the profile finding' };
const LOCAL_FINDING: Finding = { index: 1, severity: 'warning', code: 'unreachable', message: 'rule 1: the local finding' };
const LOCAL_RULES = [
  { host: 'a.example', port: '443', action: 'noCertificate' },
  { host: 'b.example', port: '443', action: 'noCertificate' },
];

function lintAnswer(revision = FIXTURE_REVISION): RuleLint {
  return {
    revision,
    sources: [
      { name: 'managed', lint: [] },
      { name: 'profile', lint: [PROFILE_FINDING] },
      { name: 'local', lint: [LOCAL_FINDING] },
    ],
  };
}

/** A getRuleLint handler that answers when the test says so. */
function heldLint() {
  let answer: (value: RuleLint | ReturnType<typeof refuse>) => void = () => undefined;
  const held = new Promise<RuleLint | ReturnType<typeof refuse>>((resolve) => (answer = resolve));
  return { handler: () => held, answer: (value: RuleLint | ReturnType<typeof refuse>) => answer(value) };
}

function setup(handlers: Handlers, initialRule: RuleRef | null = null) {
  const fake = fakeSender({
    getRuleSources: () => ruleSources({}, LOCAL_RULES),
    getStatus: () => ({ sync: syncStatus(), settings: settingsView(), guard: guardStatus() }),
    consoleAccount: () => ({ email: 'user@example.com', admin: false }),
    ...handlers,
  });
  render(
    <Options
      sender={fake.sender}
      initialSection="rules"
      initialRule={initialRule}
      now={() => NOW}
      download={() => undefined}
      networkPrediction={async () => ({ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null })}
    />,
  );
  return fake;
}

const block = (name: string) =>
  waitFor(() => {
    const element = document.querySelector<HTMLElement>(`[data-source="${name}"]`);
    if (!element?.querySelector('table, .rule-rows')) throw new Error(`no ${name} rules yet`);
    return element;
  });
const warningsIn = (element: HTMLElement) => [...element.querySelectorAll('.finding-warning')].map((item) => item.textContent);

describe('the rules section and its lint', () => {
  test('the rules are shown before their lint is asked for; the lint shows when it comes', async () => {
    const lint = heldLint();
    const fake = setup({ getRuleLint: lint.handler });
    const profile = await block('profile');
    const local = await block('local');
    // The rules alone first: every other request waits until they are painted.
    expect(fake.calls[0]?.type).toBe('getRuleSources');
    expect(warningsIn(profile)).toEqual([]);
    expect(warningsIn(local)).toEqual([]);
    await waitFor(() => expect(fake.callsOf('getRuleLint')).toHaveLength(1));
    expect(fake.calls.findIndex((call) => call.type === 'getRuleLint')).toBeGreaterThan(0);
    lint.answer(lintAnswer());
    await waitFor(() => expect(warningsIn(profile)).toEqual(['Warning: the profile finding']));
    await waitFor(() => expect(warningsIn(local)).toEqual(['Warning: the local finding']));
    expect(fake.callsOf('getRuleSources')).toHaveLength(1);
  });

  test('lint about another revision of the rules is not shown against these', async () => {
    setup({ getRuleLint: () => lintAnswer('another-revision') });
    const profile = await block('profile');
    const local = await block('local');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(warningsIn(profile)).toEqual([]);
    expect(warningsIn(local)).toEqual([]);
    expect(document.body.textContent).not.toContain('the profile finding');
  });

  test('when the lint cannot be loaded the section says so; the rules stay, and the editor checks its rows itself', async () => {
    const fake = setup({
      getRuleSources: () => ruleSources({}, [...LOCAL_RULES, LOCAL_RULES[0]]),
      getRuleLint: () => refuse('internal', 'the background stopped'),
    });
    await waitFor(() => expect(document.body.textContent).toContain("The rules' warnings could not be loaded, so none are shown: the background stopped"));
    const local = await block('local');
    // The duplicate of rule 1 at index 2: found by the editor's own lint.
    await waitFor(() => expect(warningsIn(local).join(' ')).toContain('duplicates rule 1 (index 0)'));
    expect(fake.callsOf('getRuleSources')).toHaveLength(1);
  });

  test('a row a link asks for gets the focus once the lint is in (its notes change the rows it is among)', async () => {
    const lint = heldLint();
    setup({ getRuleLint: lint.handler }, { source: 'local', index: 1 });
    const local = await block('local');
    const row = () => local.querySelector<HTMLElement>('li[data-position="1"]');
    await waitFor(() => expect(row()).not.toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(local.contains(document.activeElement) && row()?.contains(document.activeElement)).toBe(false);
    lint.answer(lintAnswer());
    await waitFor(() => expect(row()?.contains(document.activeElement)).toBe(true));
  });
});
