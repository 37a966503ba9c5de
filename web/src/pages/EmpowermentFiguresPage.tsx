import { useEffect, useState } from 'preact/hooks';
import { figuresApi } from '../api';
import type { EmpowermentFigures } from '../api';
import { BarChart } from '../components/BarChart';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import { money } from './EmpowermentCallsPage';
import { EmpowermentOverdueList } from './EmpowermentOverdue';
import type { MessageKey } from '../i18n';

// Regional figures of the empowerment platform (#/women-figures; empowerment.read on the server, counts
// within the reader's area): women by commune and status, applications by commune and stage, funded
// amounts (approved, agreed, paid) by commune and by province, training attendance per topic, activities
// running at 12 months; CSV and XLSX of the same counts; and the overdue follow-up (EmpowermentOverdue).
// Communes and provinces are shown by their names in the page's language (Arabic, else French).

// Stages in the order of the state machine (application_state.h), for the columns.
const STAGES = [
  'draft', 'submitted', 'awaiting_information', 'eligible', 'ineligible', 'under_review', 'scored', 'shortlisted', 'not_retained',
  'approved', 'rejected', 'deferred', 'agreement_signed', 'funded', 'monitoring', 'completed', 'abandoned', 'withdrawn',
];

export function EmpowermentFiguresPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const [figures, setFigures] = useState<EmpowermentFigures | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setError(null);
    figuresApi.get().then(setFigures).catch(setError);
  };
  useEffect(load, []);
  if (error) return <ErrorNotice error={error} onRetry={load} />;
  if (!figures) return <Loading />;
  const communes = [...new Set(figures.women.map((w) => w.commune_code))];
  const areaName = (code: string) => {
    const a = figures.areas[code];
    return a ? (i18n.lang === 'ar' ? a.name_ar : a.name_fr) : code;
  };
  const appCommunes = [...new Set(figures.applications.map((x) => x.commune_code))];
  const stages = STAGES.filter((st) => figures.applications.some((x) => x.state === st));
  const apps = (commune: string, state: string) =>
    figures.applications.filter((x) => x.commune_code === commune && x.state === state).reduce((n, x) => n + x.applications, 0);
  const count = (commune: string, status: string) =>
    figures.women.filter((w) => w.commune_code === commune && w.status === status).reduce((n, w) => n + w.women, 0);
  const byKind = (kind: string) => figures.women.filter((w) => w.kind === kind).reduce((n, w) => n + w.women, 0);
  const a = figures.activities;
  return (
    <section class="card" data-testid="emf-page">
      <h1>{t('emf.title')}</h1>
      <p class="emt-filters">
        <a class="btn btn--secondary" href="/api/v1/empowerment/figures.csv" data-testid="emf-csv">
          CSV
        </a>
        <a class="btn btn--secondary" href="/api/v1/empowerment/figures.xlsx" data-testid="emf-xlsx">
          XLSX
        </a>
      </p>
      <h2>{t('emf.women')}</h2>
      <p data-testid="emf-kinds">
        {t('emp.kind.auto_entrepreneur')}: {i18n.num(byKind('auto_entrepreneur'))} — {t('emp.kind.cooperative_member')}:{' '}
        {i18n.num(byKind('cooperative_member'))}
      </p>
      {communes.length > 0 && (
        <BarChart
          title={t('emf.women_by_commune')}
          categories={communes.map(areaName)}
          series={[
            { name: t('emp.status.incomplete'), values: communes.map((c) => count(c, 'incomplete')) },
            { name: t('emp.status.complete'), values: communes.map((c) => count(c, 'complete')) },
          ]}
          format={(v) => i18n.num(v)}
          testid="emf-women-chart"
        />
      )}
      <h2>{t('emf.applications')}</h2>
      {appCommunes.length === 0 ? (
        <p>{t('emf.no_applications')}</p>
      ) : (
        <>
          <BarChart
            title={t('emf.applications_by_commune')}
            categories={appCommunes.map(areaName)}
            series={stages.map((st) => ({ name: t(`empf.state.${st}` as MessageKey), values: appCommunes.map((c) => apps(c, st)) }))}
            format={(v) => i18n.num(v)}
            testid="emf-applications-chart"
          />
          <table class="table" data-testid="emf-applications">
            <thead>
              <tr>
                <th>{t('emf.commune')}</th>
                {stages.map((st) => (
                  <th key={st}>{t(`empf.state.${st}` as MessageKey)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {appCommunes.map((c) => (
                <tr key={c}>
                  <td>
                    <bdi>{areaName(c)}</bdi>
                  </td>
                  {stages.map((st) => (
                    <td key={st}>{i18n.num(apps(c, st))}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>{t('emf.funded')}</h2>
      {figures.funded.length === 0 ? (
        <p>{t('emf.no_funded')}</p>
      ) : (
        <>
          <BarChart
            title={`${t('emf.funded_by_commune')} (${[...new Set(figures.funded.map((x) => x.currency))].join(', ')})`}
            categories={figures.funded.map((x) => areaName(x.commune_code))}
            series={[
              { name: t('emf.approved'), color: '#94a3b8', values: figures.funded.map((x) => x.approved_minor / 100) },
              { name: t('emf.agreed'), color: '#60a5fa', values: figures.funded.map((x) => x.agreed_minor / 100) },
              { name: t('emf.paid'), color: '#1d4ed8', values: figures.funded.map((x) => x.paid_minor / 100) },
            ]}
            format={(v) => i18n.num(v)}
            testid="emf-funded-chart"
          />
          {(
            [
              ['emf.funded_by_province', 'emf.province', figures.funded_by_province.map((x) => ({ ...x, code: x.province_code })), 'emf-funded-province'],
              ['emf.funded_by_commune', 'emf.commune', figures.funded.map((x) => ({ ...x, code: x.commune_code })), 'emf-funded-commune'],
            ] as const
          ).map(([title, col, rows, testid]) => (
            <table class="table" data-testid={testid} key={testid}>
              <caption>{t(title)}</caption>
              <thead>
                <tr>
                  <th>{t(col)}</th>
                  <th>{t('emf.approved_applications')}</th>
                  <th>{t('emf.approved')}</th>
                  <th>{t('emf.agreed')}</th>
                  <th>{t('emf.paid')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((x) => (
                  <tr key={`${x.code}-${x.currency}`}>
                    <td>
                      <bdi>{x.code ? areaName(x.code) : '—'}</bdi>
                    </td>
                    <td>{i18n.num(x.approved_applications)}</td>
                    <td>{money(i18n, x.approved_minor, x.currency)}</td>
                    <td>{money(i18n, x.agreed_minor, x.currency)}</td>
                    <td data-testid={`${testid}-paid`}>{money(i18n, x.paid_minor, x.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </>
      )}
      <h2>{t('emf.trainings')}</h2>
      {figures.trainings.length === 0 ? (
        <p>{t('emt.none')}</p>
      ) : (
        <>
          <BarChart
            title={t('emf.attendance_by_topic')}
            categories={figures.trainings.map((x) => t(`emt.topic.${x.topic}` as MessageKey))}
            series={[
              { name: t('emf.registered'), color: '#94a3b8', values: figures.trainings.map((x) => x.registered) },
              { name: t('emf.attended'), color: '#60a5fa', values: figures.trainings.map((x) => x.attended) },
              { name: t('emf.completed'), color: '#1d4ed8', values: figures.trainings.map((x) => x.completed) },
            ]}
            format={(v) => i18n.num(v)}
            testid="emf-training-chart"
          />
          <table class="table" data-testid="emf-trainings">
            <thead>
              <tr>
                <th>{t('emt.topic')}</th>
                <th>{t('emf.registered')}</th>
                <th>{t('emf.attended')}</th>
                <th>{t('emf.completed')}</th>
              </tr>
            </thead>
            <tbody>
              {figures.trainings.map((x) => (
                <tr key={x.topic}>
                  <td>{t(`emt.topic.${x.topic}` as MessageKey)}</td>
                  <td>{i18n.num(x.registered)}</td>
                  <td>{i18n.num(x.attended)}</td>
                  <td>{i18n.num(x.completed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>{t('emf.activities')}</h2>
      <p data-testid="emf-activities">
        {t('emf.activities_value', { running: i18n.num(a.running_at_12_months), monitored: i18n.num(a.monitored_at_12_months) })}
      </p>
      <EmpowermentOverdueList />
    </section>
  );
}
