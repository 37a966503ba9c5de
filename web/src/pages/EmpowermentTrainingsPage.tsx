import { useState } from 'preact/hooks';
import { trainingApi } from '../api';
import type { Training, TrainingTopic } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { I18n, MessageKey } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';

// The training calendar of the empowerment platform (empowerment.read on the server, in the reader's
// area): #/trainings?from&to&topic, and the form of a new session for those who manage.
// Times are shown and typed in Casablanca time (UTC+1); the server stores UTC.

export const TOPICS: readonly TrainingTopic[] = ['digital_skills', 'business_creation', 'management', 'other'];
const CASABLANCA_MS = 3600 * 1000;

/** "YYYY-MM-DD HH:MM" of a UTC instant, in Casablanca time. */
export function casablanca(iso: string): { day: string; time: string } {
  const d = new Date(new Date(iso).getTime() + CASABLANCA_MS).toISOString();
  return { day: d.slice(0, 10), time: d.slice(11, 16) };
}

/** A datetime-local value typed in Casablanca time, as an ISO UTC instant. */
function fromCasablanca(local: string): string {
  return new Date(new Date(`${local}:00Z`).getTime() - CASABLANCA_MS).toISOString();
}

export function titleOf(t: Training, lang: string): string {
  if (lang === 'ar') return t.title_ar;
  if (lang === 'en' && t.title_en) return t.title_en;
  return t.title_fr;
}

export function whenOf(t: Training, i18n: I18n): string {
  const a = casablanca(t.starts_at);
  const b = casablanca(t.ends_at);
  return i18n.t('emt.times', { from: `${i18n.date(a.day)} ${a.time}`, to: `${i18n.date(b.day)} ${b.time}` });
}

function NewSession({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({
    topic: 'digital_skills',
    title_ar: '',
    title_fr: '',
    trainer: '',
    capacity: '20',
    commune_code: '',
    address: '',
    online_link: '',
    starts_at: '',
    ends_at: '',
  });
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = {
      topic: form.topic,
      title_ar: form.title_ar,
      title_fr: form.title_fr,
      trainers: [{ name: form.trainer }],
      capacity: Number(form.capacity),
      commune_code: form.commune_code,
      starts_at: form.starts_at ? fromCasablanca(form.starts_at) : '',
      ends_at: form.ends_at ? fromCasablanca(form.ends_at) : '',
    };
    if (form.address) body['address'] = form.address;
    if (form.online_link) body['online_link'] = form.online_link;
    trainingApi
      .create(body)
      .then((created) => {
        onCreated();
        navigate(`/trainings/${created.id}`);
      })
      .catch(setError);
  };
  const field = (k: keyof typeof form, label: MessageKey, type = 'text', dir: 'auto' | 'ltr' | 'rtl' = 'auto') => (
    <div class="field">
      <label class="field__label" for={`emt-${k}`}>
        {t(label)}
      </label>
      <input id={`emt-${k}`} class="input" type={type} dir={dir} value={form[k]} onInput={set(k)} />
    </div>
  );
  return (
    <form class="form emt-new" onSubmit={submit} data-testid="emt-new">
      <h2>{t('emt.new')}</h2>
      <div class="field">
        <label class="field__label" for="emt-topic">
          {t('emt.topic')}
        </label>
        <select id="emt-topic" class="input" value={form.topic} onChange={set('topic')}>
          {TOPICS.map((x) => (
            <option key={x} value={x}>
              {t(`emt.topic.${x}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      {field('title_ar', 'emt.title_ar', 'text', 'rtl')}
      {field('title_fr', 'emt.title_fr', 'text', 'ltr')}
      {field('trainer', 'emt.trainer')}
      {field('capacity', 'emt.capacity', 'number', 'ltr')}
      {field('commune_code', 'emt.commune_code', 'text', 'ltr')}
      {field('address', 'emt.address')}
      {field('online_link', 'emt.online_link', 'url', 'ltr')}
      {field('starts_at', 'emt.starts_at', 'datetime-local', 'ltr')}
      {field('ends_at', 'emt.ends_at', 'datetime-local', 'ltr')}
      {error ? <ErrorNotice error={error} /> : null}
      <button class="btn btn--primary" type="submit">
        {t('emt.create')}
      </button>
    </form>
  );
}

export function EmpowermentTrainingsPage({ route, canManage }: { route: Route; canManage: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const from = route.params.get('from') ?? '';
  const to = route.params.get('to') ?? '';
  const topic = route.params.get('topic') ?? '';
  // The sessions of filters no longer chosen are aborted, so they never replace those of the filters on
  // screen.
  const { data: items, error, reload } = useLoaded(
    (signal) => trainingApi.list({ ...(from ? { from } : {}), ...(to ? { to } : {}), ...(topic ? { topic } : {}) }, signal).then((r) => r.items),
    `${from}/${to}/${topic}`,
  );
  const go = (next: Record<string, string>) => navigate('/trainings', { from, to, topic, ...next });
  return (
    <section class="card" data-testid="emt-calendar">
      <h1>{t('emt.title')}</h1>
      <div class="emt-filters">
        <label class="field__label" for="emt-from">
          {t('emt.from')}
        </label>
        <input id="emt-from" class="input" type="date" value={from} onChange={(e) => go({ from: e.currentTarget.value })} />
        <label class="field__label" for="emt-to">
          {t('emt.to')}
        </label>
        <input id="emt-to" class="input" type="date" value={to} onChange={(e) => go({ to: e.currentTarget.value })} />
        <label class="field__label" for="emt-filter-topic">
          {t('emt.topic')}
        </label>
        <select id="emt-filter-topic" class="input" value={topic} onChange={(e) => go({ topic: e.currentTarget.value })}>
          <option value="">{t('emt.all')}</option>
          {TOPICS.map((x) => (
            <option key={x} value={x}>
              {t(`emt.topic.${x}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t('emt.none')}</p>}
      {items && items.length > 0 && (
        <table class="table" data-testid="emt-sessions">
          <thead>
            <tr>
              <th>{t('emt.session')}</th>
              <th>{t('emt.topic')}</th>
              <th>{t('emt.when')}</th>
              <th>{t('emt.place')}</th>
              <th>{t('emt.seats')}</th>
              <th>{t('emt.waiting')}</th>
              <th>{t('emt.completed')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-testid="emt-session">
                <td dir="auto">
                  <a href={href(`/trainings/${s.id}`)}>
                    <bdi>{titleOf(s, i18n.lang)}</bdi>
                  </a>
                </td>
                <td>{t(`emt.topic.${s.topic}` as MessageKey)}</td>
                <td>{whenOf(s, i18n)}</td>
                <td dir="auto">
                  <bdi>{s.online_link ? t('emt.online') : (s.address ?? '')}</bdi> (<bdi>{s.commune_code}</bdi>)
                </td>
                <td>{t('emt.seats_value', { taken: i18n.num(s.registered), capacity: i18n.num(s.capacity) })}</td>
                <td>{i18n.num(s.waiting)}</td>
                <td>{i18n.num(s.completed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && <NewSession onCreated={reload} />}
    </section>
  );
}
