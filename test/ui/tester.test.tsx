// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { buildRuleSet } from '../../src/engine/rule-set';
import { compileSource } from '../../src/engine/compile';
import { explain } from '../../src/engine/decide';
import { TesterSection } from '../../src/ui/options/tester-section';
import { fakeSender } from './helpers/fake-sender';
import { evaluation } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

beforeEach(useEnglish);
afterEach(cleanup);

// The fake background answers with the real engine, so the trace is what the engine explains.
const ruleSet = buildRuleSet([
  compileSource('managed', [{ host: '*.acme.com', port: '*', action: 'useEnrollmentCertificate' }]),
  compileSource(
    'profile',
    [
      { host: 'www.acme.com', port: '443', action: 'useEnrollmentCertificate' },
      { host: 'evil.acme.com', port: '*443', action: 'noCertificate' },
    ],
    { label: 'Corporate' },
  ),
  compileSource('local', [{ host: '*acme.com', port: '*', action: 'noCertificate' }]),
]);

function setup() {
  const fake = fakeSender({
    evaluateUrl: ({ url }) => ({ ...explain(ruleSet, url), lint: {}, sources: [{ name: 'profile', label: 'Corporate' }], unavailable: [] }),
  });
  render(<TesterSection sender={fake.sender} />);
  return fake;
}

async function test_url(url: string) {
  fireEvent.input(screen.getByLabelText('URL to test'), { target: { value: url } });
  fireEvent.click(screen.getByRole('button', { name: 'Test' }));
  return waitFor(() => {
    const trace = document.querySelector<HTMLElement>('.trace');
    if (!trace || !trace.textContent?.includes(url.trim())) throw new Error('no trace yet');
    return trace;
  });
}

test('a deny decision: every matching rule with source and number, the one that decided, and the normalised host and port', async () => {
  setup();
  const trace = await test_url('https://EVIL.acme.com.:8443/x');
  expect(trace.querySelector('[data-decision]')?.getAttribute('data-decision')).toBe('excluded');
  const compared = trace.querySelector('dl') as HTMLElement;
  expect(within(compared).getByText('evil.acme.com')).toBeTruthy();
  expect(within(compared).getByText('8443')).toBeTruthy();
  const rows = [...trace.querySelectorAll('tbody tr')];
  expect(rows.map((row) => [...row.querySelectorAll('td')].slice(0, 2).map((cell) => cell.textContent))).toEqual([
    ['Organisation policy', 'Rule 1 (index 0)'],
    ['Console profile “Corporate”', 'Rule 2 (index 1)'],
    ['Local rules', 'Rule 1 (index 0)'],
  ]);
  const deciders = rows.filter((row) => row.getAttribute('data-decider') === 'true');
  expect(deciders).toHaveLength(1);
  expect(deciders[0]?.textContent).toContain('evil.acme.com');
  expect(deciders[0]?.textContent).toContain('Decided');
  expect(rows[0]?.textContent).toContain('Matched, did not decide');
});

test('an allow decision, and a URL without TLS that compares nothing', async () => {
  const fake = setup();
  let trace = await test_url('https://www.acme.com/');
  expect(trace.querySelector('[data-decision]')?.getAttribute('data-decision')).toBe('excluded');
  // *acme.com (local deny) also covers www.acme.com: the trace shows why.
  expect(trace.querySelector('[data-decider="true"]')?.textContent).toContain('*acme.com');
  trace = await test_url('http://www.acme.com/');
  expect(trace.querySelector('[data-decision]')?.getAttribute('data-decision')).toBe('not-tls');
  expect(within(trace).getAllByText('not compared (no TLS)')).toHaveLength(2);
  expect(within(trace).getByText('No rule matched.')).toBeTruthy();
  expect(fake.callsOf('evaluateUrl').map((call) => call.url)).toEqual(['https://www.acme.com/', 'http://www.acme.com/']);
});

test('rules unavailable: the trace names the source that is not known and why', async () => {
  const unavailable = [{ source: 'local' as const, label: 'local rules', code: 'rejected' as const, message: 'rule 0: unknown action "block"', errors: [] }];
  const fake = fakeSender({ evaluateUrl: ({ url }) => ({ ...explain(null, url), lint: {}, sources: [], unavailable }) });
  render(<TesterSection sender={fake.sender} />);
  const trace = await test_url('https://a.corp/');
  expect(trace.querySelector('[data-decision]')?.getAttribute('data-decision')).toBe('unavailable');
  expect(trace.querySelector('.unavailable li')?.textContent).toBe(
    'Local rules — rejected, and no earlier version was accepted: rule 1 (index 0): unknown action "block"',
  );
});

test('lint about a matched rule is shown in its row', async () => {
  const fake = fakeSender({
    evaluateUrl: () =>
      evaluation({
        reason: 'allow-rule',
        decision: 'useEnrollmentCertificate',
        rule: { source: 'local', index: 4, host: '*acme.com', port: '443', action: 'useEnrollmentCertificate' },
        matched: [{ source: 'local', index: 4, host: '*acme.com', port: '443', action: 'useEnrollmentCertificate' }],
        lint: { 'local:4': [{ index: 4, severity: 'warning', code: 'wildcard-suffix', message: 'rule 4: "*acme.com" also matches "evilacme.com"' }] },
      }),
  });
  render(<TesterSection sender={fake.sender} />);
  const trace = await test_url('https://www.acme.com/');
  expect(trace.querySelector('[data-decider="true"]')?.textContent).toContain('Warning: "*acme.com" also matches "evilacme.com"');
  expect(trace.querySelector('[data-decider="true"]')?.textContent).toContain('Rule 5 (index 4)');
});
