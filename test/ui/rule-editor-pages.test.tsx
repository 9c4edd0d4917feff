// @vitest-environment jsdom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseRuleQuery } from '../../src/ui/options/rule-filter';
import { RuleEditor } from '../../src/ui/options/rule-editor';
import { useEnglish } from './helpers/i18n';

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

const positions = () => [...document.querySelectorAll<HTMLElement>('li.rule-row')].map((row) => Number(row.dataset['position']));
const item = (position: number) => document.querySelector<HTMLElement>(`li[data-position="${position}"]`) as HTMLElement;
const field = (position: number, name: 'host' | 'port' | 'up' | 'down' | 'delete') => {
  const key = item(position).dataset['rowKey'];
  return document.querySelector<HTMLElement>(`[data-focus="${key}:${name}"]`) as HTMLInputElement;
};
const pager = (control: string) => document.querySelector<HTMLButtonElement>(`nav.pager [data-pager="${control}"]`) as HTMLButtonElement;
const button = (text: string) => [...document.querySelectorAll('button')].find((candidate) => candidate.textContent === text) as HTMLButtonElement;

describe('the rule editor, paged', () => {
  test('shows 50 rows a page, each numbered in the whole list', () => {
    setup(many(120));
    expect(positions()).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(document.querySelector('.pager-position')?.textContent).toBe('Page 1 of 3 (1–50 of 120)');
    fireEvent.click(pager('last'));
    expect(positions()).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    expect(item(100).querySelector('legend')?.textContent).toBe('Rule 101 (index 100)');
  });

  test('moving the first row of a page up follows it to the page before, with the focus', async () => {
    setup(many(120));
    fireEvent.click(pager('next'));
    fireEvent.click(field(50, 'up'));
    await waitFor(() => expect(positions()).toContain(49));
    expect((field(49, 'host') as HTMLInputElement).value).toBe('h50.example');
    await waitFor(() => expect(document.activeElement).toBe(field(49, 'up')));
    expect(document.querySelector('.pager-position')?.textContent).toBe('Page 1 of 3 (1–50 of 120)');
    // And with the keyboard, back down to the next page.
    fireEvent.keyDown(field(49, 'host'), { key: 'ArrowDown', altKey: true });
    await waitFor(() => expect(positions()[0]).toBe(50));
    await waitFor(() => expect(document.activeElement).toBe(field(50, 'host')));
    expect((field(50, 'host') as HTMLInputElement).value).toBe('h50.example');
  });

  test('a rule added on the first page is shown on the last, with the focus in its host', async () => {
    setup(many(120));
    fireEvent.click(button('Add rule'));
    await waitFor(() => expect(positions()).toContain(120));
    await waitFor(() => expect(document.activeElement).toBe(field(120, 'host')));
    expect(document.querySelector('.pager-position')?.textContent).toBe('Page 3 of 3 (101–121 of 121)');
  });

  test('deleting the last row of a page hands the focus to its neighbour on the page before', async () => {
    setup(many(51));
    fireEvent.click(pager('next'));
    expect(positions()).toEqual([50]);
    fireEvent.click(field(50, 'delete'));
    await waitFor(() => expect(positions()).toContain(49));
    await waitFor(() => expect(document.activeElement).toBe(field(49, 'delete')));
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

  test('on more than one page, the count of problems says how to find them', () => {
    setup([...many(60), { host: 'https://bad', port: '443', action: 'noCertificate' }]);
    expect(document.getElementById('ed-save-state')?.textContent).toBe('Cannot save yet. Problems to fix: 1. Filter with lint:error to list them.');
  });
});
