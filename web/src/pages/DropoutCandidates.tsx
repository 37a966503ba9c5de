import { useState } from 'preact/hooks';
import { ApiError, casesApi } from '../api';
import type { DropoutCandidate } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href, navigate } from '../router';

// Children of compulsory-schooling age (6–15) whom the registry records as out of school in the
// caller's area: the candidates for a school-dropout flag. Listed on demand (the read is audited as a
// search), each with the open case already about them, or a button that opens a child-at-risk case,
// links the child and raises the flag, then shows the case.

export function DropoutCandidates() {
  const { t, date } = useI18n();
  const [items, setItems] = useState<DropoutCandidate[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [hidden, setHidden] = useState(false);
  const load = () => {
    setError(null);
    casesApi.dropoutCandidates().then((r) => setItems(r.items), (e) => (e instanceof ApiError && e.status === 403 ? setHidden(true) : setError(e)));
  };
  const open = async (d: DropoutCandidate) => {
    try {
      const name = [d.given_name_ar ?? d.given_name_lat, d.family_name_ar ?? d.family_name_lat].filter(Boolean).join(' ');
      const c = await casesApi.open({ case_type: 'child_at_risk', origin: 'referral', origin_ref: `dropout:${d.person_id}`, commune_code: d.commune_code, summary: t('cases.dropout.summary', { name }) });
      await casesApi.link(c.id, d.person_id);
      await casesApi.childFlag(c.id, 'school_dropout', d.person_id, false);
      navigate(`/cases/${c.id}`);
    } catch (e) {
      setError(e);
    }
  };
  if (hidden) return null;
  return (
    <section class="card" data-testid="dropout-candidates">
      <h2>{t('cases.dropout.title')}</h2>
      <p class="muted">{t('cases.dropout.about')}</p>
      {items === null ? (
        <button type="button" class="btn" onClick={load} data-testid="dropout-load">
          {t('cases.dropout.show')}
        </button>
      ) : items.length === 0 ? (
        <p class="muted">{t('cases.dropout.none')}</p>
      ) : (
        <table class="table" data-testid="dropout-list">
          <thead>
            <tr>
              <th>{t('cases.dropout.child')}</th>
              <th>{t('cases.dropout.birth_date')}</th>
              <th>{t('cases.dropout.schooling')}</th>
              <th>{t('cases.col.commune')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.person_id} data-person={d.person_id}>
                <td>
                  <a href={href(`/households/${d.household_id}`)}>
                    <bdi>{[d.given_name_ar ?? d.given_name_lat, d.family_name_ar ?? d.family_name_lat].filter(Boolean).join(' ')}</bdi>
                  </a>
                </td>
                <td>{date(d.birth_date)}</td>
                <td>{t(`v.schooling.${d.schooling}` as MessageKey)}</td>
                <td dir="ltr">{d.commune_code}</td>
                <td>
                  {d.open_case_id !== null ? (
                    <a href={href(`/cases/${d.open_case_id}`)}>{t('cases.dropout.see_case', { id: d.open_case_id })}</a>
                  ) : (
                    <button type="button" class="btn btn--small" onClick={() => void open(d)} data-testid="dropout-open-case">
                      {t('cases.dropout.open_case')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error !== null && <ErrorNotice error={error} />}
    </section>
  );
}
