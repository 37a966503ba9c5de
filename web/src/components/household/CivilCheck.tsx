// Confirming a household member's identity with the civil registry (docs/crvs.md §Confirming an
// identity): a button on the member row asks the registry by the member's identifier and shows what it
// records next to the social registry's values, with what agrees. Nothing is changed.
import { useState } from 'preact/hooks';
import { crvs } from '../../api';
import type { IdentityCheck, Person } from '../../api';
import { ErrorNotice } from '../ErrorNotice';
import { useI18n } from '../../i18n';
import { vocabKey } from '../../registry';
import type { MessageKey } from '../../i18n';
import '../../styles/crvs.css';

export function CivilCheck({ person }: { person: Person }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<IdentityCheck | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const hasIdentifier = !!person.national_id || (typeof person.source_ref === 'string' && person.source_ref.startsWith('CRVS:'));
  if (!hasIdentifier) return null;

  async function check() {
    setBusy(true);
    setError(null);
    setMissing(false);
    try {
      const { items } = await crvs.registries();
      if (items.length === 0) {
        setMissing(true);
        return;
      }
      setResult(await crvs.confirm(items[0].code, person.id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const flag = (v: boolean | null) => (
    <span class={v === null ? 'crvs-flag' : v ? 'crvs-flag crvs-flag--ok' : 'crvs-flag crvs-flag--bad'}>
      {t(v === null ? 'crvs.unknown' : v ? 'crvs.agrees' : 'crvs.differs')}
    </span>
  );
  const row = (label: MessageKey, civil: string | null | undefined, agrees: boolean | null) => (
    <tr>
      <th scope="row">{t(label)}</th>
      <td>
        <bdi>{civil ?? t('common.none')}</bdi>
      </td>
      <td>{flag(agrees)}</td>
    </tr>
  );

  return (
    <div class="crvs-check no-print">
      <button type="button" class="btn btn--ghost btn--small" data-testid="crvs-confirm" disabled={busy} onClick={check}>
        {t('crvs.confirm')}
      </button>
      {missing && <p class="muted">{t('crvs.no_registry')}</p>}
      {error !== null && <ErrorNotice error={error} />}
      {result && (
        <div class="crvs-check__result" data-testid="crvs-result">
          <p class="crvs-check__title">{t('crvs.confirm_title')}</p>
          {!result.found ? (
            <p class="muted">{t('crvs.not_found')}</p>
          ) : (
            <table class="table table--compact">
              <thead>
                <tr>
                  <th scope="col">{t('crvs.field')}</th>
                  <th scope="col">{t('crvs.civil')}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {row('crvs.given_name', result.civil?.given_name, result.agreement.given_name)}
                {row('crvs.family_name', result.civil?.surname, result.agreement.family_name)}
                {row('field.sex', result.civil?.sex ? t(vocabKey('sex', result.civil.sex)) : null, result.agreement.sex)}
                {row('field.birth_date', result.civil?.birth_date, result.agreement.birth_date)}
              </tbody>
            </table>
          )}
          {result.agreement.dead_in_civil_registry && result.agreement.alive_here && (
            <p class="notice notice--error" role="alert">
              {t('crvs.death', { date: result.civil?.death_date ?? '' })}
            </p>
          )}
          <button type="button" class="btn btn--secondary btn--small" onClick={() => setResult(null)}>
            {t('crvs.close')}
          </button>
        </div>
      )}
    </div>
  );
}
