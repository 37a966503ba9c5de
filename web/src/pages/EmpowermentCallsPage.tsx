import { useEffect, useState } from 'preact/hooks';
import { empowermentFundingApi } from '../api';
import type { EmpCall } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { I18n } from '../i18n';
import { href, navigate } from '../router';

// #/funding-calls: the funding calls visible in the reader's area (empowerment.read), each with its
// envelope, what is committed and what remains; coordinators (empowerment.manage) open a call here.

export function callName(i18n: I18n, c: { name_ar: string; name_fr: string; name_en: string }): string {
  return i18n.lang === 'ar' ? c.name_ar : i18n.lang === 'fr' ? c.name_fr : c.name_en;
}

// The training topics a call or a tranche may require (kTrainingTopics on the server).
export const TRAINING_TOPICS = ['digital_skills', 'business_creation', 'management', 'other'] as const;

export function money(i18n: I18n, minor: number, currency: string): string {
  return i18n.num(minor / 100, { style: 'currency', currency, minimumFractionDigits: 2 });
}

/** "viability,40,2" lines → the rubric the server checks (CheckRubric). */
function parseRubric(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [code, max, weight] = l.split(',').map((x) => x.trim());
      return { code, max_points: Number(max), ...(weight ? { weight: Number(weight) } : {}) };
    });
}

function NewCallForm({ onCreated }: { onCreated: (c: EmpCall) => void }) {
  const { t } = useI18n();
  const year = new Date().getFullYear();
  const [v, setV] = useState<Record<string, string>>({ year: String(year), rubric: 'viability,40,2\nimpact,30,1', min_age: '18', max_age: '75' });
  const [error, setError] = useState<unknown>(null);
  const set = (k: string) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    const list = (s?: string) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    empowermentFundingApi
      .createCall({
        code: v.code ?? '',
        name_ar: v.name_ar ?? '',
        name_fr: v.name_fr ?? '',
        name_en: v.name_en ?? '',
        region_code: v.region_code ?? '',
        year: Number(v.year),
        envelope_minor: Math.round(Number(v.envelope ?? '0') * 100),
        opens_at: v.opens_at ?? '',
        closes_at: v.closes_at ?? '',
        eligibility: {
          kinds: list(v.kinds),
          situations: list(v.situations),
          min_age: Number(v.min_age),
          max_age: Number(v.max_age),
          ...(v.requires_training ? { requires_training: v.requires_training } : {}),
        },
        rubric: parseRubric(v.rubric ?? ''),
      })
      .then(onCreated)
      .catch(setError);
  };
  const field = (k: string, label: Parameters<typeof t>[0], type = 'text', dir?: 'rtl' | 'ltr') => (
    <div class="field">
      <label class="field__label" for={`empf-${k}`}>
        {t(label)}
      </label>
      <input id={`empf-${k}`} class="input" type={type} dir={dir} value={v[k] ?? ''} onInput={set(k)} data-testid={`empf-${k}`} />
    </div>
  );
  return (
    <form class="form empf-form" onSubmit={submit} noValidate data-testid="empf-new-call">
      <h2>{t('empf.new_call')}</h2>
      <div class="empf-grid">
        {field('code', 'empf.code', 'text', 'ltr')}
        {field('region_code', 'empf.region', 'text', 'ltr')}
        {field('year', 'empf.year', 'number')}
        {field('envelope', 'empf.envelope', 'number')}
        {field('name_ar', 'empf.name_ar', 'text', 'rtl')}
        {field('name_fr', 'empf.name_fr', 'text', 'ltr')}
        {field('name_en', 'empf.name_en', 'text', 'ltr')}
        {field('opens_at', 'empf.opens_at', 'date')}
        {field('closes_at', 'empf.closes_at', 'date')}
        {field('kinds', 'empf.kinds', 'text', 'ltr')}
        {field('situations', 'empf.situations', 'text', 'ltr')}
        {field('min_age', 'empf.ages', 'number')}
        {field('max_age', 'empf.ages', 'number')}
        <div class="field">
          <label class="field__label" for="empf-requires_training">
            {t('empf.requires_training')}
          </label>
          <select id="empf-requires_training" class="input" value={v.requires_training ?? ''} onChange={set('requires_training')} data-testid="empf-requires_training">
            <option value="">{t('empf.no_training')}</option>
            {TRAINING_TOPICS.map((topic) => (
              <option key={topic} value={topic}>
                {t(`emt.topic.${topic}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="field">
        <label class="field__label" for="empf-rubric">
          {t('empf.rubric')}
        </label>
        <textarea id="empf-rubric" class="input" dir="ltr" rows={4} value={v.rubric} onInput={set('rubric')} />
        <p class="field__hint">{t('empf.rubric_hint')}</p>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <button class="btn" type="submit" data-testid="empf-create">
        {t('empf.create')}
      </button>
    </form>
  );
}

export function EmpowermentCallsPage({ canManage }: { canManage: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [calls, setCalls] = useState<EmpCall[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setError(null);
    empowermentFundingApi
      .calls()
      .then((r) => setCalls(r.items))
      .catch(setError);
  };
  useEffect(load, []);
  return (
    <section class="card" data-testid="empf-calls">
      <h1>{t('empf.calls_title')}</h1>
      {error ? <ErrorNotice error={error} onRetry={load} /> : null}
      {!calls && !error && <Loading />}
      {calls && calls.length === 0 && <p>{t('empf.none')}</p>}
      {calls && calls.length > 0 && (
        <table class="table">
          <thead>
            <tr>
              <th>{t('empf.code')}</th>
              <th>{t('empf.name')}</th>
              <th>{t('empf.region')}</th>
              <th>{t('empf.closes_at')}</th>
              <th>{t('empf.envelope')}</th>
              <th>{t('empf.committed')}</th>
              <th>{t('empf.remaining')}</th>
              <th>{t('empf.applications')}</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((c) => (
              <tr key={c.id} data-testid="empf-call-row">
                <td>
                  <a href={href(`/funding-calls/${c.id}`)}>
                    <bdi>{c.code}</bdi>
                  </a>
                </td>
                <td dir="auto">{callName(i18n, c)}</td>
                <td>
                  <bdi>{c.region_code}</bdi>
                </td>
                <td>{i18n.date(c.closes_at)}</td>
                <td class="num">{money(i18n, c.envelope_minor, c.currency)}</td>
                <td class="num">{money(i18n, c.committed_minor, c.currency)}</td>
                <td class="num">{money(i18n, c.remaining_minor, c.currency)}</td>
                <td class="num">{i18n.num(c.applications)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && <NewCallForm onCreated={(c) => navigate(`/funding-calls/${c.id}`)} />}
    </section>
  );
}
