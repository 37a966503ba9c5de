import { useState } from 'preact/hooks';
import { registry } from '../api';
import type { ChangeStatus, User } from '../api';
import { AreaLabel } from '../components/AreaPicker';
import { Pager, pageCount } from '../components/Pager';
import { useLoaded } from '../components/listState';
import { KindCell, STATUSES, StatusTabs, kindLabel } from '../components/review/RequestList';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { ListStatus } from '../components/ListStatus';
import { useI18n } from '../i18n';
import { canApprove } from '../registry';
import { href, navigate } from '../router';
import type { Route } from '../router';
import { Decision, Warnings, WithdrawButton } from '../components/RequestOutcome';
import { Diff } from '../components/review/RequestDiff';
import { ReviewForm } from '../components/review/ReviewForm';

const PAGE_SIZE = 50;

function readState(route: Route) {
  const s = route.params.get('status');
  const status: ChangeStatus = (STATUSES as readonly string[]).includes(s ?? '') ? (s as ChangeStatus) : 'pending';
  const id = route.params.get('id');
  const page = Math.max(1, Number(route.params.get('page')) || 1);
  return { status, id: id && /^\d+$/.test(id) ? id : undefined, page };
}

/** #/change-requests?status=pending&id=12 */
export function ChangeRequestsPage({ route, user }: { route: Route; user: User }) {
  const { t } = useI18n();
  const state = readState(route);
  return (
    <div class="page" data-testid="inbox-page">
      <header class="page__header">
        <h1 class="page__title">{t('cr.title')}</h1>
        <p class="page__intro">{t('cr.intro')}</p>
      </header>
      {state.id ? (
        <RequestDetail key={state.id} id={state.id} user={user} status={state.status} />
      ) : (
        <RequestList status={state.status} page={state.page} />
      )}
    </div>
  );
}

function RequestList({ status, page }: { status: ChangeStatus; page: number }) {
  const { t, dateTime } = useI18n();
  const { data: list, error, reload } = useLoaded((signal) => registry.changeRequests({ status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, signal), `${status}/${page}`);
  const pages = list ? pageCount(list.total, PAGE_SIZE) : 1;
  return (
    <>
      <StatusTabs path="/change-requests" current={status} testid="status" />
      <ListStatus list={list} error={error} onRetry={reload} empty={t('cr.empty')} emptyTestid="inbox-empty" />
      {list && list.items.length > 0 && (
        <div class="table-wrap">
          <table class="table table--interactive" data-testid="inbox-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('cr.col.kind')}</th>
                <th scope="col">{t('cr.col.summary')}</th>
                <th scope="col">{t('cr.col.area')}</th>
                <th scope="col">{t('cr.col.author')}</th>
                <th scope="col">{t('cr.col.created')}</th>
                {status !== 'pending' && <th scope="col">{t('cr.col.reviewer')}</th>}
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => {
                const open = () => navigate('/change-requests', { status, id: String(c.id) });
                return (
                  <tr key={c.id} data-testid="inbox-row" data-id={c.id} data-kind={c.kind} onClick={open}>
                    <td>
                      <a href={href('/change-requests', { status, id: String(c.id) })} onClick={(e) => e.stopPropagation()} data-testid="inbox-link">
                        {c.id}
                      </a>
                    </td>
                    <KindCell cr={c} conflicts />
                    <td>{c.summary}</td>
                    <td>
                      <AreaLabel code={c.area_code} />
                    </td>
                    <td>
                      <bdi dir="ltr">{c.author}</bdi>
                    </td>
                    <td>{dateTime(c.created_at)}</td>
                    {status !== 'pending' && (
                      <td>
                        <bdi dir="ltr">{c.reviewer ?? ''}</bdi>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list && pages > 1 && (
        <Pager page={page} pages={pages} hrefFor={(p) => href('/change-requests', { status, page: String(p) })} />
      )}
    </>
  );
}

function RequestDetail({ id, user, status }: { id: string; user: User; status: ChangeStatus }) {
  const { t, dateTime } = useI18n();
  const [mergeFiled, setMergeFiled] = useState<number | null>(null);
  // The request stays on screen while it is read again after a decision.
  const { data: cr, setData: setCr, error, reload } = useLoaded((signal) => registry.changeRequest(id, signal), id, false);

  const back = (
    <p>
      <a href={href('/change-requests', { status })} data-testid="back-to-list">
        {t('cr.back')}
      </a>
    </p>
  );
  if (error) return (<>{back}<ErrorNotice error={error} onRetry={reload} /></>);
  if (!cr) return (<>{back}<Loading /></>);
  return (
    <>
      {back}
      <section class="card cr-detail" data-testid="cr-detail" data-id={cr.id} data-status={cr.status}>
        <div class="cr-detail__head">
          <h2 class="cr-detail__title">
            <span class="badge">{kindLabel(t, cr.kind)}</span> #{cr.id}
          </h2>
          <span class={`badge badge--${cr.status}`} data-testid="cr-status">
            {t(`cr.status.${cr.status}`)}
          </span>
        </div>
        <p class="cr-detail__summary">{cr.summary}</p>
        <dl class="facts facts--compact">
          <div class="facts__item">
            <dt>{t('cr.col.author')}</dt>
            <dd><bdi dir="ltr">{cr.author}</bdi></dd>
          </div>
          <div class="facts__item">
            <dt>{t('cr.col.created')}</dt>
            <dd>{dateTime(cr.created_at)}</dd>
          </div>
          <div class="facts__item">
            <dt>{t('cr.col.area')}</dt>
            <dd><AreaLabel code={cr.area_code} /></dd>
          </div>
          {cr.status !== 'pending' && (
            <div class="facts__item facts__item--wide">
              <dt>{t('cr.col.decision')}</dt>
              <dd>
                <Decision cr={cr} />
                <p class="muted">{t('cr.decision_final')}</p>
              </dd>
            </div>
          )}
        </dl>
        {cr.status === 'pending' && !(canApprove(user.roles) && cr.author !== user.username) && <Warnings warnings={cr.warnings} />}
        {cr.status === 'pending' && cr.author === user.username && (
          <div class="actions-row">
            <WithdrawButton cr={cr} onWithdrawn={(updated) => setCr({ ...cr, ...updated, payload: cr.payload, current: cr.current })} />
          </div>
        )}
        {cr.conflicts_with.length > 0 && cr.status === 'pending' && (
          <div class="notice notice--warning" role="note" data-testid="conflicts-notice">
            <p>{t('cr.conflicts_with', { ids: cr.conflicts_with.map((x) => `#${x}`).join(', ') })}</p>
            <p>
              {cr.conflicts_with.map((x) => (
                <a key={x} class="conflict-link" href={href('/change-requests', { status: 'pending', id: String(x) })}>
                  #{x}
                </a>
              ))}
            </p>
          </div>
        )}
      </section>

      <section class="section" aria-labelledby="cr-diff">
        <h2 class="section__title" id="cr-diff">
          {t('cr.diff')}
        </h2>
        <Diff cr={cr} />
      </section>

      {mergeFiled !== null && (
        <div class="notice notice--info" role="status" data-testid="merge-filed">
          <p>{t('cr.nid.merge_filed', { id: mergeFiled })}</p>
          <a href={href('/change-requests', { status: 'pending', id: String(mergeFiled) })}>{t('cr.open')}</a>
        </div>
      )}
      {cr.status === 'pending' && canApprove(user.roles) && (
        <ReviewForm
          cr={cr}
          user={user}
          onReviewed={(c, merge) => {
            setCr(c);
            if (merge !== undefined) setMergeFiled(merge);
          }}
        />
      )}
    </>
  );
}
