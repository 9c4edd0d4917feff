import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from './errors';

export type Loadable<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

/**
 * Runs `load` on mount and whenever `reload()` is called; the newest call wins,
 * so a slow earlier answer never overwrites a later one.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[] = []): [Loadable<T>, () => Promise<void>] {
  const [value, setValue] = useState<Loadable<T>>({ state: 'loading' });
  const generation = useRef(0);
  const run = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const result = await load();
      if (mine === generation.current) setValue({ state: 'ready', value: result });
    } catch (error) {
      if (mine === generation.current) setValue({ state: 'error', message: errorText(error) });
    }
    // The caller's deps list is what `load` depends on (as with useEffect), so it is passed through unchecked.
  }, deps);
  useEffect(() => {
    void run();
  }, [run]);
  return [value, run];
}
