import { useEffect, useRef, useState } from 'preact/hooks';
import { api, AUDIT_SORTS } from '../api';
import type { AuditQuery, VerifyJob } from '../api';
import { DateInput } from '../components/DateInput';
import { ErrorNotice, FieldError } from '../components/ErrorNotice';
import { ListStatus } from '../components/ListStatus';
import { ListPager } from '../components/Pager';
import { SortHeader } from '../components/SortHeader';
import { listParams, listQuery, readListState, useLoaded } from '../components/listState';
import { hasText, useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { navigate } from '../router';
import type { Route } from '../router';

const FILTERS = ['user', 'action', 'record_type', 'record_id', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Record<Filter, string>;

const DEFAULT_PAGE_SIZE = 25;

/** #/audit?user=…&action=…&record_type=…&record_id=…&from=…&to=…&page=2&size=50&sort=-username */
function readState(route: Route) {
  const p = route.params;
  const filters = Object.fromEntries(FILTERS.map((k) => [k, p.get(k) ?? ''])) as Filters;
  return { filters, ...readListState(p, AUDIT_SORTS, DEFAULT_PAGE_SIZE) };
}

type State = ReturnType<typeof readState>;

function go(s: State): void {
  navigate('/audit', { ...s.filters, ...listParams(s, DEFAULT_PAGE_SIZE) });
}

const POLL_MS = 500;

/** Whether the job may still change (it is polled until it has ended). */
function pending(job: VerifyJob | null): boolean {
  return job?.status === 'queued' || job?.status === 'running';
}

function Verify() {
  const { t, num } = useI18n();
  const [job, setJob] = useState<VerifyJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      setJob(await api.verifyAudit());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const cancel = async () => {
    if (!job) return;
    setError(null);
    try {
      setJob(await api.cancelVerification(job.id));
    } catch (e) {
      setError(e);
    }
  };
  const polling = pending(job);
  useEffect(() => {
    if (!polling || !job) return undefined;
    const ctrl = new AbortController();
    const timer = window.setInterval(() => {
      api
        .verification(job.id, ctrl.signal)
        .then((j) => !ctrl.signal.aborted && setJob(j))
        .catch((e) => !ctrl.signal.aborted && setError(e));
    }, POLL_MS);
    return () => {
      ctrl.abort();
      window.clearInterval(timer);
    };
  }, [polling, job?.id]);

  const report = job?.status === 'succeeded' ? job.report : null;
  // The reason in the page's language from the catalogue; the server's rendering when the page has no text.
  const reason = report?.reason
    ? hasText(report.reason)
      ? t(report.reason as MessageKey, report.params)
      : (report.message ?? '')
    : '';
  return (
    <section class="card" aria-labelledby="audit-verify">
      <h2 class="section__title" id="audit-verify">
        {t('audit.verify_title')}
      </h2>
      <p class="page__intro">{t('audit.verify_intro')}</p>
      <div class="actions-row">
        <button type="button" class="btn btn--primary" disabled={busy || polling} data-testid="audit-verify" onClick={run}>
          {busy || polling ? t('audit.verifying') : t('audit.verify')}
        </button>
        {polling && (
          <button type="button" class="btn" data-testid="audit-verify-cancel" onClick={cancel}>
            {t('audit.verify_cancel')}
          </button>
        )}
      </div>
      {error !== null && <ErrorNotice error={error} />}
      {job && polling && (
        <div class="progress-block" role="status" data-testid="audit-verify-progress">
          {job.progress.total > 0 ? (
            <progress class="progress" max={job.progress.total} value={job.progress.done} aria-label={t('audit.verify_title')} />
          ) : (
            <progress class="progress" aria-label={t('audit.verify_title')} />
          )}
          <span>
            {job.status === 'queued'
              ? t('audit.verify_queued')
              : t('audit.verify_progress', { done: num(job.progress.done), total: num(job.progress.total) })}
          </span>
        </div>
      )}
      {report && (
        <div class={`notice ${report.ok ? 'notice--info' : 'notice--error'}`} role="status" data-testid="audit-verify-report" data-ok={String(report.ok)}>
          {report.ok
            ? t('audit.verify_ok', { checked: num(report.checked) })
            : `${t('audit.verify_broken', { id: num(report.first_broken_id ?? 0, { useGrouping: false }) })} ${reason}`}
        </div>
      )}
      {job?.status === 'failed' && (
        <div class="notice notice--error" role="alert" data-testid="audit-verify-failed">
          {job.error ?? t('audit_verify.failed', { id: String(job.id) })}
        </div>
      )}
      {job?.status === 'cancelled' && (
        <div class="notice notice--info" role="status" data-testid="audit-verify-cancelled">
          {t('audit.verify_cancelled')}
        </div>
      )}
    </section>
  );
}

/** #/audit: auditors browse and filter the audit log and check its chain of hashes. */
export function AuditPage({ route }: { route: Route }) {
  const { t, dateTime, num } = useI18n();
  const state = readState(route);
  const [form, setForm] = useState<Filters>(state.filters);
  const key = JSON.stringify(state);
  // The form follows the address when it changes from elsewhere (back button, a link), not when it changes
  // because this form was submitted: the effect runs after the new route renders, and resetting then would
  // undo what was typed in between.
  const submitted = useRef<string | null>(null);
  useEffect(() => {
    if (JSON.stringify(state.filters) !== submitted.current) setForm(state.filters);
    submitted.current = null;
  }, [JSON.stringify(state.filters)]);
  const { data: list, error } = useLoaded((signal) => {
    const q: AuditQuery = listQuery(state);
    for (const k of FILTERS) if (state.filters[k]) q[k] = state.filters[k];
    return api.audit(q, signal);
  }, key);
  const th = (column: (typeof AUDIT_SORTS)[number], label: string) => (
    <SortHeader column={column} label={label} sort={state.sort} onSort={(sort) => go({ ...state, sort, page: 1 })} />
  );
  const text = (k: Filter, label: string) => (
    <div class="toolbar__group">
      <label class="toolbar__label" for={`audit-${k}`}>
        {label}
      </label>
      <input id={`audit-${k}`} class="input" dir="auto" value={form[k]} data-testid={`audit-${k}`} onInput={(e) => setForm({ ...form, [k]: e.currentTarget.value })} />
      <FieldError error={error} field={k} />
    </div>
  );
  const day = (k: 'from' | 'to', label: string) => (
    <div class="toolbar__group">
      <label class="toolbar__label" for={`audit-${k}`}>
        {label}
      </label>
      <DateInput id={`audit-${k}`} value={form[k]} testid={`audit-${k}`} onChange={(iso) => setForm({ ...form, [k]: iso })} />
      <FieldError error={error} field={k} />
    </div>
  );
  return (
    <div class="page" data-testid="audit-page">
      <header class="page__header">
        <h1 class="page__title">{t('nav.audit')}</h1>
        <p class="page__intro">{t('audit.intro')}</p>
      </header>
      <Verify />
      <form
        class="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          submitted.current = JSON.stringify(form);
          go({ ...state, filters: form, page: 1 });
        }}
      >
        {text('user', t('audit.user'))}
        {text('action', t('audit.action'))}
        {text('record_type', t('audit.record_type'))}
        {text('record_id', t('audit.record_id'))}
        {day('from', t('audit.from'))}
        {day('to', t('audit.to'))}
        <button type="submit" class="btn btn--primary" data-testid="audit-filter">
          {t('audit.filter')}
        </button>
      </form>
      <ListStatus list={list} error={error} onRetry={() => go({ ...state })} />
      {list && (
        <section class="card" aria-labelledby="audit-results">
          <h2 class="results__title" id="audit-results" data-testid="audit-count">
            {list.total === 0 ? t('audit.none') : t('audit.count', { total: num(list.total) })}
          </h2>
          {list.items.length > 0 && (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    {th('at', t('audit.at'))}
                    {th('username', t('audit.user'))}
                    {th('action', t('audit.action'))}
                    {th('record_type', t('audit.record'))}
                    <th scope="col">{t('audit.address')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((e) => (
                    <tr key={e.id} data-testid="audit-row">
                      <td>{dateTime(e.at)}</td>
                      <td>
                        <bdi dir="ltr">{e.username ?? t('common.none')}</bdi>
                      </td>
                      <td>
                        <bdi class="code" dir="ltr">
                          {e.action}
                        </bdi>
                      </td>
                      <td>
                        <bdi class="code" dir="ltr">
                          {[e.record_type, e.record_id].filter(Boolean).join(' ') || t('common.none')}
                        </bdi>
                      </td>
                      <td>
                        <bdi class="code" dir="ltr">
                          {e.ip ?? ''}
                        </bdi>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <ListPager state={state} total={list.total} go={go} />
        </section>
      )}
    </div>
  );
}
