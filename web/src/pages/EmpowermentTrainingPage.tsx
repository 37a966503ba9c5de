import { useEffect, useState } from 'preact/hooks';
import { certificateUrl, trainingApi } from '../api';
import type { AttendanceMark, TrainingSheet } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href } from '../router';
import { titleOf, whenOf } from './EmpowermentTrainingsPage';

// One training session (#/trainings/{id}): its details, enrolling a woman by her
// registration number (a seat, else the waiting list), the attendance sheet of one day at a time, and
// the certificates (PDF, Arabic and French) of the women who completed. Reading it is audited.

const MARKS: readonly AttendanceMark[] = ['present', 'absent', 'excused'];

export function EmpowermentTrainingPage({ id, canManage }: { id: string; canManage: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [sheet, setSheet] = useState<TrainingSheet | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [woman, setWoman] = useState('');
  const [notice, setNotice] = useState('');
  const [day, setDay] = useState('');
  const [marks, setMarks] = useState<Record<number, AttendanceMark>>({});
  const load = () => {
    setError(null);
    trainingApi
      .get(id)
      .then((s) => {
        setSheet(s);
        setDay((d) => d || s.days[0] || '');
      })
      .catch(setError);
  };
  useEffect(load, [id]);
  // The marks shown for the chosen day: those recorded, else present by default for a new day.
  useEffect(() => {
    if (!sheet || !day) return;
    const next: Record<number, AttendanceMark> = {};
    for (const e of sheet.enrolments) {
      if (e.status === 'registered' || e.status === 'completed') next[e.registration_id] = e.attendance[day] ?? 'present';
    }
    setMarks(next);
  }, [sheet, day]);
  if (error && !sheet) return <ErrorNotice error={error} onRetry={load} />;
  if (!sheet) return <Loading />;
  const seated = sheet.enrolments.filter((e) => e.status === 'registered' || e.status === 'completed');
  const enrol = (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice('');
    trainingApi
      .enrol(id, Number(woman))
      .then((r) => {
        setNotice(t('emt.enrolled_as', { status: t(`emt.status.${r.status}` as MessageKey) }));
        setWoman('');
        load();
      })
      .catch(setError);
  };
  const save = (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice('');
    trainingApi
      .attendance(
        id,
        day,
        Object.entries(marks).map(([rid, mark]) => ({ registration_id: Number(rid), mark })),
      )
      .then((s) => {
        setSheet(s);
        setNotice(t('emt.saved'));
      })
      .catch(setError);
  };
  const cancel = (registrationId: number) => {
    setError(null);
    trainingApi.cancel(id, registrationId).then(load).catch(setError);
  };
  return (
    <section class="card" data-testid="emt-session-page">
      <p>
        <a href={href('/trainings')}>{t('emt.back')}</a>
      </p>
      <h1 dir="auto">
        <bdi>{titleOf(sheet, i18n.lang)}</bdi>
      </h1>
      <dl class="emp-dl">
        <div class="emp-kv">
          <dt>{t('emt.topic')}</dt>
          <dd>{t(`emt.topic.${sheet.topic}` as MessageKey)}</dd>
        </div>
        <div class="emp-kv">
          <dt>{t('emt.when')}</dt>
          <dd>{whenOf(sheet, i18n)}</dd>
        </div>
        <div class="emp-kv">
          <dt>{t('emt.place')}</dt>
          <dd dir="auto">
            {sheet.online_link ? (
              <a href={sheet.online_link} rel="noopener noreferrer">
                {t('emt.online')}
              </a>
            ) : (
              <bdi>{sheet.address}</bdi>
            )}{' '}
            (<bdi>{sheet.commune_code}</bdi>)
          </dd>
        </div>
        <div class="emp-kv">
          <dt>{t('emt.trainers')}</dt>
          <dd>
            <bdi>{sheet.trainers.map((x) => x.name).join('، ')}</bdi>
          </dd>
        </div>
        <div class="emp-kv">
          <dt>{t('emt.seats')}</dt>
          <dd data-testid="emt-seats">
            {t('emt.seats_value', { taken: i18n.num(sheet.registered), capacity: i18n.num(sheet.capacity) })} —{' '}
            {t('emt.waiting')}: {i18n.num(sheet.waiting)}
          </dd>
        </div>
      </dl>
      <p>{t('emt.rule', { days: i18n.num(sheet.days_to_complete), total: i18n.num(sheet.days.length) })}</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {error ? <ErrorNotice error={error} /> : null}
      {canManage && (
        <form class="form emt-enrol" onSubmit={enrol}>
          <label class="field__label" for="emt-woman">
            {t('emt.enrol')} — {t('emt.registration_id')}
          </label>
          <input id="emt-woman" class="input" inputMode="numeric" dir="ltr" value={woman} onInput={(e) => setWoman(e.currentTarget.value)} />
          <button class="btn" type="submit" disabled={!/^\d+$/.test(woman)}>
            {t('emt.enrol_button')}
          </button>
        </form>
      )}
      <h2>{t('emt.sheet')}</h2>
      {sheet.enrolments.length === 0 ? (
        <p>{t('emt.no_enrolments')}</p>
      ) : (
        <form onSubmit={save}>
          <label class="field__label" for="emt-day">
            {t('emt.day')}
          </label>
          <select id="emt-day" class="input emt-day" value={day} onChange={(e) => setDay(e.currentTarget.value)}>
            {sheet.days.map((d) => (
              <option key={d} value={d}>
                {i18n.date(d)}
              </option>
            ))}
          </select>
          <div class="emt-sheet-wrap">
            <table class="table emt-sheet" data-testid="emt-sheet">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('emt.woman')}</th>
                  <th>{t('emt.status')}</th>
                  {sheet.days.map((d) => (
                    <th key={d} class={d === day ? 'emt-today' : ''}>
                      {i18n.date(d)}
                    </th>
                  ))}
                  <th>{t('emt.certificate')}</th>
                  {canManage && <th />}
                </tr>
              </thead>
              <tbody>
                {sheet.enrolments.map((e) => (
                  <tr key={e.registration_id} data-testid="emt-woman">
                    <td>
                      <a href={href(`/empowerment/${e.registration_id}`)}>{i18n.num(e.registration_id)}</a>
                    </td>
                    <td dir="auto">
                      <bdi>{`${e.given_name} ${e.family_name}`}</bdi>
                    </td>
                    <td data-testid="emt-status">{t(`emt.status.${e.status}` as MessageKey)}</td>
                    {sheet.days.map((d) => (
                      <td key={d} class={d === day ? 'emt-today' : ''}>
                        {d === day && canManage && marks[e.registration_id] ? (
                          <select
                            class="input"
                            aria-label={`${e.given_name} ${e.family_name} ${d}`}
                            value={marks[e.registration_id]}
                            onChange={(ev) => setMarks({ ...marks, [e.registration_id]: ev.currentTarget.value as AttendanceMark })}
                          >
                            {MARKS.map((m) => (
                              <option key={m} value={m}>
                                {t(`emt.mark.${m}` as MessageKey)}
                              </option>
                            ))}
                          </select>
                        ) : e.attendance[d] ? (
                          t(`emt.mark.${e.attendance[d]}` as MessageKey)
                        ) : (
                          '—'
                        )}
                      </td>
                    ))}
                    <td>
                      {e.status === 'completed' ? (
                        <span class="emt-certs">
                          <a href={certificateUrl(sheet.id, e.registration_id, 'ar')} data-testid="emt-cert-ar">
                            {t('emt.certificate_ar')}
                          </a>{' '}
                          <a href={certificateUrl(sheet.id, e.registration_id, 'fr')} data-testid="emt-cert-fr">
                            {t('emt.certificate_fr')}
                          </a>
                        </span>
                      ) : (
                        '—'
                      )}
                    </td>
                    {canManage && (
                      <td>
                        {(e.status === 'registered' || e.status === 'waiting') && (
                          <button type="button" class="btn btn--secondary" onClick={() => cancel(e.registration_id)}>
                            {t('emt.cancel')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {canManage && seated.length > 0 && (
            <button class="btn btn--primary" type="submit" data-testid="emt-save-day">
              {t('emt.save_day')}
            </button>
          )}
        </form>
      )}
    </section>
  );
}
