import type { Household } from '../../api';
import { useI18n } from '../../i18n';
import { headOf, nameIn } from '../../registry';
import { AreaLabel } from '../AreaPicker';

/** A registration attestation for one member (the head by default), printed from the household page:
 *  name in both scripts, national ID, household, commune, registration date and a reference. */
export function Attestation({ household: h, personId }: { household: Household; personId: string | null }) {
  const { t, date, dateTime } = useI18n();
  const person = h.members.find((m) => String(m.id) === personId) ?? headOf(h) ?? h.members[0];
  if (!person) return null;
  const registered = (h['registration_date'] as string | null) ?? h.created_at;
  const reference = `${h.ref ?? h.id}/${person.record_id ?? person.id}`;
  const today = new Date().toISOString();
  return (
    <article class="attestation card" data-testid="attestation">
      <header class="attestation__head">
        <p class="attestation__issuer">{t('app.name')} · {t('app.tagline')}</p>
        <h1 class="attestation__title">{t('attestation.title')}</h1>
      </header>
      <p>{t('attestation.body')}</p>
      <dl class="facts">
        <div class="facts__item">
          <dt>{t('person.name_ar')}</dt>
          <dd>
            <bdi lang="ar" dir="rtl" data-testid="attestation-name-ar">
              {nameIn(person, 'ar') || t('common.none')}
            </bdi>
          </dd>
        </div>
        <div class="facts__item">
          <dt>{t('person.name_lat')}</dt>
          <dd>
            <bdi lang="fr" dir="ltr" data-testid="attestation-name-lat">
              {nameIn(person, 'lat') || t('common.none')}
            </bdi>
          </dd>
        </div>
        <div class="facts__item">
          <dt>{t('field.national_id')}</dt>
          <dd>
            <bdi dir="ltr">{person.national_id ?? t('common.none')}</bdi>
          </dd>
        </div>
        <div class="facts__item">
          <dt>{t('attestation.household')}</dt>
          <dd>
            <bdi dir="ltr">{h.ref ?? String(h.id)}</bdi>
          </dd>
        </div>
        <div class="facts__item">
          <dt>{t('field.commune_code')}</dt>
          <dd>
            <AreaLabel code={h.commune_code} />
          </dd>
        </div>
        <div class="facts__item">
          <dt>{t('attestation.registered_on')}</dt>
          <dd>{date(registered)}</dd>
        </div>
        <div class="facts__item">
          <dt>{t('attestation.reference')}</dt>
          <dd>
            <bdi dir="ltr" data-testid="attestation-reference">
              {reference}
            </bdi>
          </dd>
        </div>
      </dl>
      <footer class="attestation__foot">
        <p>{t('attestation.issued', { when: dateTime(today) })}</p>
        <p class="attestation__sign">{t('attestation.signature')}</p>
      </footer>
    </article>
  );
}
