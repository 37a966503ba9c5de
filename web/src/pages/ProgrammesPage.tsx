import { useEffect, useState } from 'preact/hooks';
import { programsApi } from '../api';
import type { Program } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { I18n, MessageKey } from '../i18n';
import { href, navigate } from '../router';
import { money } from './CyclesPage';

// The programmes (#/programmes): the built-in ones and those users created, with what a targeting unit
// compares at a glance, and the start of a new programme (a template's copy or a blank one). Opening a
// programme leads to its editor (#/programmes/CODE).

export function programName(p: Pick<Program, 'name_ar' | 'name_fr' | 'name_en'>, lang: I18n['lang']): string {
  return (lang === 'ar' ? p.name_ar : lang === 'fr' ? p.name_fr : p.name_en) || p.name_en || p.name_fr || p.name_ar;
}

/** A yearly budget in minor units as an amount of the currency (centimes → dirhams), with its cents as
 *  the cycles' and payments' amounts are: 1234567,5 is not shown as 1.234.568. */
export function budgetText(i18n: I18n, p: Pick<Program, 'budget_minor' | 'currency'>): string {
  if (p.budget_minor === null || p.budget_minor === undefined) return i18n.t('prog.no_budget');
  return money(i18n, p.budget_minor, p.currency);
}

function NewProgramme({ programs }: { programs: Program[] }) {
  const { t, lang } = useI18n();
  const [from, setFrom] = useState('');
  const start = (e: Event) => {
    e.preventDefault();
    navigate('/programmes/new', { from });
  };
  return (
    <form class="card form programmes-new" onSubmit={start} data-testid="programme-new">
      <h2 class="section__title">{t('prog.new')}</h2>
      <div class="form__row">
        <div class="field">
          <label class="field__label" for="programme-new-from">
            {t('prog.new_from')}
          </label>
          <select id="programme-new-from" class="input" value={from} data-testid="programme-new-from" onChange={(e) => setFrom(e.currentTarget.value)}>
            <option value="">{t('prog.new_blank')}</option>
            {programs.map((p) => (
              <option key={p.code} value={p.code}>
                {p.code} — {programName(p, lang)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn--primary" data-testid="programme-new-start">
          {t('prog.new_start')}
        </button>
      </div>
    </form>
  );
}

export function ProgrammesPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [programs, setPrograms] = useState<Program[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setError(null);
    programsApi
      .list()
      .then((r) => setPrograms(r.items))
      .catch(setError);
  };
  useEffect(load, []);

  return (
    <div class="page programmes-page" data-testid="programmes-page">
      <header class="page__header">
        <h1 class="page__title">{t('prog.title')}</h1>
        <p class="page__intro">{t('prog.intro')}</p>
      </header>
      {error !== null && <ErrorNotice error={error} onRetry={load} />}
      {programs === null && error === null && <Loading />}
      {programs !== null && (
        <>
          <div class="card table-wrap">
            <table class="table" data-testid="programmes-table">
              <thead>
                <tr>
                  <th scope="col">{t('prog.code')}</th>
                  <th scope="col">{t('prog.name')}</th>
                  <th scope="col">{t('prog.kind')}</th>
                  <th scope="col">{t('prog.currency')}</th>
                  <th scope="col">{t('prog.frequency')}</th>
                  <th scope="col">{t('prog.budget')}</th>
                  <th scope="col">{t('prog.version')}</th>
                  <th scope="col">{t('prog.public_short')}</th>
                </tr>
              </thead>
              <tbody>
                {programs.map((p) => (
                  <tr key={p.code} data-testid={`programme-row-${p.code}`}>
                    <td>
                      <a href={href(`/programmes/${p.code}`)} dir="ltr" data-testid={`programme-link-${p.code}`}>
                        {p.code}
                      </a>
                    </td>
                    <td>{programName(p, lang)}</td>
                    <td>{t(`prog.kind.${p.kind}` as MessageKey)}</td>
                    <td dir="ltr">{p.currency}</td>
                    <td>{t(`prog.frequency.${p.frequency}` as MessageKey)}</td>
                    <td class="num">{budgetText(i18n, p)}</td>
                    <td>{p.version ? i18n.num(p.version) : t('prog.template')}</td>
                    <td data-testid={`programme-public-${p.code}`}>{p.public ? t('common.yes') : t('common.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <NewProgramme programs={programs} />
        </>
      )}
    </div>
  );
}
