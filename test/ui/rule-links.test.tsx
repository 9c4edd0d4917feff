// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildRuleSet } from '../../src/engine/rule-set';
import { compileSource } from '../../src/engine/compile';
import { explain } from '../../src/engine/decide';
import { Options } from '../../src/ui/options/options-app';
import { Popup } from '../../src/ui/popup/popup';
import { fakeSender } from './helpers/fake-sender';
import { evaluation, guardStatus, NOW, popupState, ruleSources, settingsView, source, syncStatus, verdicts } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

/** "Rule 17" in the popup and the tester goes straight to that rule's row in the options page. */
describe('the popup links each rule it names to its row in the options page', () => {
  test('the deciding rule, the rules of other connections and of a tested URL: a link each, opened in a tab of its own', async () => {
    const opened: string[] = [];
    const state = popupState(verdicts.allowed);
    state.tab!.endpoints = [{ host: 'evil.acme.com', port: '443', verdict: verdicts.excluded, requests: 1, lastSeen: NOW }];
    const fake = fakeSender({
      getPopupState: () => state,
      evaluateUrl: () =>
        evaluation({
          decision: 'noCertificate',
          reason: 'deny-rule',
          rule: { source: 'managed', index: 16, host: 'x.acme.com', port: '443', action: 'noCertificate' },
        }),
    });
    render(<Popup sender={fake.sender} tabId={7} now={() => NOW} openPage={(url) => opened.push(url)} />);
    const summary = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('.current .rule-summary');
      if (!found) throw new Error('no rule yet');
      return found;
    });
    const link = within(summary).getByRole('link', { name: 'Rule 3 (index 2)' });
    expect(link.getAttribute('href')).toBe('../options/index.html#rule=profile:2');
    fireEvent.click(link);
    expect(opened).toEqual([new URL('../options/index.html#rule=profile:2', location.href).href]);
    const other = screen.getByRole('link', { name: 'Local rules, rule 1 (index 0): evil.acme.com port *' });
    expect(other.getAttribute('href')).toBe('../options/index.html#rule=local:0');
    fireEvent.input(screen.getByLabelText('URL to test'), { target: { value: 'https://x.acme.com/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    const tested = await screen.findByRole('link', { name: /Organisation policy, rule 17 \(index 16\)/ });
    expect(tested.getAttribute('href')).toBe('../options/index.html#rule=managed:16');
  });

  test('without a way to open tabs (a plain page), the link is an ordinary link to a new tab', async () => {
    render(<Popup sender={fakeSender({ getPopupState: () => popupState(verdicts.excluded) }).sender} tabId={7} now={() => NOW} />);
    const link = await screen.findByRole('link', { name: 'Rule 1 (index 0)' });
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener');
    expect(link.getAttribute('href')).toBe('../options/index.html#rule=local:0');
  });
});

describe("the tester's trace links each matched rule to its row", () => {
  const ruleSet = buildRuleSet([
    compileSource('managed', [{ host: '*.acme.com', port: '*', action: 'useEnrollmentCertificate' }]),
    compileSource('local', [{ host: 'public.acme.com', port: '*', action: 'noCertificate' }]),
  ]);

  test('following one opens the rules section at that row, and writes the address', async () => {
    const navigated: string[] = [];
    const fake = fakeSender({
      getRuleSources: () =>
        ruleSources({
          sources: [
            source('managed', [{ host: '*.acme.com', port: '*', action: 'useEnrollmentCertificate' }]),
            source('local', [{ host: 'public.acme.com', port: '*', action: 'noCertificate' }]),
          ],
        }),
      getStatus: () => ({ sync: syncStatus(), settings: settingsView(), guard: guardStatus() }),
      consoleAccount: () => ({ email: 'user@example.com', admin: false }),
      evaluateUrl: ({ url }) => ({ ...explain(ruleSet, url), lint: {}, sources: [{ name: 'local', label: null }], unavailable: [] }),
    });
    render(
      <Options
        sender={fake.sender}
        initialSection="tester"
        now={() => NOW}
        download={() => undefined}
        networkPrediction={async () => ({ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null })}
        onNavigate={(hash) => navigated.push(hash)}
      />,
    );
    fireEvent.input(screen.getByLabelText('URL to test'), { target: { value: 'https://public.acme.com/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    const trace = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('.trace-table');
      if (!found) throw new Error('no trace yet');
      return found;
    });
    const links = within(trace).getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['#rule=managed:0', '#rule=local:0']);
    fireEvent.click(links[1] as HTMLElement);
    await waitFor(() => expect(document.querySelector('main')?.dataset['section']).toBe('rules'));
    expect(navigated).toEqual(['rule=local:0']);
    const row = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('[data-source="local"] li.rule-target');
      if (!found) throw new Error('no highlighted row yet');
      return found;
    });
    expect(row.querySelector('legend')?.textContent).toBe('Rule 1 (index 0)');
    await waitFor(() => expect(document.activeElement).toBe(row.querySelector('input')));
  });
});
