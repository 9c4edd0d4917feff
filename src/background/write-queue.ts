import type { LocalArea } from './platform';

/**
 * storage.local with every write in one queue: a write (and a read-modify-write
 * through `update`) starts only when the one before it has finished, so two
 * quick saves of the settings or the rules never read the same old value and
 * lose one of them. Reads that change nothing go straight to storage.
 */
export interface QueuedArea extends LocalArea {
  /** Runs `change` alone in the queue: what it reads cannot be changed by another write until it is done. */
  update<T>(change: (area: LocalArea) => Promise<T>): Promise<T>;
}

export function queuedArea(area: LocalArea): QueuedArea {
  let tail: Promise<unknown> = Promise.resolve();
  const update = <T>(change: (area: LocalArea) => Promise<T>): Promise<T> => {
    const run = tail.then(() => change(area));
    // The queue goes on after a failed write; the failure is the caller's (it gets `run`).
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
  return {
    get: (keys) => area.get(keys),
    set: (items) => update((target) => target.set(items)),
    remove: (keys) => update((target) => target.remove(keys)),
    update,
  };
}
