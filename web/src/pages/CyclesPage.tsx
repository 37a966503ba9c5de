import { useEffect, useState } from 'preact/hooks';
import { cyclesApi, programsApi } from '../api';
import type { Cycle, CycleJob, Program } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { ListStatus } from '../components/ListStatus';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { I18n } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';

const STATES = ['draft', 'approved', 'paid', 'closed'] as const;

/** An amount in minor units (centimes, santimes) as money in the page's language. */
export function money(i18n: I18n, minor: number, currency: string): string {
  return i18n.num(minor / 100, { style: 'currency', currency, minimumFractionDigits: 2 });
}

export function programmeName(lang: string, programmes: Program[] | null, code: string): string {
  const p = programmes?.find((x) => x.code === code);
  if (!p) return code;
  return lang === 'ar' ? p.name_ar : lang === 'fr' ? p.name_fr : p.name_en;
}

function nextMonth(): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 7);
}

/** Generate form: programme and month; follows the job until the cycle exists, then opens it. */
function GeneratePanel({ programmes, initial }: { programmes: Program[]; initial: string }) {
  const { t, num, lang } = useI18n();
  const [code, setCode] = useState(initial || programmes[0]?.code || 'ASD');
  const [period, setPeriod] = useState(nextMonth);
  const [job, setJob] = useState<CycleJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!job || job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') return;
    const timer = setTimeout(() => {
      cyclesApi.job(job.id).then(setJob, setError);
    }, 400);
    return () => clearTimeout(timer);
  }, [job]);
  useEffect(() => {
    if (job?.state === 'succeeded' && job.cycle_id) navigate(`/cycles/${job.cycle_id}`);
  }, [job]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const out = await cyclesApi.generate(code, period);
      if (out.cycle) navigate(`/cycles/${out.cycle.id}`);
      else if (out.job) setJob(out.job);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const running = job && (job.state === 'queued' || job.state === 'running');

  return (
    <section class="card form-section" data-testid="cycle-generate">
      <h2 class="section__title">{t('cycles.generate')}</h2>
      <p class="muted">{t('cycles.generate_intro')}</p>
      <form class="form-grid" onSubmit={submit}>
        <label class="field">
          <span class="field__label">{t('cycles.programme')}</span>
          <select class="input" value={code} data-testid="cycle-programme" onChange={(e) => setCode(e.currentTarget.value)}>
            {programmes.map((p) => (
              <option key={p.code} value={p.code}>
                {programmeName(lang, programmes, p.code)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field__label">{t('cycles.period')}</span>
          <input class="input" type="month" required value={period} data-testid="cycle-period" onInput={(e) => setPeriod(e.currentTarget.value)} />
        </label>
        <div class="actions-row">
          <button type="submit" class="btn btn--primary" disabled={busy || !!running} data-testid="cycle-generate-submit">
            {t('cycles.generate_submit')}
          </button>
        </div>
      </form>
      {running && (
        <div class="progress-block" data-testid="cycle-job-progress">
          <progress class="progress" aria-label={t('cycles.generate')} max={job.progress_total || undefined} value={job.progress_total ? job.progress_done : undefined} />
          <span>
            <bdi>{job.stage_text ?? t('cycles.queued')}</bdi>
            {job.progress_total > 0 && ` — ${num(job.progress_done)} / ${num(job.progress_total)}`}
          </span>
        </div>
      )}
      {job?.state === 'failed' && (
        <div class="notice notice--error" role="alert" data-testid="cycle-job-failed">
          <p>{job.error ?? t('error.server')}</p>
        </div>
      )}
      {error !== null && <ErrorNotice error={error} />}
    </section>
  );
}

/** #/cycles?programme=ASD&state=draft — the cycles of each programme, and generating a new one. */
export function CyclesPage({ route, canManage }: { route: Route; canManage: boolean }) {
  const i18n = useI18n();
  const { t, lang, date } = i18n;
  const programme = route.params.get('programme') ?? '';
  const state = route.params.get('state') ?? '';
  const { data: programmes } = useLoaded(() => programsApi.list().then((r) => r.items), 'programmes', false);
  const { data: list, error, reload } = useLoaded(
    (signal) => cyclesApi.list({ ...(programme ? { programme } : {}), ...(state ? { state } : {}) }, signal),
    `${programme}/${state}`,
  );

  return (
    <div class="page" data-testid="cycles-page">
      <header class="page__header">
        <h1 class="page__title">{t('cycles.title')}</h1>
        <p class="page__intro">{t('cycles.intro')}</p>
      </header>
      {canManage && programmes && <GeneratePanel programmes={programmes} initial={programme} />}
      <div class="toolbar">
        <label class="toolbar__group">
          <span class="toolbar__label">{t('cycles.programme')}</span>
          <select class="input" value={programme} data-testid="cycles-filter-programme" onChange={(e) => navigate('/cycles', { programme: e.currentTarget.value, state })}>
            <option value="">{t('cycles.all')}</option>
            {(programmes ?? []).map((p) => (
              <option key={p.code} value={p.code}>
                {programmeName(lang, programmes, p.code)}
              </option>
            ))}
          </select>
        </label>
        <label class="toolbar__group">
          <span class="toolbar__label">{t('cycles.state')}</span>
          <select class="input" value={state} data-testid="cycles-filter-state" onChange={(e) => navigate('/cycles', { programme, state: e.currentTarget.value })}>
            <option value="">{t('cycles.all')}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`cycles.state.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ListStatus list={list} error={error} onRetry={reload} empty={t('cycles.empty')} emptyTestid="cycles-empty" />
      {list && list.items.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="cycles-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('cycles.programme')}</th>
                <th scope="col">{t('cycles.period')}</th>
                <th scope="col">{t('cycles.state')}</th>
                <th scope="col">{t('cycles.eligible')}</th>
                <th scope="col">{t('cycles.total')}</th>
                <th scope="col">{t('cycles.generated')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c: Cycle) => (
                <tr key={c.id} data-testid="cycle-row" data-id={c.id} data-state={c.state}>
                  <td>
                    <a href={href(`/cycles/${c.id}`)} data-testid="cycle-link">
                      {c.id}
                    </a>
                  </td>
                  <td>{programmeName(lang, programmes, c.programme)}</td>
                  <td>
                    <bdi>{c.period}</bdi>
                  </td>
                  <td>
                    <span class={`badge badge--${c.state}`}>{t(`cycles.state.${c.state}`)}</span>
                  </td>
                  <td class="num">{i18n.num(c.households_eligible)}</td>
                  <td class="num">
                    <bdi>{money(i18n, c.total_minor, c.currency)}</bdi>
                  </td>
                  <td>
                    <bdi>{c.generated_by}</bdi> · {date(c.generated_at)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
