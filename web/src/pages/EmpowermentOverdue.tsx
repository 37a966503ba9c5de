import { useState } from 'preact/hooks';
import { overdueApi } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import { href } from '../router';

// Overdue follow-up in the reader's area on a day (today by default): next steps with no later visit,
// and monitoring visits (6, 12, 24 months after her activity started) not yet recorded. Names women:
// the server audits the read.

export function EmpowermentOverdueList() {
  const i18n = useI18n();
  const { t } = i18n;
  const [asOf, setAsOf] = useState('');
  // The list on a date no longer chosen is aborted: when it came last, it was shown under the date chosen
  // after it. The last list stays on screen until the new one comes.
  const { data, error } = useLoaded((signal) => overdueApi.get(asOf || undefined, signal), asOf, false);
  const woman = (id: number, given: string, family: string) => (
    <a href={href(`/empowerment/${id}`)}>
      <bdi>{`${given} ${family}`}</bdi>
    </a>
  );
  return (
    <section class="card" data-testid="emo-overdue">
      <h2>{t('emo.title')}</h2>
      <div class="emt-filters">
        <label class="field__label" for="emo-as-of">
          {t('emo.as_of')}
        </label>
        <input id="emo-as-of" class="input" type="date" value={asOf || data?.as_of || ''} onChange={(e) => setAsOf(e.currentTarget.value)} />
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {!data && !error && <Loading />}
      {data && (
        <>
          <h3>{t('emo.next_steps')}</h3>
          {data.next_steps.length === 0 ? (
            <p>{t('emo.none')}</p>
          ) : (
            <ul data-testid="emo-next-steps">
              {data.next_steps.map((n) => (
                <li key={n.visit_id} dir="auto">
                  {woman(n.registration_id, n.given_name, n.family_name)} — <bdi>{n.next_step}</bdi> ({i18n.date(n.due)})
                </li>
              ))}
            </ul>
          )}
          <h3>{t('emo.monitoring')}</h3>
          {data.monitoring.length === 0 ? (
            <p>{t('emo.none')}</p>
          ) : (
            <ul data-testid="emo-monitoring">
              {data.monitoring.map((m) => (
                <li key={`${m.registration_id}-${m.milestone_months}`} dir="auto">
                  {woman(m.registration_id, m.given_name, m.family_name)} — {t('emv.months', { months: i18n.num(m.milestone_months) })} (
                  {i18n.date(m.due)})
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
