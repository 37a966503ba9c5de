import { useI18n } from '../i18n';

export const PAGE_SIZES = [10, 25, 50, 100] as const;

interface PagerProps {
  page: number;
  pages: number;
  /** Pages as links (bookmarkable lists)... */
  hrefFor?: (page: number) => string;
  /** ...or as buttons. */
  onPage?: (page: number) => void;
  /** With both, a page-size choice is shown. */
  pageSize?: number;
  onPageSize?: (size: number) => void;
}

/** Previous / "page N of M" / next, and optionally the number of rows per page. One for every list. */
export function Pager({ page, pages, hrefFor, onPage, pageSize, onPageSize }: PagerProps) {
  const { t, num } = useI18n();
  const showSize = pageSize !== undefined && onPageSize !== undefined;
  if (pages <= 1 && !showSize) return null;
  const step = (to: number, label: string, disabled: boolean, testid: string) =>
    hrefFor ? (
      <a class="btn btn--secondary btn--small" aria-disabled={disabled} href={hrefFor(to)} data-testid={testid}>
        {label}
      </a>
    ) : (
      <button type="button" class="btn btn--secondary btn--small" disabled={disabled} data-testid={testid} onClick={() => onPage?.(to)}>
        {label}
      </button>
    );
  return (
    <nav class="pager" aria-label={t('search.pages')} data-testid="pager">
      {pages > 1 && (
        <>
          {step(Math.max(1, page - 1), t('search.previous'), page <= 1, 'previous-page')}
          <span class="pager__status">{t('search.page_of', { page: num(page), pages: num(pages) })}</span>
          {step(Math.min(pages, page + 1), t('search.next'), page >= pages, 'next-page')}
        </>
      )}
      {showSize && (
        <label class="pager__size">
          {t('pager.page_size')}
          <select class="input input--small" value={String(pageSize)} data-testid="page-size" onChange={(e) => onPageSize(Number(e.currentTarget.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={String(n)}>
                {num(n)}
              </option>
            ))}
          </select>
        </label>
      )}
    </nav>
  );
}

/** The pages of `total` rows, `size` a page (at least one). */
export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

/** The pager of a list whose page, size and sort are in the URL (listState.ts): a new size returns to
 *  the first page. */
export function ListPager<S extends { page: number; size: number }>({ state, total, go }: { state: S; total: number; go: (s: S) => void }) {
  return (
    <Pager
      page={state.page}
      pages={pageCount(total, state.size)}
      onPage={(page) => go({ ...state, page })}
      pageSize={state.size}
      onPageSize={(size) => go({ ...state, size, page: 1 })}
    />
  );
}
