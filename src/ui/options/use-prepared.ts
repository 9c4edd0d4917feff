import { useEffect, useMemo } from 'preact/hooks';

/** Runs `work` when the page is idle (after it has painted); the returned function cancels it. */
export function whenIdle(work: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(() => work(), { timeout: 1000 });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(work, 0);
  return () => clearTimeout(handle);
}

/** How long one idle slice of preparation runs: short enough that a keystroke meanwhile is answered within a frame or two. */
const SLICE_MS = 8;

/**
 * Runs `work` in slices of idle time until it says it is done. Each slice
 * gives it `more()`, true while the slice lasts; `work` does a step at a time
 * while `more()` holds and returns whether everything is done. The returned
 * function cancels what is left.
 */
export function inIdleSlices(work: (more: () => boolean) => boolean): () => void {
  let cancel = whenIdle(function slice() {
    const end = performance.now() + SLICE_MS;
    if (!work(() => performance.now() < end)) cancel = whenIdle(slice);
  });
  return () => cancel();
}

/**
 * A list of `count` items made once per change of `deps`, off the way to the
 * first paint: a slice at a time in idle time after the page has painted, or
 * the rest at once when a render needs it (`needed`). Null until every item is
 * made. `makerFor` gives the function that makes one item (what it shares
 * between items is made once per list). The filters use it so that the first
 * keystroke only compares text, as every later one does, and so that no
 * keystroke waits long behind the preparation.
 */
export function usePreparedList<T>(count: number, makerFor: () => (index: number) => T, deps: readonly unknown[], needed: boolean): readonly T[] | null {
  // One box per change of deps (the caller's list, as with useMemo).
  const box = useMemo<{ items: T[]; make: ((index: number) => T) | null }>(() => ({ items: [], make: null }), deps);
  const fill = (more: () => boolean) => {
    const make = (box.make ??= makerFor());
    while (box.items.length < count && more()) box.items.push(make(box.items.length));
  };
  if (needed && box.items.length < count) fill(() => true);
  useEffect(() => {
    if (box.items.length >= count) return;
    // No render: nothing shown changes, and the next render that needs the list finds it made.
    return inIdleSlices((more) => {
      fill(more);
      return box.items.length >= count;
    });
  }, [box]);
  return box.items.length >= count ? box.items : null;
}
