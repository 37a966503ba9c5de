import { useState } from 'preact/hooks';
import { registry } from '../api';
import type { ChangeRequest, ChangeStatus } from '../api';
import { ListStatus } from '../components/ListStatus';
import { Pager, pageCount } from '../components/Pager';
import { useLoaded } from '../components/listState';
import { KindCell, STATUSES, StatusTabs } from '../components/review/RequestList';
import { useI18n } from '../i18n';
import { href } from '../router';
import type { Route } from '../router';
import { Decision, WithdrawButton } from '../components/RequestOutcome';
import '../styles/authors.css';

const PAGE_SIZE = 50;

function readState(route: Route) {
  const s = route.params.get('status');
  const status = (STATUSES as readonly string[]).includes(s ?? '') ? (s as ChangeStatus) : null;
  const page = Math.max(1, Number(route.params.get('page')) || 1);
  return { status, page };
}

/** #/my-requests?status=rejected — the requests the signed-in user filed, and what became of them. */
export function MyRequestsPage({ route }: { route: Route }) {
  const { t, dateTime } = useI18n();
  const { status, page } = readState(route);
  const [withdrawn, setWithdrawn] = useState<number | null>(null);
  const { data: list, setData: setList, error, reload } = useLoaded(
    (signal) => registry.myRequests({ ...(status ? { status } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, signal),
    `${status}/${page}`,
  );

  const onWithdrawn = (cr: ChangeRequest) => {
    setWithdrawn(cr.id);
    setList((l) => (l ? { ...l, items: l.items.map((x) => (x.id === cr.id ? { ...x, ...cr } : x)) } : l));
  };
  const pages = list ? pageCount(list.total, PAGE_SIZE) : 1;

  return (
    <div class="page" data-testid="my-requests-page">
      <header class="page__header">
        <h1 class="page__title">{t('my.title')}</h1>
        <p class="page__intro">{t('my.intro')}</p>
      </header>
      <StatusTabs path="/my-requests" current={status} all="my.all" testid="my-status" />
      {withdrawn !== null && (
        <div class="notice notice--info" role="status" data-testid="withdrawn-notice">
          <p>{t('cr.withdrawn_notice', { id: withdrawn })}</p>
        </div>
      )}
      <ListStatus list={list} error={error} onRetry={reload} empty={t('my.empty')} emptyTestid="my-empty" />
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
                  <KindCell cr={c} />
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
      {list && pages > 1 && <Pager page={page} pages={pages} hrefFor={(p) => href('/my-requests', { status, page: String(p) })} />}
    </div>
  );
}
