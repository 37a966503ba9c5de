import { useEffect, useState } from 'preact/hooks';
import { registry } from '../api';
import type { ChangeRequest, ChangeStatus, ListPage } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import { href } from '../router';
import type { Route } from '../router';
import { Decision, WithdrawButton } from '../components/RequestOutcome';
import { kindLabel } from './ChangeRequestsPage';
import '../styles/authors.css';

const STATUSES: readonly ChangeStatus[] = ['pending', 'applied', 'rejected', 'withdrawn'];
const PAGE_SIZE = 50;

function readState(route: Route) {
  const s = route.params.get('status');
  const status = (STATUSES as readonly string[]).includes(s ?? '') ? (s as ChangeStatus) : null;
  const page = Math.max(1, Number(route.params.get('page')) || 1);
  return { status, page };
}

/** #/my-requests?status=rejected — the requests the signed-in user filed, and what became of them. */
export function MyRequestsPage({ route }: { route: Route }) {
  const { t, num, dateTime } = useI18n();
  const { status, page } = readState(route);
  const [list, setList] = useState<ListPage<ChangeRequest> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [withdrawn, setWithdrawn] = useState<number | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setList(null);
    setError(null);
    registry
      .myRequests({ ...(status ? { status } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, ctrl.signal)
      .then(setList)
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, [status, page, attempt]);

  const onWithdrawn = (cr: ChangeRequest) => {
    setWithdrawn(cr.id);
    setList((l) => (l ? { ...l, items: l.items.map((x) => (x.id === cr.id ? { ...x, ...cr } : x)) } : l));
  };
  const pages = list ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : 1;
  const tab = (s: ChangeStatus | null) => (
    <a
      key={s ?? 'all'}
      class="tabs__item"
      href={href('/my-requests', { status: s })}
      aria-current={s === status ? 'true' : undefined}
      data-testid={`my-status-${s ?? 'all'}`}
    >
      {s ? t(`cr.status.${s}`) : t('my.all')}
    </a>
  );

  return (
    <div class="page" data-testid="my-requests-page">
      <header class="page__header">
        <h1 class="page__title">{t('my.title')}</h1>
        <p class="page__intro">{t('my.intro')}</p>
      </header>
      <div class="tabs" role="group" aria-label={t('cr.status_filter')}>
        {tab(null)}
        {STATUSES.map(tab)}
      </div>
      {withdrawn !== null && (
        <div class="notice notice--info" role="status" data-testid="withdrawn-notice">
          <p>{t('cr.withdrawn_notice', { id: withdrawn })}</p>
        </div>
      )}
      {error !== null && <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />}
      {!list && error === null && <Loading />}
      {list && list.items.length === 0 && (
        <p class="empty" data-testid="my-empty">
          {t('my.empty')}
        </p>
      )}
      {list && list.items.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="my-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('cr.col.kind')}</th>
                <th scope="col">{t('cr.col.summary')}</th>
                <th scope="col">{t('cr.col.created')}</th>
                <th scope="col">{t('cr.col.status')}</th>
                <th scope="col">{t('cr.col.decision')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('cr.withdraw')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <tr key={c.id} data-testid="my-row" data-id={c.id} data-status={c.status}>
                  <td>
                    <a href={href('/change-requests', { status: c.status, id: String(c.id) })} data-testid="my-link">
                      {c.id}
                    </a>
                  </td>
                  <td>
                    <span class="badge">{kindLabel(t, c.kind)}</span>
                    {c.item_count > 1 && <span class="muted"> ×{num(c.item_count)}</span>}
                  </td>
                  <td>{c.summary}</td>
                  <td>{dateTime(c.created_at)}</td>
                  <td>
                    <span class={`badge badge--${c.status}`} data-testid="my-status">
                      {t(`cr.status.${c.status}`)}
                    </span>
                  </td>
                  <td>
                    <Decision cr={c} />
                  </td>
                  <td>{c.status === 'pending' && <WithdrawButton cr={c} onWithdrawn={onWithdrawn} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list && pages > 1 && (
        <nav class="pager" aria-label={t('search.pages')}>
          <a class="btn btn--secondary btn--small" aria-disabled={page <= 1} href={href('/my-requests', { status, page: String(Math.max(1, page - 1)) })}>
            {t('search.previous')}
          </a>
          <span class="pager__status">{t('search.page_of', { page: num(page), pages: num(pages) })}</span>
          <a class="btn btn--secondary btn--small" aria-disabled={page >= pages} href={href('/my-requests', { status, page: String(Math.min(pages, page + 1)) })}>
            {t('search.next')}
          </a>
        </nav>
      )}
    </div>
  );
}
