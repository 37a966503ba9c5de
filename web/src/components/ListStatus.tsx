import type { ListPage } from '../api';
import { ErrorNotice, Loading } from './ErrorNotice';

/** What a list shows in place of its rows: why it could not be read (with a retry), that it is being
 *  read, or (with `empty`) that it holds nothing. Nothing once there are rows. */
export function ListStatus({ list, error, onRetry, empty, emptyTestid }: { list: ListPage<unknown> | null; error: unknown; onRetry?: () => void; empty?: string; emptyTestid?: string }) {
  if (error !== null) return <ErrorNotice error={error} {...(onRetry ? { onRetry } : {})} />;
  if (!list) return <Loading />;
  if (list.items.length === 0 && empty !== undefined) {
    return (
      <p class="empty" data-testid={emptyTestid}>
        {empty}
      </p>
    );
  }
  return null;
}
