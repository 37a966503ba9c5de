import { useState } from 'preact/hooks';
import { registry } from '../api';
import type { ChangeRequest, User } from '../api';
import { AreaPicker } from '../components/AreaPicker';
import { errorMessage, formFieldErrors } from '../components/ErrorNotice';
import { PersonForm, emptyPerson } from '../components/PersonForm';
import { Warnings } from '../components/RequestOutcome';
import { FieldInput, toPayload } from '../components/RegistryFields';
import type { FieldErrors, FormValues } from '../components/RegistryFields';
import { useI18n } from '../i18n';
import { HOUSEHOLD_FIELD_BY_NAME, PERSON_FIELDS, canApprove } from '../registry';
import { href } from '../router';

const HOUSEHOLD_FORM_FIELDS = [
  'address', 'dwelling_type', 'tenure', 'rooms', 'wall_material', 'roof_material', 'water_source', 'electricity',
  'sanitation', 'registration_channel', 'registration_date',
];
const SPENDING_FIELDS = ['currency', 'spend_electricity', 'spend_water', 'spend_butane', 'spend_telephone'];
const ASSET_FIELDS = ['has_refrigerator', 'has_television', 'has_washing_machine', 'has_car', 'has_motorcycle', 'livestock_units', 'land_hectares'];

/** Client-side checks before sending (the server checks everything again). */
function localErrors(t: (k: 'form.required' | 'form.one_head' | 'form.name_required') => string, commune: string, members: FormValues[]): FieldErrors {
  const errors: FieldErrors = {};
  if (!commune) errors['household.commune_code'] = t('form.required');
  const heads = members.filter((m) => m['relationship'] === 'head').length;
  if (heads !== 1) errors['members'] = t('form.one_head');
  members.forEach((m, i) => {
    if (!(m['birth_date'] ?? '').trim()) errors[`members.${i}.birth_date`] = t('form.required');
    const full = (g: string, f: string) => (m[g] ?? '').trim() !== '' && (m[f] ?? '').trim() !== '';
    if (!full('given_name_ar', 'family_name_ar') && !full('given_name_lat', 'family_name_lat')) errors[`members.${i}.given_name_ar`] = t('form.name_required');
  });
  return errors;
}

export function NewHouseholdPage({ user }: { user: User }) {
  const { t } = useI18n();
  const [commune, setCommune] = useState('');
  const [household, setHousehold] = useState<FormValues>({ urban: 'true', currency: user.area_code?.startsWith('DZ') ? 'DZD' : 'MAD' });
  const [members, setMembers] = useState<FormValues[]>([emptyPerson('head')]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [filed, setFiled] = useState<ChangeRequest | null>(null);

  const setHh = (name: string, value: string) => setHousehold((h) => ({ ...h, [name]: value }));
  const setMember = (i: number, name: string, value: string) =>
    setMembers((ms) => ms.map((m, j) => (j === i ? { ...m, [name]: value } : m)));

  const submit = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    const local = localErrors(t, commune, members);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setFailure(t('form.fix_errors'));
      focusFirstError();
      return;
    }
    const hhDefs = [...HOUSEHOLD_FORM_FIELDS, ...SPENDING_FIELDS, ...ASSET_FIELDS, 'urban'].map((n) => HOUSEHOLD_FIELD_BY_NAME.get(n)!);
    const payload = {
      household: { commune_code: commune, ...toPayload(hhDefs, household) },
      members: members.map((m) => toPayload(PERSON_FIELDS, m)),
    };
    setBusy(true);
    try {
      setFiled(await registry.propose('create_household', payload));
    } catch (err) {
      // Every problem the server found, each at its field, in the page's language.
      const fields = formFieldErrors(t, err);
      if (Object.keys(fields).length > 0) {
        setErrors(fields);
        setFailure(t('form.server_rejected'));
        focusFirstError();
      } else {
        setFailure(errorMessage(t, err));
      }
    } finally {
      setBusy(false);
    }
  };

  if (filed) {
    return (
      <div class="page page--narrow" data-testid="new-household-done">
        <h1 class="page__title">{t('household.new')}</h1>
        <div class="notice notice--info" role="status">
          <p data-testid="filed-request" data-id={filed.id}>
            {t('cr.filed', { id: filed.id })}
          </p>
          <p class="muted">{filed.summary}</p>
          <p>{t('cr.awaiting')}</p>
        </div>
        <Warnings warnings={filed.warnings} />
        <p class="actions-row">
          {canApprove(user.roles) && <a href={href('/change-requests', { id: String(filed.id) })}>{t('cr.open')}</a>}
          <a href={href('/my-requests')}>{t('cr.my_requests_link')}</a>
          <a href={href('/households/new')} onClick={() => { setFiled(null); setMembers([emptyPerson('head')]); }}>
            {t('household.new_another')}
          </a>
          <a href={href('/registry')}>{t('search.title')}</a>
        </p>
      </div>
    );
  }

  const hhField = (n: string) => (
    <FieldInput key={n} def={HOUSEHOLD_FIELD_BY_NAME.get(n)!} idPrefix="hh" value={household[n] ?? ''} error={errors[`household.${n}`]} onChange={(v) => setHh(n, v)} />
  );

  return (
    <div class="page" data-testid="new-household-page">
      <header class="page__header">
        <h1 class="page__title">{t('household.new')}</h1>
        <p class="page__intro">{t('household.new_intro')}</p>
      </header>
      <form class="form" noValidate onSubmit={submit}>
        <section class="card form-section">
          <h2 class="section__title">{t('group.location')}</h2>
          <AreaPicker
            idPrefix="hh-commune"
            value={commune}
            onChange={setCommune}
            scope={user.area_code}
            communeOnly
            label={t('field.commune_code')}
            error={errors['household.commune_code']}
          />
          <div class="form-grid">
            <FieldInput def={HOUSEHOLD_FIELD_BY_NAME.get('urban')!} idPrefix="hh" value={household['urban'] ?? ''} noEmpty error={errors['household.urban']} onChange={(v) => setHh('urban', v)} />
            {['address', 'gps_lat', 'gps_lon'].map(hhField)}
          </div>
        </section>
        <section class="card form-section">
          <h2 class="section__title">{t('group.dwelling')}</h2>
          <div class="form-grid">{HOUSEHOLD_FORM_FIELDS.filter((n) => n !== 'address').map(hhField)}</div>
          <details class="person-form__more" open={[...SPENDING_FIELDS, ...ASSET_FIELDS].some((n) => errors[`household.${n}`])}>
            <summary>{t('form.spending_assets')}</summary>
            <div class="form-grid">{[...SPENDING_FIELDS, ...ASSET_FIELDS].map(hhField)}</div>
          </details>
        </section>

        <section class="card form-section" aria-labelledby="members-title">
          <h2 class="section__title" id="members-title">
            {t('household.members')} <span class="muted">({members.length})</span>
          </h2>
          {errors['members'] && <p class="field__error" data-testid="error-members">{errors['members']}</p>}
          <ol class="member-editor">
            {members.map((m, i) => {
              const own: FieldErrors = {};
              for (const [k, v] of Object.entries(errors)) {
                const prefix = `members.${i}.`;
                if (k.startsWith(prefix)) own[k.slice(prefix.length)] = v;
              }
              if (errors[`members.${i}`]) own['relationship'] = errors[`members.${i}`]!;
              return (
                <li key={i} class="member-editor__item" data-testid="member-editor">
                  <div class="member-editor__head">
                    <h3 class="member-editor__title">{t('household.member_n', { n: i + 1 })}</h3>
                    {members.length > 1 && (
                      <button type="button" class="btn btn--ghost btn--small" onClick={() => setMembers(members.filter((_, j) => j !== i))}>
                        {t('household.remove_from_form')}
                      </button>
                    )}
                  </div>
                  <PersonForm idPrefix={`m${i}`} values={m} errors={own} onChange={(n, v) => setMember(i, n, v)} />
                </li>
              );
            })}
          </ol>
          <button
            type="button"
            class="btn btn--secondary"
            data-testid="add-member-row"
            onClick={() => setMembers([...members, emptyPerson(members.some((m) => m['relationship'] === 'head') ? 'child' : 'head')])}
          >
            {t('household.add_member_row')}
          </button>
        </section>

        {failure && (
          <div class="notice notice--error" role="alert" data-testid="form-error">
            <p>{failure}</p>
          </div>
        )}
        <div class="actions-row">
          <button type="submit" class="btn btn--primary" disabled={busy} data-testid="submit-household">
            {busy ? t('form.submitting') : t('household.submit_new')}
          </button>
          <a class="btn btn--ghost" href={href('/registry')}>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </div>
  );
}

export function focusFirstError(): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>('[aria-invalid="true"], .field__error');
    el?.scrollIntoView({ block: 'center' });
    if (el && 'focus' in el) el.focus();
  });
}
