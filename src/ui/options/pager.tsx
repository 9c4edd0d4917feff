import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../common/i18n';

/** Rows per page: an editor row is a form of its own; a table row is one line. */
export const EDITOR_PAGE_SIZE = 10;
export const TABLE_PAGE_SIZE = 50;

export interface Paging {
  /** 0-based, always within [0, pageCount). */
  page: number;
  pageCount: number;
  /** The rows shown: [start, end) of the list paged. */
  start: number;
  end: number;
  count: number;
  setPage: (page: number) => void;
  /** Shows the page that holds row `position` of the list paged. */
  showRow: (position: number) => void;
}

/**
 * One page of `count` rows at a time. A list that shrinks keeps the page in
 * range; a new `resetKey` (another filter) starts again at the first page.
 */
export function usePaging(count: number, pageSize: number, resetKey: unknown = null): Paging {
  const [wanted, setWanted] = useState<{ key: unknown; page: number }>({ key: resetKey, page: 0 });
  const pageCount = Math.max(1, Math.ceil(count / pageSize));
  const page = wanted.key === resetKey ? Math.min(Math.max(wanted.page, 0), pageCount - 1) : 0;
  const setPage = (next: number) => setWanted({ key: resetKey, page: next });
  return {
    page,
    pageCount,
    start: page * pageSize,
    end: Math.min(count, (page + 1) * pageSize),
    count,
    setPage,
    showRow: (position) => setPage(Math.floor(position / pageSize)),
  };
}

type Control = 'first' | 'previous' | 'next' | 'last';

/**
 * First, previous, next and last page, and where the page is. A button that
 * becomes disabled by its own press (next on reaching the last page) hands the
 * focus to the one that now leads back, so keyboard users never lose it.
 */
export function Pager({ paging, label }: { paging: Paging; label: string }) {
  const buttons = useRef<Partial<Record<Control, HTMLButtonElement | null>>>({});
  const [pendingFocus, setPendingFocus] = useState<Control | null>(null);
  useEffect(() => {
    if (pendingFocus === null) return;
    buttons.current[pendingFocus]?.focus();
    setPendingFocus(null);
  }, [pendingFocus]);
  if (paging.pageCount <= 1) return null;
  const last = paging.pageCount - 1;
  const go = (control: Control, page: number) => {
    paging.setPage(page);
    if (page === 0 && (control === 'first' || control === 'previous')) setPendingFocus('next');
    if (page === last && (control === 'next' || control === 'last')) setPendingFocus('previous');
  };
  const button = (control: Control, page: number, disabled: boolean, text: string) => (
    <button
      type="button"
      ref={(element) => {
        buttons.current[control] = element;
      }}
      data-pager={control}
      disabled={disabled}
      onClick={() => go(control, page)}
    >
      {text}
    </button>
  );
  return (
    <nav class="pager button-row" aria-label={label}>
      {button('first', 0, paging.page === 0, t('pager_first'))}
      {button('previous', paging.page - 1, paging.page === 0, t('pager_previous'))}
      <span class="pager-position">{t('pager_position', paging.page + 1, paging.pageCount, paging.start + 1, paging.end, paging.count)}</span>
      {button('next', paging.page + 1, paging.page === last, t('pager_next'))}
      {button('last', last, paging.page === last, t('pager_last'))}
    </nav>
  );
}
