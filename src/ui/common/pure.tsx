import type { Component, FunctionComponent } from 'preact';
import { useCallback, useRef } from 'preact/hooks';

/** Whether any prop differs (by identity) between two renders; a prop left out and one given as undefined render alike. */
export function propsDiffer(before: object, after: object): boolean {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  for (const key in a) if (a[key] !== b[key]) return true;
  for (const key in b) if (!(key in a) && b[key] !== undefined) return true;
  return false;
}

/**
 * `view` rendered again only when one of its props changed (by identity), as
 * preact/compat's memo does; compat itself is not used, since loading it
 * changes how every element of the page is made. The pages pass big tables
 * (thousands of rules) through components that also re-render for unrelated
 * state (a status answer, a sync line): those renders now stop here. `view`'s
 * own state and hooks still render it as usual (it is a component of its own
 * under this one). Callers keep the props stable: no new functions or objects
 * per render where nothing changed.
 */
export function pure<P extends object>(view: FunctionComponent<P>): FunctionComponent<P> {
  const View = view as FunctionComponent<object>;
  function Pure(this: Component<P>, props: P) {
    this.shouldComponentUpdate = function (this: Component<P>, next: P) {
      return propsDiffer(this.props, next);
    };
    return <View {...props} />;
  }
  Pure.displayName = `Pure(${view.displayName ?? view.name})`;
  return Pure as FunctionComponent<P>;
}

/**
 * A function with one identity for the component's life that calls the
 * latest `fn`: a handler passed to a pure component does not make it render
 * again each time its owner renders.
 */
export function useSteady<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn);
  latest.current = fn;
  return useCallback((...args: A) => latest.current(...args), []);
}
