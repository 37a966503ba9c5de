import { useEffect, useState } from 'preact/hooks';
import { figuresApi } from '../api';
import type { EmpowermentFigures } from '../api';
import { BarChart } from '../components/BarChart';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import { EmpowermentOverdueList } from './EmpowermentOverdue';
import type { MessageKey } from '../i18n';

// Regional figures of the empowerment platform (#/women-figures; empowerment.read on the server, counts
// within the reader's area): women by commune and status, training attendance per topic, activities
// running at 12 months; CSV and XLSX of the same counts; and the overdue follow-up (EmpowermentOverdue).

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
          categories={communes}
          series={[
            { name: t('emp.status.incomplete'), values: communes.map((c) => count(c, 'incomplete')) },
            { name: t('emp.status.complete'), values: communes.map((c) => count(c, 'complete')) },
          ]}
          format={(v) => i18n.num(v)}
          testid="emf-women-chart"
        />
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
