// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildRuleSet } from '../../src/engine/rule-set';
import { compileSource } from '../../src/engine/compile';
import { explain } from '../../src/engine/decide';
import { addressToTest } from '../../src/ui/common/test-address';
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
  // Not "no rule matched": no rule was compared, and the trace says why.
  expect(within(trace).getByText('No rule applies: client certificates are sent only over TLS (https: or wss:).')).toBeTruthy();
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

describe('what the tester accepts', () => {
  test.each([
    ['www.acme.com', 'https://www.acme.com', true],
    ['  www.acme.com  ', 'https://www.acme.com', true],
    ['www.acme.com:8443', 'https://www.acme.com:8443', true],
    ['localhost:8443/path?x=1', 'https://localhost:8443/path?x=1', true],
    ['[2001:db8::1]:8443', 'https://[2001:db8::1]:8443', true],
    ['https://www.acme.com/x', 'https://www.acme.com/x', false],
    ['HTTP://plain.acme.com/', 'HTTP://plain.acme.com/', false],
    ['wss://chat.acme.com/', 'wss://chat.acme.com/', false],
    ['mailto:ada@acme.com', 'mailto:ada@acme.com', false],
    ['file:///etc/hosts', 'file:///etc/hosts', false],
  ])('%s is tested as %s', (typed, url, assumed) => expect(addressToTest(typed)).toEqual({ url, assumed }));

  test('nothing typed, nothing asked', () => {
    expect(addressToTest('   ')).toBeNull();
  });
});

describe('the trace gives the real reason', () => {
  test('a bare host is tested as https, and says so', async () => {
    setup();
    const trace = await test_url('www.acme.com');
    expect(trace.querySelector('[data-decision]')?.getAttribute('data-decision')).toBe('excluded');
    expect(trace.textContent).toContain('https://www.acme.com');
    expect(trace.textContent).toContain('(no scheme was typed: tested as https)');
    expect(within(trace.querySelector('dl') as HTMLElement).getByText('443')).toBeTruthy();
  });

  test('host:port keeps its port', async () => {
    setup();
    const trace = await test_url('evil.acme.com:8443');
    expect(within(trace.querySelector('dl') as HTMLElement).getByText('8443')).toBeTruthy();
    expect(trace.querySelector('[data-decider="true"]')?.textContent).toContain('evil.acme.com');
  });

  test('an address that cannot be read is not called "no TLS", nor "no rule matched"', async () => {
    setup();
    const trace = await test_url('exa mple.com');
    expect(trace.querySelector('[data-decision]')?.getAttribute('data-decision')).toBe('invalid');
    expect(trace.textContent).toContain('not compared (not a valid address)');
    expect(trace.textContent).not.toContain('no TLS');
    expect(trace.textContent).not.toContain('No rule matched.');
    expect(trace.textContent).toContain('No rule was compared: the address could not be read.');
  });

  test('plain http: not compared because there is no TLS, no rule applies', async () => {
    setup();
    const trace = await test_url('http://www.acme.com/');
    expect(trace.textContent).toContain('not compared (no TLS)');
    expect(trace.textContent).toContain('No rule applies: client certificates are sent only over TLS');
    expect(trace.textContent).not.toContain('(no scheme was typed');
  });

  test('with no usable rules it does not claim that no rule matched', async () => {
    const fake = fakeSender({
      evaluateUrl: ({ url }) => ({
        ...explain(null, url),
        lint: {},
        sources: [],
        unavailable: [{ source: 'profile', code: 'not-synced', message: 'connection refused' }],
      }),
    });
    render(<TesterSection sender={fake.sender} />);
    const trace = await test_url('www.acme.com');
    expect(trace.querySelector('[data-decision]')?.getAttribute('data-decision')).toBe('unavailable');
    expect(trace.textContent).not.toContain('No rule matched.');
    expect(trace.textContent).toContain('No rule was compared: the rules are not usable right now');
  });
});
