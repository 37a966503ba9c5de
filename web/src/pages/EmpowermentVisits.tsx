import { useEffect, useState } from 'preact/hooks';
import { visitApi } from '../api';
import type { EmpowermentVisit } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';

// The visits section of a woman's file (#/empowerment/{id}): the day her activity started (monitoring
// falls due 6, 12 and 24 months later), her accompaniment and monitoring visits, and a form to record one.

export function EmpowermentVisits({ id, canManage }: { id: string; canManage: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [data, setData] = useState<{ activity_started_on: string | null; items: EmpowermentVisit[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [start, setStart] = useState('');
  const [form, setForm] = useState({
    kind: 'accompaniment',
    visited_on: '',
    visitor: '',
    notes: '',
    next_step: '',
    next_step_due: '',
    milestone_months: '6',
    activity_running: 'true',
    monthly_income: '',
    jobs_created: '',
  });
  const load = () => {
    visitApi
      .list(id)
      .then((d) => {
        setData(d);
        setStart(d.activity_started_on ?? '');
      })
      .catch(setError);
  };
  useEffect(load, [id]);
  if (!data) return error ? <ErrorNotice error={error} onRetry={load} /> : <Loading />;
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  const saveStart = (e: Event) => {
    e.preventDefault();
    setError(null);
    visitApi.setStart(id, start).then(load).catch(setError);
  };
  const add = (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = { kind: form.kind, visited_on: form.visited_on, visitor: form.visitor };
    if (form.notes) body['notes'] = form.notes;
    if (form.next_step) body['next_step'] = form.next_step;
    if (form.next_step_due) body['next_step_due'] = form.next_step_due;
    if (form.kind === 'monitoring') {
      body['milestone_months'] = Number(form.milestone_months);
      body['activity_running'] = form.activity_running === 'true';
      // Typed in dirhams or dinars, stored in minor units.
      if (form.monthly_income) body['monthly_income'] = Math.round(Number(form.monthly_income) * 100);
      if (form.jobs_created) body['jobs_created'] = Number(form.jobs_created);
    }
    visitApi
      .add(id, body)
      .then(() => {
        setForm({ ...form, notes: '', next_step: '', next_step_due: '', monthly_income: '', jobs_created: '' });
        load();
      })
      .catch(setError);
  };
  const input = (k: keyof typeof form, label: MessageKey, type = 'text') => (
    <div class="field">
      <label class="field__label" for={`emv-${k}`}>
        {t(label)}
      </label>
      <input id={`emv-${k}`} class="input" type={type} dir="auto" value={form[k]} onInput={set(k)} />
    </div>
  );
  return (
    <section data-testid="emp-visits">
      <h2>{t('emv.title')}</h2>
      {error ? <ErrorNotice error={error} /> : null}
      <p>{t('emv.started_value', { day: data.activity_started_on ? i18n.date(data.activity_started_on) : '—' })}</p>
      {canManage && (
        <form class="form emt-enrol" onSubmit={saveStart}>
          <input class="input" type="date" aria-label={t('emv.activity_started_on')} value={start} onInput={(e) => setStart(e.currentTarget.value)} />
          <button class="btn" type="submit" disabled={!start}>
            {t('emv.save_start')}
          </button>
        </form>
      )}
      {data.items.length === 0 ? (
        <p>{t('emv.none')}</p>
      ) : (
        <table class="table" data-testid="emv-list">
          <thead>
            <tr>
              <th>{t('emv.visited_on')}</th>
              <th>{t('emv.kind')}</th>
              <th>{t('emv.visitor')}</th>
              <th>{t('emv.notes')}</th>
              <th>{t('emv.next_step')}</th>
              <th>{t('emv.figures')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((v) => (
              <tr key={v.id} data-testid="emv-row">
                <td>{i18n.date(v.visited_on)}</td>
                <td>{t(`emv.kind.${v.kind}` as MessageKey)}</td>
                <td dir="auto">
                  <bdi>{v.visitor}</bdi>
                </td>
                <td dir="auto">{v.notes ?? '—'}</td>
                <td dir="auto">{v.next_step ? `${v.next_step} (${i18n.date(v.next_step_due ?? '')})` : '—'}</td>
                <td>
                  {v.kind === 'monitoring'
                    ? t('emv.figures_value', {
                        months: i18n.num(v.milestone_months ?? 0),
                        running: t(v.activity_running ? 'emv.running' : 'emv.stopped'),
                        income: v.monthly_income === null ? '—' : i18n.num(v.monthly_income / 100),
                        jobs: v.jobs_created === null ? '—' : i18n.num(v.jobs_created),
                      })
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && (
        <form class="form emt-new" onSubmit={add} data-testid="emv-form">
          <h3>{t('emv.add')}</h3>
          <div class="field">
            <label class="field__label" for="emv-kind">
              {t('emv.kind')}
            </label>
            <select id="emv-kind" class="input" value={form.kind} onChange={set('kind')}>
              <option value="accompaniment">{t('emv.kind.accompaniment')}</option>
              <option value="monitoring">{t('emv.kind.monitoring')}</option>
            </select>
          </div>
          {input('visited_on', 'emv.visited_on', 'date')}
          {input('visitor', 'emv.visitor')}
          {input('notes', 'emv.notes')}
          {input('next_step', 'emv.next_step')}
          {input('next_step_due', 'emv.next_step_due', 'date')}
          {form.kind === 'monitoring' && (
            <>
              <div class="field">
                <label class="field__label" for="emv-milestone">
                  {t('emv.milestone')}
                </label>
                <select id="emv-milestone" class="input" value={form.milestone_months} onChange={set('milestone_months')}>
                  {['6', '12', '24'].map((m) => (
                    <option key={m} value={m}>
                      {t('emv.months', { months: i18n.num(Number(m)) })}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label class="field__label" for="emv-running">
                  {t('emv.activity_running')}
                </label>
                <select id="emv-running" class="input" value={form.activity_running} onChange={set('activity_running')}>
                  <option value="true">{t('emv.running')}</option>
                  <option value="false">{t('emv.stopped')}</option>
                </select>
              </div>
              {input('monthly_income', 'emv.monthly_income', 'number')}
              {input('jobs_created', 'emv.jobs_created', 'number')}
            </>
          )}
          <button class="btn btn--primary" type="submit">
            {t('emv.add')}
          </button>
        </form>
      )}
    </section>
  );
}
