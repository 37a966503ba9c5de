import type { ChangeRequest, ChangeStatus } from '../../api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { href } from '../../router';

/** The statuses a change request goes through, in the order the lists show them. */
export const STATUSES: readonly ChangeStatus[] = ['pending', 'applied', 'rejected', 'withdrawn'];

export function kindLabel(t: (k: MessageKey) => string, kind: string): string {
  const key = `cr.kind.${kind}` as MessageKey;
  const text = t(key);
  return text === key ? kind : text;
}

/** The status tabs above a list of change requests (links: the status is in the URL). `all` adds a tab
 *  for every status, first. */
export function StatusTabs({ path, current, all, testid }: { path: string; current: ChangeStatus | null; all?: MessageKey; testid: string }) {
  const { t } = useI18n();
  const tab = (s: ChangeStatus | null) => (
    <a key={s ?? 'all'} class="tabs__item" href={href(path, { status: s })} aria-current={s === current ? 'true' : undefined} data-testid={`${testid}-${s ?? 'all'}`}>
      {s ? t(`cr.status.${s}`) : t(all!)}
    </a>
  );
  return (
    <div class="tabs" role="group" aria-label={t('cr.status_filter')}>
      {all && tab(null)}
      {STATUSES.map(tab)}
    </div>
  );
}

/** A request's kind, how many records it holds, and (for reviewers) whether it conflicts with another. */
export function KindCell({ cr, conflicts }: { cr: ChangeRequest; conflicts?: boolean }) {
  const { t, num } = useI18n();
  return (
    <td>
      <span class="badge">{kindLabel(t, cr.kind)}</span>
      {cr.item_count > 1 && <span class="muted"> ×{num(cr.item_count)}</span>}
      {conflicts && cr.conflicts_with.length > 0 && (
        <span class="badge badge--conflict" data-testid="conflict-badge" title={cr.conflicts_with.map((x) => `#${x}`).join(' ')}>
          {t('cr.conflicts')}
        </span>
      )}
    </td>
  );
}
