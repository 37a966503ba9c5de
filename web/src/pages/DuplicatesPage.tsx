import { useEffect, useState } from 'preact/hooks';

import type { User } from '../api';
import { AreaLabel } from '../components/AreaPicker';
import { ListPager, PAGE_SIZES, Pager, pageCount } from '../components/Pager';
import { SortBar } from '../components/SortHeader';
import { listParams, listQuery, readListState, useLoaded } from '../components/listState';
import type { ListState } from '../components/listState';
import { ErrorNotice } from '../components/ErrorNotice';
import { ListStatus } from '../components/ListStatus';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { CANDIDATE_SORTS, linkage } from '../linkage';
import type { CandidateStatus, LinkageJob } from '../linkage';
import { displayName, fieldKey } from '../registry';
import { href, navigate } from '../router';
import type { Route } from '../router';
import '../styles/dedup.css';
import { PairCard } from './DuplicatePairCard';

// #/duplicates?tab=queue|cross&status=pending&page=1&size=25&sort=-created_at — the deduplication review queue:
// a background job proposes pairs of records that may be the same person; the reviewer compares them
// side by side with the weight each field contributed, then confirms (a merge request is filed for a
// second person to approve) or marks them different persons (with a comment; undoable). The pair card is in
// DuplicatePairCard.tsx. The cross-programme tab lists persons receiving
// two programmes that may not be combined.

const STATUSES: readonly CandidateStatus[] = ['pending', 'confirmed', 'rejected'];
const PAGE_SIZE = 10;
const POLL_MS = 1000;

function readState(route: Route) {
  const tab = route.params.get('tab') === 'cross' ? 'cross' : 'queue';
  const s = route.params.get('status') ?? '';
  const status: CandidateStatus = (STATUSES as readonly string[]).includes(s) ? (s as CandidateStatus) : 'pending';
  return { tab, status, ...readListState(route.params, CANDIDATE_SORTS, PAGE_SIZE) } as const;
}

type QueueState = ListState & { status: CandidateStatus };

function goQueue(s: QueueState): void {
  navigate('/duplicates', { status: s.status !== 'pending' ? s.status : undefined, ...listParams(s, PAGE_SIZE) });
}

export function DuplicatesPage({ route }: { route: Route; user: User }) {
  const { t } = useI18n();
  const state = readState(route);
  return (
    <div class="page" data-testid="duplicates-page">
      <header class="page__header">
        <h1 class="page__title">{t('dedup.title')}</h1>
        <p class="page__intro">{t('dedup.intro')}</p>
      </header>
      <div class="tabs" role="group" aria-label={t('dedup.title')}>
        <a class="tabs__item" href={href('/duplicates')} aria-current={state.tab === 'queue' ? 'true' : undefined} data-testid="tab-queue">
          {t('dedup.tab.queue')}
        </a>
        <a class="tabs__item" href={href('/duplicates', { tab: 'cross' })} aria-current={state.tab === 'cross' ? 'true' : undefined} data-testid="tab-cross">
          {t('dedup.tab.cross')}
        </a>
      </div>
      {state.tab === 'queue' ? <QueueTab state={state} /> : <CrossTab page={state.page} />}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------
// Job panel: start, live progress (polled), cancel.

function JobPanel({ onFinished }: { onFinished: () => void }) {
  const { t, num, dateTime } = useI18n();
  const [job, setJob] = useState<LinkageJob | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    linkage
      .jobs(ctrl.signal)
      .then((page) => {
        setJob(page.items[0] ?? null);
        setLoaded(true);
      })
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, []);

  const running = job?.status === 'running';
  useEffect(() => {
    if (!running || !job) return undefined;
    let stopped = false;
    const timer = window.setInterval(() => {
      linkage
        .job(job.id)
        .then((j) => {
          if (stopped) return;
          setJob(j);
          if (j.status !== 'running') onFinished();
        })
        .catch(() => undefined);
    }, POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [running, job?.id]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setJob(await linkage.startJob());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const cancel = async () => {
    if (!job) return;
    setBusy(true);
    setError(null);
    try {
      setJob(await linkage.cancelJob(job.id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card job-panel" aria-labelledby="job-title" data-testid="job-panel" data-status={job?.status ?? 'none'}>
      <div class="job-panel__head">
        <h2 class="card__title" id="job-title">
          {t('dedup.job.title')}
        </h2>
        {running ? (
          <button type="button" class="btn btn--secondary" disabled={busy} onClick={() => void cancel()} data-testid="job-cancel">
            {t('dedup.job.cancel')}
          </button>
        ) : (
          <button type="button" class="btn btn--primary" disabled={busy || !loaded} onClick={() => void start()} data-testid="job-start">
            {t('dedup.job.start')}
          </button>
        )}
      </div>
      {error !== null && <ErrorNotice error={error} />}
      {loaded && !job && <p class="muted">{t('dedup.job.none')}</p>}
      {job && (
        <>
          <p>
            <span class={`badge badge--job-${job.status}`} data-testid="job-status">
              {t(`dedup.job.status.${job.status}` as MessageKey)}
            </span>{' '}
            <span class="muted">
              #{job.id} · <bdi dir="ltr">{job.started_by}</bdi> · {dateTime(job.started_at)}
            </span>
          </p>
          {running && (
            <div class="progress-block" data-testid="job-progress">
              <progress class="progress" aria-label={t('dedup.job.title')} />
              <span>
                <bdi>{job.stage_text ?? job.stage}</bdi>
              </span>
            </div>
          )}
          <dl class="facts facts--compact">
            <div class="facts__item">
              <dt>{t('dedup.job.records')}</dt>
              <dd data-testid="job-records">{num(job.records)}</dd>
            </div>
            <div class="facts__item">
              <dt>{t('dedup.job.pairs')}</dt>
              <dd>{num(job.pairs_compared)}</dd>
            </div>
            {job.status === 'done' && (
              <>
                <div class="facts__item">
                  <dt>{t('dedup.job.candidates')}</dt>
                  <dd>{num(job.candidate_pairs)}</dd>
                </div>
                <div class="facts__item">
                  <dt>{t('dedup.job.proposed')}</dt>
                  <dd data-testid="job-proposed">{num(job.proposed)}</dd>
                </div>
              </>
            )}
            <div class="facts__item">
              <dt>{t('dedup.job.seconds')}</dt>
              <dd>{num(job.seconds, { maximumFractionDigits: 1 })}</dd>
            </div>
            {job.area_code && (
              <div class="facts__item">
                <dt>{t('dedup.job.area')}</dt>
                <dd>
                  <AreaLabel code={job.area_code} />
                </dd>
              </div>
            )}
          </dl>
          {job.status === 'failed' && job.error && (
            <div class="notice notice--error" role="alert" data-testid="job-error">
              {job.error}
            </div>
          )}
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------
// Review queue.

function QueueTab({ state }: { state: QueueState }) {
  const { t, num } = useI18n();
  const { status } = state;
  // The cards stay on screen while the queue is read again after a job.
  const { data: list, error, reload } = useLoaded((signal) => linkage.candidates({ status, ...listQuery(state) }, signal), JSON.stringify(state), false);
  return (
    <>
      <JobPanel onFinished={reload} />
      <section class="section" aria-labelledby="queue-title">
        <h2 class="section__title" id="queue-title">
          {t('dedup.queue.title')} {list && <span class="muted" data-testid="queue-total">({num(list.total)})</span>}
        </h2>
        <div class="tabs tabs--small" role="group" aria-label={t('cr.status_filter')}>
          {STATUSES.map((s) => (
            <a key={s} class="tabs__item" href={href('/duplicates', { status: s })} aria-current={s === status ? 'true' : undefined} data-testid={`queue-status-${s}`}>
              {t(`dedup.status.${s}` as MessageKey)}
            </a>
          ))}
        </div>
        {list && list.total > 1 && (
          <SortBar
            columns={[
              { column: 'score', label: t('dedup.sort.score') },
              { column: 'created_at', label: t('dedup.sort.created') },
            ]}
            sort={state.sort}
            onSort={(sort) => goQueue({ ...state, sort, page: 1 })}
          />
        )}
        <ListStatus list={list} error={error} onRetry={reload} empty={t('dedup.queue.empty')} emptyTestid="queue-empty" />
        {list && list.items.map((c) => <PairCard key={c.id} c={c} />)}
        {list && list.total > PAGE_SIZES[0] && <ListPager state={state} total={list.total} go={goQueue} />}
      </section>
    </>
  );
}


// ---------------------------------------------------------------------------------------------------
// Cross-programme check.

function CrossTab({ page }: { page: number }) {
  const { t, num, lang, date } = useI18n();
  const { data: list, error, reload } = useLoaded((signal) => linkage.conflicts('asd_family_allowances', 50, (page - 1) * 50, signal), String(page), false);
  const pages = list ? pageCount(list.total, 50) : 1;
  return (
    <section class="section" aria-labelledby="cross-title" data-testid="cross-tab">
      <h2 class="section__title" id="cross-title">
        {t('dedup.cross.rule')} {list && <span class="muted">({num(list.total)})</span>}
      </h2>
      <p class="muted">{t('dedup.cross.intro')}</p>
      <ListStatus list={list} error={error} onRetry={reload} empty={t('dedup.cross.empty')} emptyTestid="cross-empty" />
      {list && list.items.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="cross-table">
            <thead>
              <tr>
                <th scope="col">{t('dedup.cross.person')}</th>
                <th scope="col">{t(fieldKey('national_id'))}</th>
                <th scope="col">{t('dedup.cross.household')}</th>
                <th scope="col">{t('dedup.commune')}</th>
                <th scope="col">{t('dedup.cross.asd')}</th>
                <th scope="col">{t('dedup.cross.other')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <tr key={c.person_id} data-testid="cross-row" data-id={c.person_id}>
                  <td>
                    <bdi>{displayName(c as never, lang)}</bdi>
                  </td>
                  <td>
                    <bdi dir="ltr">{c.national_id ?? t('common.none')}</bdi>
                  </td>
                  <td>
                    <a href={href(`/households/${c.household_id}`)}>
                      <bdi dir="ltr">{c.household_ref}</bdi>
                    </a>
                  </td>
                  <td>
                    <AreaLabel code={c.commune_code} />
                  </td>
                  <td>
                    {num(c.programme_payments)} · {c.programme_last_date ? date(c.programme_last_date) : t('common.none')}
                  </td>
                  <td>
                    {c.other_sources
                      .map((s) => (s.kind === 'registry' ? t('dedup.cross.source_registry') : t('dedup.cross.source_list', { name: s.name ?? '' })))
                      .join(t('common.list_separator'))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list && pages > 1 && (
        <Pager page={page} pages={pages} hrefFor={(p) => href('/duplicates', { tab: 'cross', page: String(p) })} />
      )}
    </section>
  );
}
