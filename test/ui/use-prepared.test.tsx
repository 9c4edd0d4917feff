// @vitest-environment jsdom
import { cleanup, render, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { usePreparedList } from '../../src/ui/options/use-prepared';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Renders the hook's state: "null", or the items joined. */
function Probe({ count, needed, made, version = 0 }: { count: number; needed: boolean; made: number[]; version?: number }) {
  const items = usePreparedList(
    count,
    () => (index) => {
      made.push(index);
      return `${version}:${index}`;
    },
    [count, version],
    needed,
  );
  return <p data-testid="out">{items === null ? 'null' : items.join(',')}</p>;
}

const out = () => document.querySelector('[data-testid="out"]')?.textContent;

describe('usePreparedList: a list made off the way to the first paint', () => {
  test('not made for the first render; made in idle time after it', async () => {
    const made: number[] = [];
    render(<Probe count={3} needed={false} made={made} />);
    // The first render (and its commit) made nothing: the work waits for idle time.
    expect(out()).toBe('null');
    await waitFor(() => expect(made).toEqual([0, 1, 2]));
  });

  test('made at once, item by item in order, when a render needs it', () => {
    const made: number[] = [];
    render(<Probe count={4} needed made={made} />);
    expect(out()).toBe('0:0,0:1,0:2,0:3');
    expect(made).toEqual([0, 1, 2, 3]);
  });

  test('in idle time a slice stops after its few milliseconds, and the next slice goes on where it stopped', async () => {
    // Every reading of the clock is 3 ms after the one before: a slice of 8 ms then makes at most three items.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 3));
    const made: number[] = [];
    const sliceEnds: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((work: () => void, ms?: number) =>
      realSetTimeout(() => {
        work();
        sliceEnds.push(made.length);
      }, ms)) as typeof setTimeout);
    render(<Probe count={10} needed={false} made={made} />);
    await waitFor(() => expect(made).toHaveLength(10));
    expect(made).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const slices = sliceEnds.filter((end, at) => end > (sliceEnds[at - 1] ?? 0)).map((end, at, ends) => end - (ends[at - 1] ?? 0));
    expect(slices.length).toBeGreaterThan(2);
    expect(Math.max(...slices)).toBeLessThanOrEqual(3);
  });

  test('a change of its inputs starts a new list; a render that needs it then finishes it at once', async () => {
    const made: number[] = [];
    const view = render(<Probe count={2} needed={false} made={made} version={1} />);
    await waitFor(() => expect(made).toHaveLength(2));
    view.rerender(<Probe count={3} needed made={made} version={2} />);
    expect(out()).toBe('2:0,2:1,2:2');
  });
});
