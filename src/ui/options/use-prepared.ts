import { useEffect, useMemo } from 'preact/hooks';

/** Runs `work` when the page is idle (after it has painted); the returned function cancels it. */
function whenIdle(work: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(work, { timeout: 1000 });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(work, 0);
  return () => clearTimeout(handle);
}

/**
 * A value made once per change of `deps`, off the way to the first paint: in
 * idle time after the page has painted, or at once when a render needs it
 * before then (`needed`). Null until made. The filters use it so that the
 * first keystroke only compares text, as every later one does.
 */
export function usePrepared<T>(make: () => T, deps: readonly unknown[], needed: boolean): T | null {
  // One box per change of deps (the caller's list, as with useMemo).
  const box = useMemo<{ made: boolean; value: T | null }>(() => ({ made: false, value: null }), deps);
  if (needed && !box.made) {
    box.value = make();
    box.made = true;
  }
  useEffect(() => {
    if (box.made) return;
    return whenIdle(() => {
      box.value = make();
      // No render: nothing shown changes, and the next render that needs it finds it made.
      box.made = true;
    });
  }, [box]);
  return box.made ? box.value : null;
}
