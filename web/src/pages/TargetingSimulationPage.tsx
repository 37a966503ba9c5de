import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { programsApi, targetingApi } from '../api';
import type { Area, Program, ScenarioMeasures, TargetingJob, TargetingResult, TargetingRow, User } from '../api';
import { areaName, countryOfCode } from '../areas';
import { useRegions } from '../components/AreaPicker';
import { BarChart } from '../components/BarChart';
import { ErrorNotice, FieldError, Loading } from '../components/ErrorNotice';
import { langInfo, useI18n } from '../i18n';
import { parseDecimal } from '../numbers';
import '../styles/targeting.css';

// #/targeting: a targeting unit tries candidate parameters of a programme (its index threshold, its
// amounts) against the registry and compares them with the current ones, by region: coverage, cost,
// and inclusion and exclusion errors measured against the synthetic registry's latent consumption
// (docs/targeting-simulation.md). The server runs the simulation as a job; the page polls it.

const POLL_MS = 700;
const FIRST_YEAR = 2023;
const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];

function currentMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

function pending(job: TargetingJob | null): boolean {
  return job?.status === 'queued' || job?.status === 'running';
}

export function TargetingSimulationPage({ user }: { user: User }) {
  const { t, lang, num } = useI18n();
  const [programs, setPrograms] = useState<Program[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const [period, setPeriod] = useState(currentMonth);
  const [current, setCurrent] = useState<Record<string, number> | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [line, setLine] = useState('');
  const [defaultsError, setDefaultsError] = useState<unknown>(null);
  const [job, setJob] = useState<TargetingJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    programsApi
      .list()
      .then((r) => {
        setPrograms(r.items);
        setCode((c) => c || r.items[0]?.code || '');
      })
      .catch(setLoadError);
  }, []);

  const program = programs?.find((p) => p.code === code);
  const country = program?.country ?? countryOfCode(user.area_code) ?? 'MA';

  // The parameters in force in the period prefill the candidate.
  useEffect(() => {
    if (!code) return undefined;
    const ctrl = new AbortController();
    setDefaultsError(null);
    targetingApi
      .defaults(code, period, ctrl.signal)
      .then((d) => {
        setCurrent(d.parameters);
        setValues(Object.fromEntries(Object.entries(d.parameters).map(([k, v]) => [k, String(v)])));
        setLine(String(d.poverty_line));
      })
      .catch((e) => {
        if (ctrl.signal.aborted) return;
        setCurrent(null);
        setDefaultsError(e);
      });
    return () => ctrl.abort();
  }, [code, period]);

  // Region names, for the table and the charts (the result names regions by code; codes are shown when
  // the names cannot be read).
  const regions = useRegions(country);

  // The results (and their export) belong to the programme and period they were run for: another
  // choice clears them, and a run started before it is not shown when it answers. They stayed under the
  // programme chosen next, with their regions named by the other country's list (codes, then).
  const runs = useRef(0);
  useEffect(() => {
    runs.current += 1;
    setJob(null);
    setError(null);
  }, [code, period]);

  const polling = pending(job);
  useEffect(() => {
    if (!polling || !job) return undefined;
    const ctrl = new AbortController();
    const timer = window.setInterval(() => {
      targetingApi
        .job(job.programme, job.id, ctrl.signal)
        .then((j) => !ctrl.signal.aborted && setJob(j))
        .catch((e) => !ctrl.signal.aborted && setError(e));
    }, POLL_MS);
    return () => {
      ctrl.abort();
      window.clearInterval(timer);
    };
  }, [polling, job?.id]);

  async function run(e: Event) {
    e.preventDefault();
    if (!current || busy || polling) return;
    const overrides: Record<string, number> = {};
    for (const [name, text] of Object.entries(values)) {
      const v = parseDecimal(text);
      // Sent as typed when it is not a number: the server names the parameter.
      if (Number.isNaN(v)) overrides[name] = text as unknown as number;
      else if (v !== current[name]) overrides[name] = v;
    }
    const povertyLine = parseDecimal(line);
    const mine = ++runs.current;
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const started = await targetingApi.start(code, { period, overrides, ...(Number.isNaN(povertyLine) ? {} : { poverty_line: povertyLine }) });
      if (runs.current === mine) setJob(started);
    } catch (err) {
      if (runs.current === mine) setError(err);
    } finally {
      setBusy(false);
    }
  }

  const programName = (p: Program) => (lang === 'ar' ? p.name_ar : lang === 'fr' ? p.name_fr : p.name_en);
  const monthFormat = new Intl.DateTimeFormat(langInfo(lang).intl, { month: 'long', timeZone: 'UTC' });
  const monthName = (m: string) => monthFormat.format(new Date(Date.UTC(2000, Number(m) - 1, 1)));
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: thisYear + 2 - FIRST_YEAR }, (_, k) => String(FIRST_YEAR + k));
  const result = job?.status === 'succeeded' ? job.result : null;

  return (
    <div class="page" data-testid="targeting-page">
      <header class="page__header">
        <h1 class="page__title">{t('nav.targeting')}</h1>
        <p class="page__intro">{t('tsim.intro')}</p>
      </header>
      {loadError !== null && <ErrorNotice error={loadError} />}
      {programs === null && loadError === null && <Loading />}
      {programs !== null && (
        <form class="card tsim-form" onSubmit={run} noValidate>
          <div class="form-grid">
            <div class="field">
              <label class="field__label" for="tsim-program">
                {t('sim.program')}
              </label>
              <select id="tsim-program" class="input" value={code} data-testid="tsim-program" onChange={(e) => setCode(e.currentTarget.value)}>
                {programs.map((p) => (
                  <option key={p.code} value={p.code}>
                    {programName(p)}
                  </option>
                ))}
              </select>
            </div>
            <fieldset class="field sim-period">
              <legend class="field__label">{t('sim.period')}</legend>
              <div class="sim-period__inputs">
                <select
                  class="input"
                  aria-label={t('sim.period_month')}
                  value={period.slice(5, 7)}
                  data-testid="tsim-period-month"
                  onChange={(e) => setPeriod(`${period.slice(0, 4)}-${e.currentTarget.value}`)}
                >
                  {MONTHS.map((m) => (
                    <option key={m} value={m}>
                      {monthName(m)}
                    </option>
                  ))}
                </select>
                <select
                  class="input"
                  aria-label={t('sim.period_year')}
                  dir="ltr"
                  value={period.slice(0, 4)}
                  data-testid="tsim-period-year"
                  onChange={(e) => setPeriod(`${e.currentTarget.value}-${period.slice(5, 7)}`)}
                >
                  {years.map((y) => (
                    <option key={y} value={y}>
                      {y}
                    </option>
                  ))}
                </select>
              </div>
              <FieldError error={error ?? defaultsError} field="period" />
            </fieldset>
            <div class="field">
              <label class="field__label" for="tsim-line">
                {t('tsim.poverty_line')}
              </label>
              <input
                id="tsim-line"
                class="input"
                type="text"
                inputMode="decimal"
                dir="ltr"
                value={line}
                data-testid="tsim-poverty-line"
                aria-describedby="tsim-line-hint"
                onInput={(e) => setLine(e.currentTarget.value)}
              />
              <p class="field__hint" id="tsim-line-hint">
                {t('tsim.poverty_line_hint')}
              </p>
              <FieldError error={error} field="poverty_line" />
            </div>
          </div>
          {defaultsError !== null && <ErrorNotice error={defaultsError} />}
          {current && (
            <div class="table-wrap">
              <table class="table tsim-params" data-testid="tsim-params">
                <caption class="tsim-params__caption">{t('tsim.parameters')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('tsim.parameter')}</th>
                    <th scope="col">{t('tsim.current')}</th>
                    <th scope="col">{t('tsim.candidate')}</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.keys(current).map((name) => (
                    <tr key={name} class={parseDecimal(values[name] ?? '') !== current[name] ? 'tsim-params__changed' : undefined}>
                      <th scope="row">
                        <code dir="ltr">{name}</code>
                      </th>
                      <td>
                        <bdi dir="ltr">{num(current[name]!, { maximumFractionDigits: 7 })}</bdi>
                      </td>
                      <td>
                        <input
                          class="input input--narrow"
                          type="text"
                          inputMode="decimal"
                          dir="ltr"
                          aria-label={`${t('tsim.candidate')} ${name}`}
                          value={values[name] ?? ''}
                          data-testid={`tsim-param-${name}`}
                          onInput={(e) => setValues({ ...values, [name]: e.currentTarget.value })}
                        />
                        <FieldError error={error} field={`overrides.${name}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div class="actions-row">
            <button type="submit" class="btn btn--primary" disabled={!current || busy || polling} data-testid="tsim-run">
              {busy || polling ? t('tsim.running') : t('tsim.run')}
            </button>
          </div>
          {error !== null && <ErrorNotice error={error} />}
          {job && polling && (
            <div class="progress-block" role="status" data-testid="tsim-progress">
              {job.progress.total > 0 ? (
                <progress class="progress" max={job.progress.total} value={job.progress.done} aria-label={t('tsim.run')} />
              ) : (
                <progress class="progress" aria-label={t('tsim.run')} />
              )}
              <span>
                {job.status === 'queued' ? t('tsim.queued') : t('tsim.progress', { done: num(job.progress.done), total: num(job.progress.total) })}
              </span>
            </div>
          )}
          {job?.status === 'failed' && (
            <div class="notice notice--error" role="alert" data-testid="tsim-failed">
              {job.error ?? t('targeting_simulation.failed', { id: String(job.id) })}
            </div>
          )}
        </form>
      )}
      {result && job && <Result result={result} job={job} regions={regions} />}
    </div>
  );
}

function Result({ result, job, regions }: { result: TargetingResult; job: TargetingJob; regions: Map<string, Area> }) {
  const { t, lang, num } = useI18n();
  const rows: TargetingRow[] = [...result.regions, result.total];
  const regionLabel = (r: TargetingRow) => {
    if (r.region === undefined) return t('tsim.total');
    const area = regions.get(r.region);
    return area ? areaName(area, lang) : r.region;
  };
  const pct = (v: number | null) => (v === null ? '—' : num(v, { style: 'percent', maximumFractionDigits: 1 }));
  const money = (minor: number | null) =>
    minor === null ? '—' : num(minor / 100, { style: 'currency', currency: result.currency, maximumFractionDigits: 0 });
  const count = (v: number) => num(v);
  const pair = (r: TargetingRow, f: (m: ScenarioMeasures) => string, key: string) => (
    <>
      <td data-col={`${key}-baseline`}>
        <bdi>{f(r.baseline)}</bdi>
      </td>
      <td data-col={`${key}-candidate`} class="tsim-table__candidate">
        <bdi>{f(r.candidate)}</bdi>
      </td>
    </>
  );
  const categories = result.regions.map(regionLabel);
  const baselineName = t('tsim.baseline');
  const candidateName = t('tsim.candidate');
  const monthly = result.frequency === 'monthly';
  return (
    <section class="card tsim-result" aria-labelledby="tsim-result-title" data-testid="tsim-result">
      <div class="tsim-result__header">
        <h2 class="section__title" id="tsim-result-title">
          {t('tsim.result', { period: result.period })}
        </h2>
        <a class="btn" href={targetingApi.csvUrl(job.programme, job.id)} download data-testid="tsim-csv">
          {t('tsim.csv')}
        </a>
      </div>
      <p class="page__intro">
        {t('tsim.result_intro', { line: num(result.poverty_line, { maximumFractionDigits: 6 }), poor: count(result.total.poor_households), households: count(result.total.households) })}
      </p>
      <div class="table-wrap">
        <table class="table tsim-table" data-testid="tsim-table">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                {t('tsim.region')}
              </th>
              <th scope="col" rowSpan={2}>
                {t('tsim.households')}
              </th>
              <th scope="col" rowSpan={2}>
                {t('tsim.poor')}
              </th>
              <th scope="colgroup" colSpan={2}>
                {t('tsim.covered')}
              </th>
              <th scope="colgroup" colSpan={2}>
                {t('tsim.coverage')}
              </th>
              <th scope="colgroup" colSpan={2}>
                {monthly ? t('tsim.monthly_cost') : t('tsim.yearly_cost')}
              </th>
              <th scope="colgroup" colSpan={2}>
                {t('tsim.inclusion_error')}
              </th>
              <th scope="colgroup" colSpan={2}>
                {t('tsim.exclusion_error')}
              </th>
            </tr>
            <tr>
              {[0, 1, 2, 3, 4].map((k) => (
                <Fragment key={k}>
                  <th scope="col">{baselineName}</th>
                  <th scope="col" class="tsim-table__candidate">
                    {candidateName}
                  </th>
                </Fragment>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.region ?? 'total'} class={r.region === undefined ? 'tsim-table__total' : undefined} data-region={r.region ?? 'total'}>
                <th scope="row">{regionLabel(r)}</th>
                <td>
                  <bdi>{count(r.households)}</bdi>
                </td>
                <td>
                  <bdi>{count(r.poor_households)}</bdi>
                </td>
                {pair(r, (m) => count(m.covered_households), 'covered')}
                {pair(r, (m) => pct(m.coverage_rate), 'coverage')}
                {pair(r, (m) => money(monthly ? m.monthly_cost_minor : m.yearly_cost_minor), 'cost')}
                {pair(r, (m) => pct(m.inclusion_error), 'inclusion')}
                {pair(r, (m) => pct(m.exclusion_error), 'exclusion')}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="field__hint">{t('tsim.yearly_note', { baseline: money(result.total.baseline.yearly_cost_minor), candidate: money(result.total.candidate.yearly_cost_minor), baseline_once: money(result.total.baseline.one_off_cost_minor), candidate_once: money(result.total.candidate.one_off_cost_minor) })}</p>
      <div class="tsim-charts">
        <BarChart
          title={t('tsim.chart_coverage')}
          testid="tsim-chart-coverage"
          categories={categories}
          format={(v) => num(v, { style: 'percent', maximumFractionDigits: 0 })}
          series={[
            { name: baselineName, values: result.regions.map((r) => r.baseline.coverage_rate) },
            { name: candidateName, values: result.regions.map((r) => r.candidate.coverage_rate) },
          ]}
        />
        <BarChart
          title={monthly ? t('tsim.chart_monthly_cost') : t('tsim.chart_yearly_cost')}
          testid="tsim-chart-cost"
          categories={categories}
          format={(v) => num(v, { notation: 'compact', maximumFractionDigits: 1 })}
          series={[
            { name: baselineName, values: result.regions.map((r) => (monthly ? r.baseline.monthly_cost_minor : r.baseline.yearly_cost_minor) ?? 0).map((v) => v / 100) },
            { name: candidateName, values: result.regions.map((r) => (monthly ? r.candidate.monthly_cost_minor : r.candidate.yearly_cost_minor) ?? 0).map((v) => v / 100) },
          ]}
        />
        <BarChart
          title={t('tsim.chart_errors')}
          testid="tsim-chart-errors"
          categories={categories}
          format={(v) => num(v, { style: 'percent', maximumFractionDigits: 0 })}
          series={[
            { name: `${t('tsim.inclusion_error')} — ${baselineName}`, color: '#f5b971', values: result.regions.map((r) => r.baseline.inclusion_error) },
            { name: `${t('tsim.inclusion_error')} — ${candidateName}`, color: '#c2410c', values: result.regions.map((r) => r.candidate.inclusion_error) },
            { name: `${t('tsim.exclusion_error')} — ${baselineName}`, color: '#a5b4fc', values: result.regions.map((r) => r.baseline.exclusion_error) },
            { name: `${t('tsim.exclusion_error')} — ${candidateName}`, color: '#3730a3', values: result.regions.map((r) => r.candidate.exclusion_error) },
          ]}
        />
      </div>
    </section>
  );
}
