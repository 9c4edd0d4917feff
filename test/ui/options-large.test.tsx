// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { generateBenchData } from '../../scripts/bench/rule-data';
import { compileSource, lintRules } from '../../src/engine/index';
import type { RuleRef } from '../../src/ui/common/rule-link';
import type { RuleLint, RuleSources } from '../../src/shared/status';
import { Options } from '../../src/ui/options/options-app';
import { EDITOR_PAGE_SIZE, TABLE_PAGE_SIZE } from '../../src/ui/options/pager';
import type { SectionId } from '../../src/ui/options/sections';
import { installWorker, ScriptedExportWorker } from './helpers/fake-export-worker';
import { fakeSender, type Handlers } from './helpers/fake-sender';
import { FIXTURE_REVISION, guardStatus, NOW, settingsView, source, syncStatus } from './helpers/fixtures';
import { useEnglish } from './helpers/i18n';

/**
 * The options page with real-size rule sets: 5,000 rules in the console
 * profile (a read-only table) and 5,000 local rules (the editor), seeded and
 * shaped like the ones organisations push (scripts/bench/rule-data.ts).
 */
const COUNT = 5000;
const profileRules = generateBenchData(COUNT, 1, 11).rules as unknown as Record<string, unknown>[];
const localRules = generateBenchData(COUNT, 1, 12).rules as unknown as Record<string, unknown>[];
let sources: RuleSources;
let lint: RuleLint;

beforeAll(() => {
  sources = {
    revision: FIXTURE_REVISION,
    sources: [
      source('managed', [{ host: 'secure.acme.com', port: '443', action: 'useEnrollmentCertificate' }]),
      source('profile', profileRules),
      source('local', localRules),
    ],
    localRules: 'all',
    rulesAvailable: true,
    unavailable: [],
  };
  lint = {
    revision: FIXTURE_REVISION,
    sources: [
      { name: 'managed', lint: [] },
      { name: 'profile', lint: lintRules(profileRules) },
      { name: 'local', lint: lintRules(localRules) },
    ],
  };
});

beforeEach(useEnglish);
afterEach(cleanup);

function setup(section: SectionId, options: { handlers?: Handlers; initialRule?: RuleRef | null } = {}) {
  const navigated: string[] = [];
  const fake = fakeSender({
    getRuleSources: () => sources,
    getRuleLint: () => lint,
    getStatus: () => ({ sync: syncStatus(), settings: settingsView(), guard: guardStatus() }),
    consoleAccount: () => ({ email: 'user@example.com', admin: false }),
    ...options.handlers,
  });
  render(
    <Options
      sender={fake.sender}
      initialSection={section}
      initialRule={options.initialRule ?? null}
      now={() => NOW}
      download={() => undefined}
      networkPrediction={async () => ({ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null })}
      onNavigate={(hash) => navigated.push(hash)}
    />,
  );
  return { ...fake, navigated };
}

const block = (name: string) =>
  waitFor(
    () => {
      const element = document.querySelector<HTMLElement>(`[data-source="${name}"]`);
      if (!element?.querySelector('table, .rule-rows')) throw new Error(`no ${name} rules yet`);
      return element;
    },
    { timeout: 10_000 },
  );
const tableIndexes = (element: HTMLElement) => [...element.querySelectorAll<HTMLElement>('tbody tr')].map((row) => Number(row.dataset['index']));
const editorPositions = (element: HTMLElement) => [...element.querySelectorAll<HTMLElement>('li.rule-row')].map((row) => Number(row.dataset['position']));
// Found by id and data attributes, not by role or label: testing-library's accessible-name queries take seconds on pages this size in jsdom.
const filterBox = (id = 'rules-filter') => document.getElementById(id) as HTMLInputElement;
const typeFilter = (text: string, id?: string) => fireEvent.input(filterBox(id), { target: { value: text } });
const pagerOf = (element: HTMLElement) => element.querySelector<HTMLElement>('nav.pager') as HTMLElement;
const pagerButton = (element: HTMLElement, control: string) =>
  pagerOf(element).querySelector<HTMLButtonElement>(`[data-pager="${control}"]`) as HTMLButtonElement;
const lower = (value: unknown) => String(value ?? '').toLowerCase();
const range = (from: number, length: number) => Array.from({ length }, (_, i) => from + i);
const TABLE_PAGES = COUNT / TABLE_PAGE_SIZE;

describe('the rules section with 5,000 profile and 5,000 local rules', () => {
  test('renders one page of each: the DOM holds a few hundred rows, not ten thousand', async () => {
    setup('rules');
    const profile = await block('profile');
    const local = await block('local');
    expect(tableIndexes(profile)).toEqual(range(0, TABLE_PAGE_SIZE));
    expect(editorPositions(local)).toEqual(range(0, EDITOR_PAGE_SIZE));
    expect(document.querySelectorAll('tr, li.rule-row').length).toBeLessThan(300);
    // A real table with its header (its notes once the lint, asked for after the rules, is in), and page buttons named after the list they page.
    await waitFor(() =>
      expect([...profile.querySelectorAll('thead th[scope="col"]')].map((cell) => cell.textContent)).toEqual([
        'Rule',
        'Host pattern',
        'Port',
        'Action',
        'Notes',
      ]),
    );
    expect(profile.querySelector('caption')?.textContent).toBe('Console profile “Corporate”');
    const pager = pagerOf(profile);
    expect(pager.tagName).toBe('NAV');
    expect(pager.getAttribute('aria-label')).toBe('Pages of Console profile “Corporate”');
    expect(pager.textContent).toContain(`Page 1 of ${TABLE_PAGES} (1–${TABLE_PAGE_SIZE} of 5000)`);
    expect(pagerButton(profile, 'previous').disabled).toBe(true);
    pagerButton(profile, 'last').focus();
    fireEvent.click(pagerButton(profile, 'last'));
    expect(tableIndexes(profile)).toEqual(range(COUNT - TABLE_PAGE_SIZE, TABLE_PAGE_SIZE));
    // The last page's own button is disabled now: the focus went to the one that leads back.
    await waitFor(() => expect(document.activeElement).toBe(pagerButton(profile, 'previous')));
    expect(pagerOf(local).getAttribute('aria-label')).toBe('Pages of Local rules');
    fireEvent.click(pagerButton(local, 'next'));
    expect(editorPositions(local)).toEqual(range(EDITOR_PAGE_SIZE, EDITOR_PAGE_SIZE));
    expect(local.querySelector('li.rule-row legend')?.textContent).toBe(`Rule ${EDITOR_PAGE_SIZE + 1} (index ${EDITOR_PAGE_SIZE})`);
    expect(local.querySelector<HTMLLIElement>('li.rule-row')?.value).toBe(EDITOR_PAGE_SIZE + 1);
  });

  test('the filter finds rules by host text, port, action, source and lint finding, in every source at once', async () => {
    setup('rules');
    const profile = await block('profile');
    const local = await block('local');
    const expectFound = (query: string, matches: (rule: Record<string, unknown>, index: number, name: 'profile' | 'local') => boolean) => {
      typeFilter(query);
      const want = (rules: Record<string, unknown>[], name: 'profile' | 'local') => rules.flatMap((rule, index) => (matches(rule, index, name) ? [index] : []));
      const wantProfile = want(profileRules, 'profile');
      const wantLocal = want(localRules, 'local');
      expect(wantProfile.length + wantLocal.length, `${query} finds something`).toBeGreaterThan(0);
      expect(tableIndexes(profile), query).toEqual(wantProfile.slice(0, TABLE_PAGE_SIZE));
      expect(editorPositions(local), query).toEqual(wantLocal.slice(0, EDITOR_PAGE_SIZE));
      expect(profile.querySelector('.filter-count')?.textContent, query).toBe(`${wantProfile.length} of 5000 rules match the filter.`);
      return { profile: wantProfile, local: wantLocal };
    };
    // Host text, as a bare word and as host: (which also finds the patterns that match a host).
    expectFound('acme1', (rule) => lower(rule['host']).includes('acme1') || lower(rule['port']).includes('acme1'));
    const wildcard = profileRules.find((rule) => lower(rule['host']).startsWith('*.')) as Record<string, unknown>;
    const under = `deep.${lower(wildcard['host']).slice(2)}`;
    const found = expectFound(`host:${under}`, (rule) => {
      const host = lower(rule['host']);
      return host.includes(under) || new RegExp(`^${host.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(under);
    });
    expect(found.profile).toContain(profileRules.indexOf(wildcard));
    // Port: a number finds the patterns that apply to it.
    expectFound(
      'port:8443',
      (rule) =>
        ['8443', '*'].includes(String(rule['port'] ?? '')) ||
        (/^\*|\*$/.test(String(rule['port'] ?? '')) && new RegExp(`^${String(rule['port']).replace(/\*/g, '.*')}$`).test('8443')),
    );
    // Action, in the words a person uses.
    expectFound('action:deny', (rule) => rule['action'] === 'noCertificate');
    // Source: only the local rules.
    const local0 = expectFound('source:local', (_rule, _index, name) => name === 'local');
    expect(local0.profile).toEqual([]);
    expect(profile.textContent).toContain('No rule here matches the filter.');
    // Lint: any finding, and one kind of finding.
    const withFinding = (name: 'profile' | 'local') => new Set(lintRules(name === 'profile' ? profileRules : localRules).map((finding) => finding.index));
    const profileFindings = withFinding('profile');
    const localFindings = withFinding('local');
    // The editor adds the warnings that compare rules once it has shown the rows.
    typeFilter('');
    await waitFor(() => expect(local.querySelector('.finding-warning')).not.toBeNull());
    expectFound('lint:', (_rule, index, name) => (name === 'profile' ? profileFindings : localFindings).has(index));
    const unreachable = (name: 'profile' | 'local') =>
      new Set(lintRules(name === 'profile' ? profileRules : localRules).flatMap((finding) => (finding.code === 'unreachable' ? [finding.index] : [])));
    const profileUnreachable = unreachable('profile');
    const localUnreachable = unreachable('local');
    expectFound(
      'lint:unreachable action:allow',
      (rule, index, name) => rule['action'] === 'useEnrollmentCertificate' && (name === 'profile' ? profileUnreachable : localUnreachable).has(index),
    );
    // Clearing the filter shows every rule again, from the first page.
    const clear = [...document.querySelectorAll<HTMLButtonElement>('.rule-filter button')].find((button) => button.textContent === 'Clear filter');
    fireEvent.click(clear as HTMLButtonElement);
    expect(tableIndexes(profile)[0]).toBe(0);
    expect(document.activeElement).toBe(filterBox());
    expect(filterBox().labels?.[0]?.textContent).toBe('Filter rules');
  });

  test('a link to a rule opens the rules section at its page, highlights the row and gives it the focus', async () => {
    setup('tester', { initialRule: { source: 'profile', index: 4321 } });
    const profile = await block('profile');
    await waitFor(() => expect(tableIndexes(profile)).toContain(4321));
    const row = profile.querySelector<HTMLElement>('tr[data-index="4321"]') as HTMLElement;
    expect(row.className).toContain('rule-target');
    expect(row.getAttribute('aria-current')).toBe('true');
    expect(row.textContent).toContain('Rule 4322 (index 4321)');
    expect(row.textContent).toContain(String(profileRules[4321]?.['host']));
    await waitFor(() => expect(document.activeElement).toBe(row));
    const page = Math.floor(4321 / TABLE_PAGE_SIZE);
    expect(profile.querySelector('.pager-position')?.textContent).toBe(
      `Page ${page + 1} of ${TABLE_PAGES} (${page * TABLE_PAGE_SIZE + 1}–${(page + 1) * TABLE_PAGE_SIZE} of 5000)`,
    );
    // Only that row is highlighted, in no other source.
    expect(document.querySelectorAll('.rule-target')).toHaveLength(1);

    // Another link while the page is open (the address bar's hash changes): a local rule, in the editor, even under a filter.
    typeFilter('nothing-matches-this');
    window.location.hash = '#rule=local:2500';
    const local = await block('local');
    await waitFor(() => expect(editorPositions(local)).toContain(2500));
    expect(filterBox().value).toBe('');
    const item = local.querySelector<HTMLElement>('li[data-position="2500"]') as HTMLElement;
    expect(item.className).toContain('rule-target');
    expect(item.querySelector('legend')?.textContent).toBe('Rule 2501 (index 2500)');
    await waitFor(() => expect(document.activeElement).toBe(item.querySelector('input')));
    expect((document.activeElement as HTMLInputElement).value).toBe(String(localRules[2500]?.['host']));
    expect(profile.querySelectorAll('.rule-target')).toHaveLength(0);
    // Back to no hash before the next test renders a page that listens to it.
    await new Promise((resolve) => {
      window.addEventListener('hashchange', resolve, { once: true });
      window.location.hash = '';
    });
  });

  test('a link to a rule that is not there says so', async () => {
    setup('rules', { initialRule: { source: 'profile', index: 7000 } });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The link asks for Rule 7001 (index 7000) of Console profile “Corporate”, which has 5000 rules.',
    );
    cleanup();
    setup('rules', { initialRule: { source: 'file', index: 3 } });
    expect((await screen.findByRole('alert')).textContent).toBe('The link asks for Rule 4 (index 3) of Rules file, which has no rules here.');
  });
});

describe('the console profile editor with 5,000 rules', () => {
  test('a rule with an error on the last page blocks Save, and lint:error finds it, though the first paint checks only the first page', async () => {
    // The console delivers what it holds: here one rule no engine accepts, far from the first page.
    const rules = [...profileRules.slice(0, COUNT - 1), { host: 'bad host name', action: 'useEnrollmentCertificate' }];
    const profile = { id: 'p-bad', name: 'Bad', description: '', isDefault: true, stamp: 's1', rules };
    setup('profiles', {
      handlers: {
        consoleAccount: () => ({ email: 'admin@example.com', admin: true }),
        getStatus: () => ({ sync: syncStatus(), settings: settingsView({ origins: { ...settingsView().origins, password: 'local' } }), guard: guardStatus() }),
        consoleListProfiles: () => [{ id: 'p-bad', name: 'Bad', description: '', isDefault: true }],
        consoleGetProfile: () => profile,
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Open Bad' }));
    const editor = await waitFor(
      () => {
        const element = document.querySelector<HTMLElement>('.profile-editor');
        if (!element?.querySelector('li.rule-row')) throw new Error('the profile editor is not open yet');
        return element;
      },
      { timeout: 10_000 },
    );
    expect(editor.querySelectorAll('li.rule-row')).toHaveLength(EDITOR_PAGE_SIZE);
    expect(document.querySelectorAll('tr, li.rule-row').length).toBeLessThan(300);
    const save = [...editor.querySelectorAll<HTMLButtonElement>('.editor-actions button')].find((button) => button.classList.contains('primary'));
    await waitFor(() => expect(editor.querySelector('.editor-actions')?.textContent).toContain('Cannot save yet. Problems to fix: 1.'), { timeout: 10_000 });
    expect(save?.disabled).toBe(true);
    typeFilter('lint:error', 'profile-filter');
    expect(editorPositions(editor)).toEqual([COUNT - 1]);
    expect(editor.querySelector<HTMLInputElement>('li.rule-row input')?.getAttribute('aria-invalid')).toBe('true');
    // Mended, the rule saves: Save is enabled (the name is unchanged, the rules are not).
    fireEvent.input(editor.querySelector('li.rule-row input') as HTMLInputElement, { target: { value: 'good.example.com' } });
    await waitFor(() => expect(save?.disabled).toBe(false));
  });

  test('opens one page, and its own filter finds rules', async () => {
    const profile = { id: 'p-big', name: 'Big', description: '', isDefault: true, stamp: 's1', rules: profileRules };
    setup('profiles', {
      handlers: {
        consoleAccount: () => ({ email: 'admin@example.com', admin: true }),
        getStatus: () => ({ sync: syncStatus(), settings: settingsView({ origins: { ...settingsView().origins, password: 'local' } }), guard: guardStatus() }),
        consoleListProfiles: () => [{ id: 'p-big', name: 'Big', description: '', isDefault: true }],
        consoleGetProfile: () => profile,
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Open Big' }));
    const editor = await waitFor(() => {
      const element = document.querySelector<HTMLElement>('.profile-editor');
      if (!element) throw new Error('the profile editor is not open yet');
      return element;
    });
    await waitFor(() => expect(editor.querySelectorAll('li.rule-row')).toHaveLength(EDITOR_PAGE_SIZE), { timeout: 10_000 });
    expect(pagerOf(editor).getAttribute('aria-label')).toBe('Pages of Profile “Big”');
    typeFilter('action:allow port:8443', 'profile-filter');
    const want = profileRules.flatMap((rule, index) => (rule['action'] === 'useEnrollmentCertificate' && rule['port'] === '8443' ? [index] : []));
    expect(want.length).toBeGreaterThan(0);
    const shown = editorPositions(editor);
    // port:8443 also finds "*" and the like: every exact 8443 allow rule of the first page is there.
    for (const index of want.filter((index) => index <= (shown.at(-1) ?? 0))) expect(shown).toContain(index);
    for (const position of shown) expect(profileRules[position]?.['action']).toBe('useEnrollmentCertificate');
  });
});

describe('the browser policy export of 5,000 rules, in its worker', () => {
  let uninstall = () => undefined as void;
  beforeEach(() => {
    uninstall = installWorker(ScriptedExportWorker);
  });
  afterEach(() => uninstall());

  const inForce = () => ({ sources: [compileSource('profile', profileRules)], certificateFilter: { issuer: { CN: 'Acme CA' } } });
  /**
   * The worker the page talks to once the preview's inputs settled: the page
   * first exports with the filter in force, then again with the filter form's
   * (the first worker is ended then).
   */
  const current = (ports: number[] | null = null) =>
    waitFor(
      () => {
        const worker = ScriptedExportWorker.started.at(-1);
        const request = worker?.requests[0] as { filter: unknown; ports: unknown } | undefined;
        if (!worker || worker.terminated || request?.filter === null || JSON.stringify(request?.ports) !== JSON.stringify(ports)) {
          throw new Error(
            `no settled export worker yet (asked: ${JSON.stringify(ScriptedExportWorker.started.map((started) => started.requests[0] ?? null).length)})`,
          );
        }
        return worker;
      },
      { timeout: 10_000 },
    );
  const bigView = () => ({
    text: Array.from({ length: 5002 }, (_, i) => `line ${i}`).join('\n'),
    filename: 'cert-rules-chrome.json',
    mimeType: 'application/json',
    report: profileRules.map((_, index) => ({ source: 'profile', index, outcome: index % 3 ? 'exact' : 'narrower', note: '' })),
    notes: [],
    anyCertificate: false,
  });

  test('the page asks its worker, shows the progress, then the report (paged) and the start of the file', async () => {
    setup('browser-policy', { handlers: { getRulesInForce: inForce } });
    const worker = await current();
    // One export on opening: the preview waits for the filter form's values rather than export twice.
    expect(ScriptedExportWorker.started).toHaveLength(1);
    // A module worker from the page's own origin (Vite builds export-worker.ts into the extension).
    expect(worker.options).toEqual({ type: 'module' });
    expect(String(worker.url)).toMatch(/export-worker/);
    const request = worker.requests[0] as { format: string; ports: unknown; inForce: { sources: { rules: unknown[] }[] } };
    expect(request.format).toBe('chrome-json');
    expect(request.ports).toBeNull();
    expect(request.inForce.sources[0]?.rules).toHaveLength(5000);

    const progress = () => document.querySelector<HTMLElement>('.export-progress');
    await waitFor(() => expect(progress()).not.toBeNull());
    worker.reply({ type: 'progress', phase: 'prepare', done: 0, total: 5000 });
    await waitFor(() => expect(progress()?.textContent).toBe('Reading 5000 rules…'));
    worker.reply({ type: 'progress', phase: 'check', done: 24, total: 100 });
    await waitFor(() => expect(progress()?.textContent).toBe('Checking the rules: 24% done…'));
    const bar = progress()?.querySelector('progress') as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([24, 100]);
    expect(bar.getAttribute('aria-label')).toBe('Export progress');
    // While the worker works, the page answers: the ports field takes input.
    fireEvent.input(document.getElementById('policy-ports') as HTMLInputElement, { target: { value: '8443' } });
    expect((document.getElementById('policy-ports') as HTMLInputElement).value).toBe('8443');
    // A new question ends the worker of the old one.
    const last = await current([8443]);
    expect(worker.terminated).toBe(true);
    last.reply({ type: 'progress', phase: 'write', done: 5000, total: 5000 });
    last.reply({ type: 'result', view: bigView() });
    await waitFor(() => expect(document.getElementById('policy-report-heading')?.textContent).toBe('Report: 5000 lines'));
    expect(progress()).toBeNull();
    const rows = document.querySelectorAll('table[aria-labelledby="policy-report-heading"] tbody tr');
    expect(rows).toHaveLength(TABLE_PAGE_SIZE);
    expect(document.querySelector('nav.pager')?.textContent).toContain(`Page 1 of ${TABLE_PAGES} (1–${TABLE_PAGE_SIZE} of 5000)`);
    // Each line links to its rule in the rules section.
    expect(rows[7]?.querySelector('a')?.getAttribute('href')).toBe('#rule=profile:7');
    expect(document.querySelector('.policy-preview')?.textContent?.split('\n')).toHaveLength(400);
    // Every worker is ended once its answer is in or no longer wanted.
    await waitFor(() => expect(ScriptedExportWorker.started.every((started) => started.terminated)).toBe(true));
  });

  test('a rule of the report opens the rules section at that row', async () => {
    const { navigated } = setup('browser-policy', { handlers: { getRulesInForce: inForce } });
    const worker = await current();
    worker.reply({ type: 'result', view: bigView() });
    await waitFor(() => expect(document.querySelector('table[aria-labelledby="policy-report-heading"]')).not.toBeNull());
    fireEvent.click(pagerButton(document.body, 'last'));
    const link = document.querySelector<HTMLAnchorElement>('a[href="#rule=profile:4999"]') as HTMLAnchorElement;
    fireEvent.click(link);
    const profile = await block('profile');
    await waitFor(() => expect(document.activeElement).toBe(profile.querySelector('tr[data-index="4999"]')));
    expect(navigated.at(-1)).toBe('rule=profile:4999');
  });

  test.each([
    [
      'the script does not load',
      (worker: ScriptedExportWorker) => worker.fail(''),
      'the export worker stopped: the browser gave no reason (the worker script may not have loaded)',
    ],
    [
      'it throws',
      (worker: ScriptedExportWorker) => worker.fail('Uncaught RangeError: out of memory'),
      'the export worker stopped: Uncaught RangeError: out of memory',
    ],
    [
      'its job fails',
      (worker: ScriptedExportWorker) => worker.reply({ type: 'error', code: 'internal', message: 'policy export: internal error' }),
      'the export worker stopped: policy export: internal error',
    ],
    [
      'the export refuses',
      (worker: ScriptedExportWorker) => worker.reply({ type: 'error', code: 'too-large', message: 'the rule set is too large to check exactly (bound)' }),
      'the rule set is too large to check exactly (bound)',
    ],
    [
      'it answers nonsense',
      (worker: ScriptedExportWorker) => worker.reply({ type: 'result', view: { text: 3 } }),
      'the export worker sent an answer the page cannot read',
    ],
  ])('when %s, the page says so in words and ends the worker', async (_case, failure, message) => {
    setup('browser-policy', { handlers: { getRulesInForce: inForce } });
    const worker = await current();
    failure(worker);
    await waitFor(() => expect(document.querySelector('[aria-live] .error-text')?.textContent).toBe(`Could not compile the policy: ${message}`));
    expect(worker.terminated).toBe(true);
    expect(document.querySelector('.export-progress')).toBeNull();
  });
});
