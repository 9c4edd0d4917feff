import { useEffect, useRef } from 'preact/hooks';
import type { Paging } from './pager';

/** The row a link asked for (#rule=source:index); `seq` changes with every jump, also to the same row again. */
export interface RuleTarget {
  index: number;
  seq: number;
}

/**
 * Once per jump: shows the page that holds the target row, then scrolls it
 * into view and gives it the focus (so a screen reader reads it out).
 * `place` is the row's place in the list as paged (-1: not in it); `find`
 * finds its element once rendered.
 */
export function useRevealTarget(
  target: RuleTarget | null,
  place: (index: number) => number,
  paging: Paging,
  find: (index: number) => HTMLElement | null,
): void {
  const pending = useRef<number | null>(null);
  useEffect(() => {
    if (!target) return;
    const at = place(target.index);
    if (at < 0) return;
    pending.current = target.index;
    paging.showRow(at);
  }, [target?.seq]);
  useEffect(() => {
    if (pending.current === null) return;
    const element = find(pending.current);
    if (!element) return;
    pending.current = null;
    // jsdom has no scrollIntoView.
    element.scrollIntoView?.({ block: 'center' });
    element.focus({ preventScroll: true });
  });
}
