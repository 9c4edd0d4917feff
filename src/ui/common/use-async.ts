import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { errorText } from './errors';

export type Loadable<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

/**
 * Runs `load` on mount and whenever `reload()` is called; the newest call wins,
 * so a slow earlier answer never overwrites a later one. `refresh()` is a
 * reload for a change seen in passing (useChanges): when it fails, what is
 * shown stays rather than turning into an error.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[] = []): [Loadable<T>, () => Promise<void>, () => Promise<void>] {
  const [value, setValue] = useState<Loadable<T>>({ state: 'loading' });
  const generation = useRef(0);
  const run = useCallback(async (quiet: boolean) => {
    const mine = ++generation.current;
    try {
      const result = await load();
      if (mine === generation.current) setValue({ state: 'ready', value: result });
    } catch (error) {
      if (mine === generation.current) setValue((shown) => (quiet && shown.state === 'ready' ? shown : { state: 'error', message: errorText(error) }));
    }
    // The caller's deps list is what `load` depends on (as with useEffect), so it is passed through unchecked.
  }, deps);
  const reload = useCallback(() => run(false), [run]);
  const refresh = useCallback(() => run(true), [run]);
  // Before the first paint, not after it: the request is on its way while the page paints (an effect would wait for a frame).
  useLayoutEffect(() => {
    void reload();
  }, [reload]);
  return [value, reload, refresh];
}
