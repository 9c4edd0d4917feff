// @vitest-environment jsdom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EDITOR_PAGE_SIZE as PAGE } from '../../src/ui/options/pager';
import { parseRuleQuery } from '../../src/ui/options/rule-filter';
import { RuleEditor } from '../../src/ui/options/rule-editor';
import type { Finding } from '../../src/engine/model';
import { useEnglish } from './helpers/i18n';
import { INPUT_QUIET_MS, watchInput } from '../../src/ui/common/input-quiet';

beforeEach(useEnglish);
afterEach(cleanup);

/**
 * The rule editor over more rules than one page: paging, the filter, and
 * edits that cross pages. Elements are found by data attributes: testing-
 * library's accessible-name queries are slow on pages with hundreds of fields.
 */
const deny = (host: string, port = '443') => ({ host, port, action: 'noCertificate' });
const many = (count: number) => Array.from({ length: count }, (_, i) => deny(`h${i}.example`));

function setup(initialRules: unknown[], query = '') {
  const view = (text: string) => (
    <RuleEditor
      id="ed"
      source="local"
      caption="Local rules"
      initialRules={initialRules}
      denyOnly={false}
      terms={parseRuleQuery(text)}
      onSave={async () => undefined}
    />
  );
  const rendered = render(view(query));
  return { filter: (text: string) => rendered.rerender(view(text)) };
}

/** The lint the page gives for rule 1, as the background would. */
const GIVEN: Finding[] = [{ index: 1, severity: 'warning', code: 'unreachable', message: 'rule 1 given by the page' }];

/** The editor over `rules`, with the page's lint as given (null: on its way; left out: none given). */
const editorGiven = (rules: unknown[]) => (warnings: readonly Finding[] | null | undefined) => (
  <RuleEditor id="ed" source="local" caption="Local rules" initialRules={rules} initialWarnings={warnings} denyOnly={false} onSave={async () => undefined} />
);

const positions = () => [...document.querySelectorAll<HTMLElement>('li.rule-row')].map((row) => Number(row.dataset['position']));
const item = (position: number) => document.querySelector<HTMLElement>(`li[data-position="${position}"]`) as HTMLElement;
const field = (position: number, name: 'host' | 'port' | 'up' | 'down' | 'delete') => {
  const key = item(position).dataset['rowKey'];
  return document.querySelector<HTMLElement>(`[data-focus="${key}:${name}"]`) as HTMLInputElement;
};
const pager = (control: string) => document.querySelector<HTMLButtonElement>(`nav.pager [data-pager="${control}"]`) as HTMLButtonElement;
const button = (text: string) => [...document.querySelectorAll('button')].find((candidate) => candidate.textContent === text) as HTMLButtonElement;

describe('the rule editor, paged', () => {
  // Two full pages and most of a third.
  const rest = PAGE - 2;
  const count = 2 * PAGE + rest;
  const range = (from: number, length: number) => Array.from({ length }, (_, i) => from + i);

  test(`shows ${PAGE} rows a page, each numbered in the whole list`, () => {
    setup(many(count));
    expect(positions()).toEqual(range(0, PAGE));
    expect(document.querySelector('.pager-position')?.textContent).toBe(`Page 1 of 3 (1–${PAGE} of ${count})`);
    fireEvent.click(pager('last'));
    expect(positions()).toEqual(range(2 * PAGE, rest));
    expect(item(2 * PAGE).querySelector('legend')?.textContent).toBe(`Rule ${2 * PAGE + 1} (index ${2 * PAGE})`);
    expect((item(2 * PAGE) as HTMLLIElement).value).toBe(2 * PAGE + 1);
  });

  test('moving the first row of a page up follows it to the page before, with the focus', async () => {
    setup(many(count));
    fireEvent.click(pager('next'));
    fireEvent.click(field(PAGE, 'up'));
    await waitFor(() => expect(positions()).toContain(PAGE - 1));
    expect((field(PAGE - 1, 'host') as HTMLInputElement).value).toBe(`h${PAGE}.example`);
    await waitFor(() => expect(document.activeElement).toBe(field(PAGE - 1, 'up')));
    expect(document.querySelector('.pager-position')?.textContent).toBe(`Page 1 of 3 (1–${PAGE} of ${count})`);
    // And with the keyboard, back down to the next page.
    fireEvent.keyDown(field(PAGE - 1, 'host'), { key: 'ArrowDown', altKey: true });
    await waitFor(() => expect(positions()[0]).toBe(PAGE));
    await waitFor(() => expect(document.activeElement).toBe(field(PAGE, 'host')));
    expect((field(PAGE, 'host') as HTMLInputElement).value).toBe(`h${PAGE}.example`);
  });

  test('a rule added on the first page is shown on the last, with the focus in its host', async () => {
    setup(many(count));
    fireEvent.click(button('Add rule'));
    await waitFor(() => expect(positions()).toContain(count));
    await waitFor(() => expect(document.activeElement).toBe(field(count, 'host')));
    expect(document.querySelector('.pager-position')?.textContent).toBe(`Page 3 of 3 (${2 * PAGE + 1}–${count + 1} of ${count + 1})`);
  });

  test('deleting the last row of a page hands the focus to its neighbour on the page before', async () => {
    setup(many(PAGE + 1));
    fireEvent.click(pager('next'));
    expect(positions()).toEqual([PAGE]);
    fireEvent.click(field(PAGE, 'delete'));
    await waitFor(() => expect(positions()).toContain(PAGE - 1));
    await waitFor(() => expect(document.activeElement).toBe(field(PAGE - 1, 'delete')));
    expect(document.querySelector('nav.pager')).toBeNull();
  });
});

describe('the rule editor, filtered', () => {
  test('shows the rows the filter finds; an edited row stays until the filter changes', () => {
    const { filter } = setup([deny('a.acme.com'), deny('b.other.org'), deny('c.acme.com', '8443')], 'acme');
    expect(positions()).toEqual([0, 2]);
    expect(document.querySelector('.filter-count')?.textContent).toBe('2 of 3 rules match the filter.');
    // Typing a host the filter does not find keeps the row in view: it is being edited.
    fireEvent.input(field(0, 'host'), { target: { value: 'a.example.net' } });
    expect(positions()).toEqual([0, 2]);
    // A new filter looks again.
    filter('acme ');
    expect(positions()).toEqual([2]);
    filter('port:8443');
    expect(positions()).toEqual([2]);
    filter('action:never host:b.other.org');
    expect(positions()).toEqual([1]);
  });

  test('a rule added under a filter is shown, though the filter would not find an empty rule', async () => {
    setup([deny('a.acme.com'), deny('b.other.org')], 'acme');
    fireEvent.click(button('Add rule'));
    await waitFor(() => expect(positions()).toEqual([0, 2]));
    await waitFor(() => expect(document.activeElement).toBe(field(2, 'host')));
  });

  test('a keystroke that shows other rules updates the rows on the page in place, each showing its new rule', () => {
    const { filter } = setup(many(8 * PAGE), '');
    const before = [...document.querySelectorAll('li.rule-row')];
    filter('h1');
    const after = [...document.querySelectorAll<HTMLElement>('li.rule-row')];
    const found = Array.from({ length: 8 * PAGE }, (_, i) => i).filter((i) => `h${i}.example`.includes('h1'));
    expect(after).toHaveLength(PAGE);
    expect(positions()).toEqual(found.slice(0, PAGE));
    // The same elements, each showing its new rule.
    expect(after.every((row, place) => row === before[place])).toBe(true);
    expect(positions().map((position) => field(position, 'host').value)).toEqual(positions().map((position) => `h${position}.example`));
  });

  test('under a filter, a moved rule keeps the focus on its own control, wherever its row now is', async () => {
    setup([deny('a.acme.com'), deny('b.other.org'), deny('c.acme.com'), deny('d.acme.com')], 'acme');
    expect(positions()).toEqual([0, 2, 3]);
    const moved = item(3).dataset['rowKey'];
    field(3, 'up').focus();
    fireEvent.click(field(3, 'up'));
    await waitFor(() => expect(document.activeElement?.getAttribute('data-focus')).toBe(`${moved}:up`));
    expect((document.activeElement?.closest('li') as HTMLElement).dataset['position']).toBe('2');
    expect(field(2, 'host').value).toBe('d.acme.com');
  });

  test('nothing found: says so', () => {
    setup([deny('a.acme.com')], 'nowhere');
    expect(positions()).toEqual([]);
    expect(document.body.textContent).toContain('No rule here matches the filter.');
  });
});

describe('the rule editor: errors at once, warnings that compare rules after a pause', () => {
  test('an edit that makes a rule a duplicate gets its warning once typing pauses; an error blocks Save at once', async () => {
    setup([deny('a.example'), deny('b.example')]);
    await waitFor(() => expect(button('Save rules').disabled).toBe(true));
    fireEvent.input(field(1, 'host'), { target: { value: 'a.example' } });
    expect(button('Save rules').disabled).toBe(false);
    await waitFor(() => expect(item(1).querySelector('.finding-warning[data-code="unreachable"]')?.textContent).toContain('duplicates rule 1 (index 0)'));
    fireEvent.input(field(1, 'port'), { target: { value: 'x' } });
    // The error comes with the keystroke.
    expect(field(1, 'port').getAttribute('aria-invalid')).toBe('true');
    expect(button('Save rules').disabled).toBe(true);
    await waitFor(() => expect(item(1).querySelector('.finding-warning')).toBeNull());
  });

  test("the page's lint of the saved rules shows at once and stands until an edit; then the editor's own", async () => {
    render(editorGiven([deny('a.example'), deny('b.example')])(GIVEN));
    expect(item(1).querySelector('.finding-warning')?.textContent).toContain('given by the page');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(item(1).querySelector('.finding-warning')?.textContent).toContain('given by the page');
    fireEvent.input(field(0, 'host'), { target: { value: 'a.example.org' } });
    await waitFor(() => expect(item(1).querySelector('.finding-warning')).toBeNull());
  });

  test("the page's lint on its way (null) is shown when it comes, and the editor computes none meanwhile", async () => {
    const rules = [deny('a.example'), deny('a.example')];
    const view = editorGiven(rules);
    const rendered = render(view(null));
    // A duplicate the editor would find itself: while the page's lint is on its way, it does not.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(item(1).querySelector('.finding-warning')).toBeNull();
    rendered.rerender(view(GIVEN));
    await waitFor(() => expect(item(1).querySelector('.finding-warning')?.textContent).toContain('given by the page'));
  });

  test("the page's lint that comes after an edit is not about the rows any more: the editor's own stands", async () => {
    const rules = [deny('a.example'), deny('b.example')];
    const view = editorGiven(rules);
    const rendered = render(view(null));
    fireEvent.input(field(1, 'host'), { target: { value: 'a.example' } });
    await waitFor(() => expect(item(1).querySelector('.finding-warning')?.textContent).toContain('duplicates rule 1 (index 0)'));
    rendered.rerender(view(GIVEN));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(item(1).querySelector('.finding-warning')?.textContent).toContain('duplicates rule 1 (index 0)');
    expect(document.body.textContent).not.toContain('given by the page');
  });

  test("when the page's lint cannot come (left out after null), the editor computes it", async () => {
    const rules = [deny('a.example'), deny('a.example')];
    const view = editorGiven(rules);
    const rendered = render(view(null));
    rendered.rerender(view(undefined));
    await waitFor(() => expect(item(1).querySelector('.finding-warning[data-code="unreachable"]')?.textContent).toContain('duplicates rule 1 (index 0)'));
  });

  /** The editor over two deny rules, linted by `lint`. */
  const linted = (lint: (valid: readonly unknown[]) => Promise<Finding[]>) =>
    render(
      <RuleEditor
        id="ed"
        source="local"
        caption="Local rules"
        initialRules={[deny('a.example'), deny('b.example')]}
        denyOnly={false}
        lint={lint}
        onSave={async () => undefined}
      />,
    );

  test("the editor's lint comes from its linter when it answers; an answer about rows since edited is dropped", async () => {
    const answers: { valid: unknown[]; resolve: (findings: Finding[]) => void }[] = [];
    linted((valid) => new Promise<Finding[]>((resolve) => answers.push({ valid: [...valid], resolve })));
    await waitFor(() => expect(answers).toHaveLength(1));
    fireEvent.input(field(1, 'host'), { target: { value: 'c.example' } });
    await waitFor(() => expect(answers).toHaveLength(2));
    // The first answer is about the rows before the edit: it is not shown.
    answers[0]?.resolve([{ index: 1, severity: 'warning', code: 'unreachable', message: 'rule 1 stale' }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(item(1).querySelector('.finding-warning')).toBeNull();
    answers[1]?.resolve([{ index: 1, severity: 'warning', code: 'unreachable', message: 'rule 1 current' }]);
    await waitFor(() => expect(item(1).querySelector('.finding-warning')?.textContent).toContain('current'));
  });

  /** Runs `body` on a page that watches its input on a clock that stands still (the user is typing) until `pause`. */
  async function whileTyping(body: (pause: () => void) => Promise<void>): Promise<void> {
    let clock = 0;
    const stop = watchInput(document, () => clock);
    try {
      await body(() => (clock = INPUT_QUIET_MS + 1));
    } finally {
      stop();
    }
  }

  test("the linter's answer waits while the user types, and shows once the typing pauses", () =>
    whileTyping(async (pause) => {
      let answer: (findings: Finding[]) => void = () => {};
      linted(() => new Promise<Finding[]>((resolve) => (answer = resolve)));
      // A key just before the answer comes (the clock stands still: the user is typing).
      fireEvent.keyDown(document.body, { key: 'a' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer([{ index: 1, severity: 'warning', code: 'unreachable', message: 'rule 1 while typing' }]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(item(1).querySelector('.finding-warning')).toBeNull();
      // The typing paused: the warning comes with the next look.
      pause();
      await waitFor(() => expect(item(1).querySelector('.finding-warning')?.textContent).toContain('while typing'), { timeout: 2 * INPUT_QUIET_MS });
    }));

  test("the page's lint that waits while the user types is shown once the typing pauses, though the editor rendered again meanwhile", () =>
    whileTyping(async (pause) => {
      // More rules than a page: the check of the others ends while the lint waits, and renders the editor again.
      const view = editorGiven([deny('a.example'), deny('a.example'), ...many(3 * PAGE)]);
      const given: Finding[] = [{ index: 1, severity: 'warning', code: 'unreachable', message: 'rule 1 given while typing' }];
      const rendered = render(view(null));
      fireEvent.keyDown(document.body, { key: 'a' });
      rendered.rerender(view(given));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(item(1).querySelector('.finding-warning')).toBeNull();
      pause();
      await waitFor(() => expect(item(1).querySelector('.finding-warning')?.textContent).toContain('given while typing'), { timeout: 2 * INPUT_QUIET_MS });
    }));

  test('rows past the first page are checked after the first paint, in idle time, and Save waits for all of them', async () => {
    setup([...many(3 * 1000 + 5), { host: 'https://bad', port: '443', action: 'noCertificate' }]);
    // The first render checked the first page only: nothing to fix is known yet, and Save is not offered.
    expect(document.getElementById('ed-save-state')?.textContent).toBe('No unsaved changes.');
    await waitFor(() => expect(document.getElementById('ed-save-state')?.textContent).toContain('Problems to fix: 1.'));
  });

  test('checking the other rows in idle time leaves the rows on the page untouched until it is done', async () => {
    setup([...many(3 * 1000 + 5), { host: 'https://bad', port: '443', action: 'noCertificate' }]);
    const changes: MutationRecord[] = [];
    const watcher = new MutationObserver((records) => changes.push(...records));
    watcher.observe(document.querySelector('ol.rule-rows') as HTMLElement, { subtree: true, childList: true, attributes: true, characterData: true });
    await waitFor(() => expect(document.getElementById('ed-save-state')?.textContent).toContain('Problems to fix: 1.'));
    watcher.disconnect();
    // The rows shown have no finding, before and after: none of them was rendered again.
    expect(changes).toEqual([]);
  });

  test('a row the filter shows before the check has come to it shows its errors at once', () => {
    const bad = 3 * 1000 + 5;
    setup([...many(bad), { host: 'https://bad', port: '443', action: 'noCertificate' }], 'bad');
    expect(positions()).toEqual([bad]);
    expect(field(bad, 'host').getAttribute('aria-invalid')).toBe('true');
    expect(item(bad).querySelector('.field-host .error-text')?.textContent).toContain('must not contain a scheme');
    // The check of all rows is still on its way: Save waits for it.
    expect(document.getElementById('ed-save-state')?.textContent).toBe('No unsaved changes.');
  });

  test('on more than one page, the count of problems says how to find them', async () => {
    setup([...many(PAGE), { host: 'https://bad', port: '443', action: 'noCertificate' }]);
    // The rows past the first page are checked after the first paint.
    await waitFor(() =>
      expect(document.getElementById('ed-save-state')?.textContent).toBe('Cannot save yet. Problems to fix: 1. Filter with lint:error to list them.'),
    );
  });
});
