import { useEffect, useState } from 'preact/hooks';
import { fileOverviewApi } from '../api';
import type { EmpowermentFileOverview } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href } from '../router';
import { callName, money } from './EmpowermentCallsPage';

// Her staff file beyond the registration (#/empowerment/{id}; GET …/registrations/{id}/overview, read
// within the reader's area and audited on the server): her funding applications with their stage,
// amounts and tranches, her training sessions, and her benefit-ledger lines (empowerment tranches and
// micro-credit) when she is linked to a registry person within the reader's area.

export function EmpowermentFileOverviewSection({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [data, setData] = useState<EmpowermentFileOverview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setError(null);
    fileOverviewApi.get(id).then(setData).catch(setError);
  };
  useEffect(load, [id]);
  if (error) return <ErrorNotice error={error} onRetry={load} />;
  if (!data) return <Loading />;
  const title = (x: { title_ar: string; title_fr: string }) => (i18n.lang === 'ar' ? x.title_ar : x.title_fr);
  return (
    <div class="emfo" data-testid="emfo-overview">
      <h2>{t('emfo.applications')}</h2>
      {data.applications.length === 0 ? (
        <p>{t('emfo.no_applications')}</p>
      ) : (
        <table class="table" data-testid="emfo-applications">
          <thead>
            <tr>
              <th>{t('emfo.call')}</th>
              <th>{t('emf.stage')}</th>
              <th>{t('empf.requested')}</th>
              <th>{t('empf.approved')}</th>
              <th>{t('emfo.tranches')}</th>
            </tr>
          </thead>
          <tbody>
            {data.applications.map((a) => {
              const cur = a.call?.currency ?? 'MAD';
              return (
                <tr key={a.id} data-testid="emfo-application">
                  <td>
                    <a href={href(`/funding-calls/applications/${a.id}`)}>{a.call ? callName(i18n, a.call) : i18n.num(a.id)}</a>
                  </td>
                  <td data-testid="emfo-application-state">{t(`empf.state.${a.state}` as MessageKey)}</td>
                  <td>{money(i18n, a.requested_minor, cur)}</td>
                  <td>{a.approved_minor === null ? '—' : money(i18n, a.approved_minor, cur)}</td>
                  <td>
                    <ul class="emfo-tranches">
                      {a.tranches.map((tr) => (
                        <li key={tr.n}>
                          <bdi>{tr.milestone}</bdi>:{' '}
                          {tr.paid_on
                            ? t('emfo.tranche_paid', { n: i18n.num(tr.n), amount: money(i18n, tr.planned_minor, cur), day: i18n.date(tr.paid_on) })
                            : t('emfo.tranche_planned', { n: i18n.num(tr.n), amount: money(i18n, tr.planned_minor, cur) })}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>{t('emfo.trainings')}</h2>
      {data.trainings.length === 0 ? (
        <p>{t('emfo.no_trainings')}</p>
      ) : (
        <table class="table" data-testid="emfo-trainings">
          <thead>
            <tr>
              <th>{t('emt.session')}</th>
              <th>{t('emt.topic')}</th>
              <th>{t('emt.when')}</th>
              <th>{t('emt.status')}</th>
              <th>{t('emfo.days_present')}</th>
              <th>{t('emfo.certificates')}</th>
            </tr>
          </thead>
          <tbody>
            {data.trainings.map((x) => (
              <tr key={x.training_id}>
                <td>
                  <a href={href(`/trainings/${x.training_id}`)}>
                    <bdi>{title(x)}</bdi>
                  </a>
                </td>
                <td>{t(`emt.topic.${x.topic}` as MessageKey)}</td>
                <td>{i18n.date(x.starts_at)}</td>
                <td>
                  {t(`emt.status.${x.status}` as MessageKey)}
                  {x.completed_on ? ` (${i18n.date(x.completed_on)})` : ''}
                </td>
                <td>{i18n.num(x.days_present)}</td>
                <td>{i18n.num(x.certificates)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('emfo.ledger')}</h2>
      {data.ledger === null ? (
        <p>{t('emfo.ledger_unlinked')}</p>
      ) : data.ledger.length === 0 ? (
        <p>{t('emfo.ledger_none')}</p>
      ) : (
        <table class="table" data-testid="emfo-ledger">
          <thead>
            <tr>
              <th>{t('emfo.date')}</th>
              <th>{t('emfo.programme')}</th>
              <th>{t('emfo.amount')}</th>
              <th>{t('emfo.reference')}</th>
            </tr>
          </thead>
          <tbody>
            {data.ledger.map((b) => (
              <tr key={b.id} data-testid="emfo-ledger-line">
                <td>{i18n.date(b.date)}</td>
                <td>
                  <bdi>{b.programme}</bdi>
                </td>
                <td data-testid="emfo-ledger-amount">{b.amount_minor !== null && b.currency ? money(i18n, b.amount_minor, b.currency) : '—'}</td>
                <td>
                  <bdi>{b.reference}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
