import { useCallback, useEffect, useState } from 'preact/hooks';

import type { ListPage, User } from '../api';
import { AreaLabel } from '../components/AreaPicker';
import { Pager } from '../components/Pager';
import { ErrorNotice, Loading, errorMessage } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { linkage } from '../linkage';
import type { Candidate, CandidatePerson, CandidateStatus, Conflict, LinkageJob } from '../linkage';
import { PERSON_FIELD_BY_NAME, displayName, fieldKey, formatValue, vocabKey } from '../registry';
import { href } from '../router';
import type { Route } from '../router';
import '../styles/dedup.css';

// #/duplicates?tab=queue|cross&status=pending&page=1 — the deduplication review queue:
// a background job proposes pairs of records that may be the same person; the reviewer compares them
// side by side with the weight each field contributed, then confirms (a merge request is filed for a
// second person to approve) or rejects (remembered). The cross-programme tab lists persons receiving
// two programmes that may not be combined.

const STATUSES: readonly CandidateStatus[] = ['pending', 'confirmed', 'rejected'];
const PAGE_SIZE = 10;
const POLL_MS = 1000;

const SIDE_FIELDS = [
  'given_name_ar',
  'family_name_ar',
  'given_name_lat',
  'family_name_lat',
  'father_name_ar',
  'mother_name_ar',
  'sex',
  'birth_date',
  'birth_commune_code',
  'national_id',
  'phone',
  'relationship',
  'status',
] as const;

function readState(route: Route) {
  const tab = route.params.get('tab') === 'cross' ? 'cross' : 'queue';
  const s = route.params.get('status') ?? '';
  const status: CandidateStatus = (STATUSES as readonly string[]).includes(s) ? (s as CandidateStatus) : 'pending';
  const page = Math.max(1, Number(route.params.get('page')) || 1);
  return { tab, status, page } as const;
}

/** A translated message for `key`, or `fallback` when the catalogue has none. */
function tOr(t: (k: MessageKey) => string, key: string, fallback: string): string {
  const text = t(key as MessageKey);
  return text === key ? fallback : text;
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
      {state.tab === 'queue' ? <QueueTab status={state.status} page={state.page} /> : <CrossTab page={state.page} />}
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
                <bdi dir="ltr">{job.stage}</bdi>
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

function QueueTab({ status, page }: { status: CandidateStatus; page: number }) {
  const { t, num } = useI18n();
  const [list, setList] = useState<ListPage<Candidate> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    linkage
      .candidates(status, PAGE_SIZE, (page - 1) * PAGE_SIZE, ctrl.signal)
      .then(setList)
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, [status, page, attempt]);
  const pages = list ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : 1;
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
        {error !== null && <ErrorNotice error={error} onRetry={reload} />}
        {!list && error === null && <Loading />}
        {list && list.items.length === 0 && (
          <p class="empty" data-testid="queue-empty">
            {t('dedup.queue.empty')}
          </p>
        )}
        {list && list.items.map((c) => <PairCard key={c.id} c={c} />)}
        {list && pages > 1 && (
          <Pager page={page} pages={pages} hrefFor={(p) => href('/duplicates', { status, page: String(p) })} />
        )}
      </section>
    </>
  );
}

function defaultKeep(c: Candidate): number {
  // A head cannot be merged away from the members of their household: keep the head when only one is.
  const aHead = c.a.relationship === 'head';
  const bHead = c.b.relationship === 'head';
  return bHead && !aHead ? c.b.id : c.a.id;
}

function PairCard({ c: initial }: { c: Candidate }) {
  const i18n = useI18n();
  const { t, num, lang, dateTime } = i18n;
  const [c, setC] = useState(initial);
  const [keep, setKeep] = useState<number>(() => defaultKeep(initial));
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'confirm' | 'reject' | null>(null);
  const [error, setError] = useState<unknown>(null);

  const decide = async (what: 'confirm' | 'reject') => {
    setBusy(what);
    setError(null);
    try {
      setC(what === 'confirm' ? await linkage.confirm(c.id, keep, comment) : await linkage.reject(c.id, comment));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const sides: [string, CandidatePerson][] = [
    ['a', c.a],
    ['b', c.b],
  ];
  const fieldsExplained = c.explanation?.fields ?? [];
  return (
    <article class="card pair" data-testid="pair" data-id={c.id} data-a={c.a.id} data-b={c.b.id} data-status={c.status} data-heads={[c.a, c.b].filter((p) => p.relationship === 'head').length}>
      <header class="pair__head">
        <h3 class="pair__title">
          <bdi>{displayName(c.a, lang)}</bdi> ↔ <bdi>{displayName(c.b, lang)}</bdi>
        </h3>
        <span class={`badge badge--band-${c.band}`}>{t(`dedup.band.${c.band}` as MessageKey)}</span>
        <span class="pair__score" data-testid="pair-score">
          {t('dedup.weight')}: <bdi dir="ltr">{num(c.weight, { maximumFractionDigits: 1 })}</bdi> · {t('dedup.probability')}:{' '}
          {num(c.probability, { style: 'percent', maximumFractionDigits: 1 })}
        </span>
      </header>

      <div class="table-wrap">
        <table class="table pair__records" data-testid="pair-records">
          <thead>
            <tr>
              <th scope="col">{t('cr.field')}</th>
              {sides.map(([k, p]) => (
                <th key={k} scope="col">
                  {t(k === 'a' ? 'dedup.record_a' : 'dedup.record_b')} ·{' '}
                  {p.household_id ? (
                    <a href={href(`/households/${p.household_id}`)} data-testid={`household-link-${k}`}>
                      <bdi dir="ltr">{p.household_ref ?? p.household_id}</bdi>
                    </a>
                  ) : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {SIDE_FIELDS.map((f) => {
              const def = PERSON_FIELD_BY_NAME.get(f);
              const show = (p: CandidatePerson) =>
                f === 'status' ? (p.status ? t(vocabKey('status', p.status)) : t('common.none')) : formatValue(i18n, def, (p as Record<string, unknown>)[f]);
              const va = show(c.a);
              const vb = show(c.b);
              return (
                <tr key={f} class={va !== vb ? 'pair__row--differs' : undefined}>
                  <th scope="row">{t(fieldKey(f))}</th>
                  <td>
                    <bdi>{va}</bdi>
                  </td>
                  <td>
                    <bdi>{vb}</bdi>
                  </td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">{t('dedup.commune')}</th>
              <td>{c.a.commune_code ? <AreaLabel code={c.a.commune_code} /> : t('common.none')}</td>
              <td>{c.b.commune_code ? <AreaLabel code={c.b.commune_code} /> : t('common.none')}</td>
            </tr>
          </tbody>
        </table>
      </div>

      {fieldsExplained.length > 0 && (
        <details class="pair__explain" open>
          <summary>{t('dedup.explain')}</summary>
          <div class="table-wrap">
            <table class="table" data-testid="pair-explanation">
              <thead>
                <tr>
                  <th scope="col">{t('dedup.comparison')}</th>
                  <th scope="col">{t('dedup.level')}</th>
                  <th scope="col" class="num">
                    {t('dedup.weight')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {fieldsExplained.map((f) => (
                  <tr key={f.comparison} data-testid="explain-row" data-field={f.comparison}>
                    <th scope="row">{tOr(t, `dedup.cmp.${f.comparison}`, f.comparison)}</th>
                    <td>
                      <bdi dir="ltr">{f.level === 0 ? t('dedup.level_null') : `${f.level} · ${f.label}`}</bdi>
                    </td>
                    <td class={`num weight ${f.weight > 0.05 ? 'weight--pos' : f.weight < -0.05 ? 'weight--neg' : 'weight--zero'}`}>
                      <bdi dir="ltr">
                        {f.weight > 0 ? '+' : ''}
                        {num(f.weight, { maximumFractionDigits: 2 })}
                      </bdi>
                    </td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('dedup.prior')}</th>
                  <td />
                  <td class="num weight weight--neg">
                    <bdi dir="ltr">{num(c.explanation?.prior ?? 0, { maximumFractionDigits: 2 })}</bdi>
                  </td>
                </tr>
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('dedup.total')}</th>
                  <td />
                  <td class={`num weight ${c.weight >= 0 ? 'weight--pos' : 'weight--neg'}`}>
                    <bdi dir="ltr">{num(c.weight, { maximumFractionDigits: 2 })}</bdi>
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        </details>
      )}

      {c.status === 'pending' && c.a.relationship === 'head' && c.b.relationship === 'head' && (
        <div class="notice notice--warning" role="note" data-testid="pair-both-heads">
          {t('dedup.both_heads')}
        </div>
      )}
      {c.status === 'pending' ? (
        <div class="pair__actions">
          <fieldset class="pair__keep">
            <legend>{t('dedup.keep')}</legend>
            {sides.map(([k, p]) => (
              <label key={k} class="checkbox">
                <input type="radio" name={`keep-${c.id}`} value={p.id} checked={keep === p.id} onChange={() => setKeep(p.id)} data-testid={`keep-${k}`} />{' '}
                <span>
                  {t(k === 'a' ? 'dedup.record_a' : 'dedup.record_b')} · <bdi>{displayName(p, lang)}</bdi>
                </span>
              </label>
            ))}
          </fieldset>
          <label class="field pair__comment">
            <span class="field__label">{t('cr.comment')}</span>
            <input class="input" type="text" maxLength={1000} value={comment} onInput={(e) => setComment((e.target as HTMLInputElement).value)} data-testid="pair-comment" />
          </label>
          <div class="pair__buttons">
            <button type="button" class="btn btn--primary" disabled={busy !== null} onClick={() => void decide('confirm')} data-testid="pair-confirm">
              {t('dedup.confirm')}
            </button>
            <button type="button" class="btn btn--secondary" disabled={busy !== null} onClick={() => void decide('reject')} data-testid="pair-reject">
              {t('dedup.reject')}
            </button>
          </div>
          {error !== null && (
            <div class="notice notice--error" role="alert" data-testid="pair-error">
              {errorMessage(t, error)}
            </div>
          )}
        </div>
      ) : (
        <div class={`notice ${c.status === 'confirmed' ? 'notice--info' : 'notice--warning'}`} role="status" data-testid="pair-decided">
          {c.status === 'confirmed' && c.change_request_id ? (
            <p>
              {t('dedup.merge_filed', { id: String(c.change_request_id) })}{' '}
              <a href={href('/change-requests', { status: 'pending', id: String(c.change_request_id) })} data-testid="merge-request-link">
                {t('dedup.open_inbox')}
              </a>
            </p>
          ) : (
            <p>{t('dedup.rejected_note')}</p>
          )}
          {c.decided_by && (
            <p class="muted">
              <bdi dir="ltr">{c.decided_by}</bdi>
              {c.decided_at && <> · {dateTime(c.decided_at)}</>}
              {c.comment && <> · {c.comment}</>}
            </p>
          )}
        </div>
      )}
    </article>
  );
}

// ---------------------------------------------------------------------------------------------------
// Cross-programme check.

function CrossTab({ page }: { page: number }) {
  const { t, num, lang, date } = useI18n();
  const [list, setList] = useState<ListPage<Conflict> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    linkage
      .conflicts('asd_family_allowances', 50, (page - 1) * 50, ctrl.signal)
      .then(setList)
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, [page, attempt]);
  const pages = list ? Math.max(1, Math.ceil(list.total / 50)) : 1;
  return (
    <section class="section" aria-labelledby="cross-title" data-testid="cross-tab">
      <h2 class="section__title" id="cross-title">
        {t('dedup.cross.rule')} {list && <span class="muted">({num(list.total)})</span>}
      </h2>
      <p class="muted">{t('dedup.cross.intro')}</p>
      {error !== null && <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />}
      {!list && error === null && <Loading />}
      {list && list.items.length === 0 && (
        <p class="empty" data-testid="cross-empty">
          {t('dedup.cross.empty')}
        </p>
      )}
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
