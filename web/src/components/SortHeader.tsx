import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n';

/** The sort after choosing `key` when the list is sorted by `sort`: a new column sorts ascending, the
 *  same column again reverses it. */
export function nextSort(sort: string, key: string): string {
  return sort === key ? `-${key}` : key;
}

function direction(sort: string, key: string): 'ascending' | 'descending' | null {
  if (sort === key) return 'ascending';
  if (sort === `-${key}`) return 'descending';
  return null;
}

interface SortProps {
  /** The key the server sorts by. */
  column: string;
  label: ComponentChildren;
  /** The list's current sort ("-" first for descending; '' for the list's own order). */
  sort: string;
  onSort: (sort: string) => void;
}

/** The button that sorts a list by one column (a real button: reached with Tab, pressed with Enter or
 *  Space). The arrow shows the direction; screen readers hear it from aria-sort or aria-pressed. */
function SortToggle({ column, label, sort, onSort, pressed }: SortProps & { pressed?: boolean }) {
  const { t } = useI18n();
  const dir = direction(sort, column);
  return (
    <button
      type="button"
      class="th-sort"
      data-testid={`sort-${column}`}
      data-sort={dir ?? 'none'}
      aria-pressed={pressed === undefined ? undefined : dir !== null}
      onClick={() => onSort(nextSort(sort, column))}
    >
      {label}
      <span aria-hidden="true">{dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}</span>
      {pressed !== undefined && dir && <span class="visually-hidden"> ({t(dir === 'ascending' ? 'list.ascending' : 'list.descending')})</span>}
    </button>
  );
}

/** A table's column header that sorts the whole list (on the server) by its column. */
export function SortHeader({ class: cls, ...props }: SortProps & { class?: string }) {
  const dir = direction(props.sort, props.column);
  return (
    <th scope="col" class={cls} aria-sort={dir ?? 'none'}>
      <SortToggle {...props} />
    </th>
  );
}

/** The same choice for a list that is not a table (the duplicate pairs are cards): "Sort by" and a
 *  button a column. */
export function SortBar({ columns, sort, onSort }: { columns: { column: string; label: string }[]; sort: string; onSort: (sort: string) => void }) {
  const { t } = useI18n();
  return (
    <div class="sort-bar" role="group" aria-label={t('list.sort_by')} data-testid="sort-bar">
      <span class="sort-bar__label" aria-hidden="true">
        {t('list.sort_by')}
      </span>
      {columns.map((c) => (
        <SortToggle key={c.column} column={c.column} label={c.label} sort={sort} onSort={onSort} pressed />
      ))}
    </div>
  );
}
