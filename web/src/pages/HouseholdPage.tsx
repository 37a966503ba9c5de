import { useEffect, useState } from 'preact/hooks';
import { ApiError, registry } from '../api';
import type { Household, User } from '../api';
import { validDate } from '../areas';
import { AreaLabel } from '../components/AreaPicker';
import { DateInput } from '../components/DateInput';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import { HOUSEHOLD_GROUPS, PERSON_FIELD_BY_NAME, ageOf, canPropose, displayName, fieldKey, formatValue, headOf, nameIn, vocabKey } from '../registry';
import { href, navigate } from '../router';
import type { Route } from '../router';
import { HouseholdActions, PendingRequests } from '../components/household/HouseholdActions';
import { Attestation } from '../components/household/Attestation';
import { CivilCheck } from '../components/household/CivilCheck';
import { BenefitsSection, HistorySection } from '../components/household/HouseholdHistory';
import { EligibilitySection, ScoreSection } from '../components/household/ScoreSection';

/** #/households/12?as_of=2026-01-31 */
export function HouseholdPage({ route, user, id }: { route: Route; user: User; id: string }) {
  const { t, date } = useI18n();
  const asOf = validDate(route.params.get('as_of'));
  const [household, setHousehold] = useState<Household | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    setHousehold(null);
    registry
      .household(id, asOf, ctrl.signal)
      .then(setHousehold)
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(e);
      });
    return () => ctrl.abort();
  }, [id, asOf, attempt]);

  const missingThen = asOf && error instanceof ApiError && error.status === 404;
  const setAsOf = (v: string | undefined) => navigate(`/households/${id}`, { as_of: v });
  const reload = () => setAttempt((a) => a + 1);

  return (
    <div class="page" data-testid="household-page">
      <nav class="breadcrumb" aria-label={t('areas.breadcrumb')}>
        <ol class="breadcrumb__list">
          <li class="breadcrumb__item">
            <a href={href('/registry')}>{t('nav.registry')}</a>
          </li>
          <li class="breadcrumb__item">
            <span aria-current="page">{household?.ref ?? t('household.title_id', { id })}</span>
          </li>
        </ol>
      </nav>

      <div class="toolbar" role="group">
        <div class="toolbar__group">
          <label class="toolbar__label" for="hh-as-of">
            {t('household.as_of')}
          </label>
          <div class="toolbar__inline">
            <DateInput id="hh-as-of" value={asOf ?? ''} testid="household-as-of" onChange={(iso) => setAsOf(iso ? validDate(iso) : undefined)} />
            {asOf && (
              <button type="button" class="btn btn--ghost btn--small" data-testid="as-of-clear" onClick={() => setAsOf(undefined)}>
                {t('household.as_of_today')}
              </button>
            )}
          </div>
          <p class="toolbar__hint">{asOf ? t('household.as_of_active', { date: date(asOf) }) : t('household.as_of_hint')}</p>
        </div>
      </div>

      {missingThen ? (
        <div class="notice notice--info" role="status" data-testid="as-of-missing">
          <p>{t('household.did_not_exist', { date: date(asOf) })}</p>
          <button type="button" class="btn btn--secondary btn--small" onClick={() => setAsOf(undefined)}>
            {t('household.as_of_today')}
          </button>
        </div>
      ) : error ? (
        <ErrorNotice error={error} onRetry={reload} />
      ) : !household ? (
        <Loading />
      ) : route.params.get('print') === 'attestation' ? (
        <>
          <div class="btn-row no-print">
            <button type="button" class="btn btn--primary" data-testid="print" onClick={() => window.print()}>
              {t('print.print')}
            </button>
            <a class="btn btn--secondary" href={href(`/households/${id}`)}>
              {t('print.back')}
            </a>
          </div>
          <Attestation household={household} personId={route.params.get('person')} />
        </>
      ) : (
        <HouseholdView household={household} user={user} asOf={asOf} onChanged={reload} />
      )}
    </div>
  );
}

function HouseholdView({ household: h, user, asOf, onChanged }: { household: Household; user: User; asOf: string | undefined; onChanged: () => void }) {
  const i18n = useI18n();
  const { t, lang, date } = i18n;
  const head = headOf(h);
  const [pendingKey, setPendingKey] = useState(0);
  const currency = (h['currency'] as string | null) ?? null;
  return (
    <>
      <header class="page__header household-head">
        <div>
          <h1 class="page__title" data-testid="household-title">
            {t('household.title', { ref: h.ref ?? String(h.id) })}
          </h1>
          <p class="page__intro">
            {head && (
              <>
                {t('household.head')}: <bdi data-testid="household-head">{displayName(head, lang)}</bdi> ·{' '}
              </>
            )}
            <AreaLabel code={h.commune_code} />
          </p>
        </div>
        <div class="household-head__badges">
          <span class={`badge badge--${h.status}`} data-testid="household-status">
            {t(vocabKey('status', h.status))}
          </span>
          {asOf && <span class="badge badge--accent">{t('household.as_of_badge', { date: date(asOf) })}</span>}
          <div class="btn-row no-print">
            <button type="button" class="btn btn--secondary btn--small" data-testid="print-record" onClick={() => window.print()}>
              {t('print.record')}
            </button>
            <a class="btn btn--secondary btn--small" data-testid="print-attestation" href={href(`/households/${h.id}`, { print: 'attestation' })}>
              {t('print.attestation')}
            </a>
          </div>
        </div>
      </header>

      <section class="section" aria-labelledby="hh-vars">
        <h2 class="section__title" id="hh-vars">
          {t('household.variables')}
        </h2>
        <div class="var-groups">
          {HOUSEHOLD_GROUPS.map((g) => (
            <section key={g.id} class="card var-group" data-testid={`group-${g.id}`}>
              <h3 class="var-group__title">{t(`group.${g.id}` as 'group.location')}</h3>
              <dl class="facts facts--compact">
                {g.fields.map((d) => (
                  <div class="facts__item" key={d.name}>
                    <dt>{t(fieldKey(d.name))}</dt>
                    <dd data-field={d.name}>
                      {d.kind === 'area' ? <AreaLabel code={h[d.name] as string} /> : <bdi>{formatValue(i18n, d, h[d.name], currency)}</bdi>}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </section>

      <MembersSection household={h} />

      {!asOf && <ScoreSection id={h.id} />}
      {!asOf && <EligibilitySection id={h.id} />}

      {!asOf && canPropose(user.roles) && (
        <HouseholdActions household={h} user={user} onFiled={() => setPendingKey((k) => k + 1)} />
      )}
      {!asOf && <PendingRequests household={h} user={user} refresh={pendingKey} onChanged={onChanged} />}
      <HistorySection id={h.id} />
      <BenefitsSection id={h.id} members={h.members} />
    </>
  );
}

function MembersSection({ household: h }: { household: Household }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  return (
    <section class="section" aria-labelledby="hh-members">
      <h2 class="section__title" id="hh-members">
        {t('household.members')} <span class="muted">({num(h.members.filter((m) => m.status === 'active').length)})</span>
      </h2>
      <div class="table-wrap">
        <table class="table" data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">{t('field.relationship')}</th>
              <th scope="col">{t('person.name_ar')}</th>
              <th scope="col">{t('person.name_lat')}</th>
              <th scope="col">{t('field.sex')}</th>
              <th scope="col">{t('field.birth_date')}</th>
              <th scope="col">{t('field.schooling')}</th>
              <th scope="col">{t('field.disability_type')}</th>
              <th scope="col">{t('field.national_id')}</th>
              <th scope="col">{t('field.phone')}</th>
              <th scope="col">{t('field.status')}</th>
            </tr>
          </thead>
          <tbody>
            {h.members.map((m) => {
              const age = ageOf(m.birth_date);
              return (
                <tr key={m.id} data-testid="member-row" data-id={m.id} class={m.status !== 'active' ? 'row--inactive' : undefined}>
                  <td>{t(vocabKey('relationship', m.relationship))}</td>
                  <td>
                    <bdi lang="ar" dir="rtl">{nameIn(m, 'ar') || t('common.none')}</bdi>
                  </td>
                  <td>
                    <bdi lang="fr" dir="ltr">{nameIn(m, 'lat') || t('common.none')}</bdi>
                  </td>
                  <td>{t(vocabKey('sex', m.sex))}</td>
                  <td>
                    {formatValue(i18n, PERSON_FIELD_BY_NAME.get('birth_date'), m.birth_date)}
                    {age !== null && <span class="muted"> · {t('person.age', { n: num(age) })}</span>}
                  </td>
                  <td>{formatValue(i18n, PERSON_FIELD_BY_NAME.get('schooling'), m.schooling)}</td>
                  <td>
                    {formatValue(i18n, PERSON_FIELD_BY_NAME.get('disability_type'), m.disability_type)}
                    {m.disability_percent !== null && m.disability_percent !== undefined && <span class="muted"> · {num(m.disability_percent / 100, { style: 'percent' })}</span>}
                  </td>
                  <td>
                    <bdi class="code" dir="ltr">{m.national_id ?? t('common.none')}</bdi>
                    <CivilCheck person={m} />
                  </td>
                  <td>
                    <bdi dir="ltr">{m.phone ?? t('common.none')}</bdi>
                  </td>
                  <td>
                    {t(vocabKey('status', m.status))}
                    {m.exit_reason && <span class="muted"> · {t(vocabKey('exit_reason', m.exit_reason))}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------
// Actions: each files a change request.

