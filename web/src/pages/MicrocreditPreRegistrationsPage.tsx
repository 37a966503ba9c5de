import { useState } from 'preact/hooks';
import { microcreditApi } from '../api';
import type { McPreRegistration } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href } from '../router';
import type { Route } from '../router';

// #/microcredit/pre-registrations: the citizens' pre-registrations of the officer's area (the server
// filters by scope and audits the read). An officer converts one into an application for the registry
// person it is (the server checks it is the same person) or rejects it with a reason the citizen reads.

const STATUSES = ['received', 'converted', 'rejected'] as const;

function name(p: McPreRegistration, lang: string): string {
  const ar = [p.given_name_ar, p.family_name_ar].filter(Boolean).join(' ');
  const lat = [p.given_name_lat, p.family_name_lat].filter(Boolean).join(' ');
  return (lang === 'ar' ? ar || lat : lat || ar) || '—';
}

function Decide({ pre, onDone }: { pre: McPreRegistration; onDone: () => void }) {
  const { t } = useI18n();
  const [person, setPerson] = useState('');
  const [training, setTraining] = useState(true);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const convert = (e: Event) => {
    e.preventDefault();
    setError(null);
    microcreditApi.convertPre(pre.id, Number(person), training).then(onDone, setError);
  };
  const reject = (e: Event) => {
    e.preventDefault();
    setError(null);
    microcreditApi.rejectPre(pre.id, reason).then(onDone, setError);
  };
  return (
    <div class="mca-decide">
      <form class="mca-actions" onSubmit={convert} data-testid={`mcp-convert-${pre.id}`}>
        <label>
          {t('mcp.person')}
          <input class="input" inputMode="numeric" value={person} onInput={(e) => setPerson(e.currentTarget.value)} required />
        </label>
        <label class="mc-check">
          <input type="checkbox" checked={training} onChange={(e) => setTraining(e.currentTarget.checked)} />
          {t('mcp.training_required')}
        </label>
        <button class="btn btn--primary" type="submit">
          {t('mcp.convert')}
        </button>
      </form>
      <form class="mca-actions" onSubmit={reject}>
        <label>
          {t('mcp.reject_reason')}
          <input class="input" dir="auto" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required />
        </label>
        <button class="btn" type="submit">
          {t('mcp.reject')}
        </button>
      </form>
      {error !== null && <ErrorNotice error={error} />}
    </div>
  );
}

/** A note on the pre-registration; a public one is shown to the citizen with the tracking code. */
function Note({ pre }: { pre: McPreRegistration }) {
  const { t } = useI18n();
  const [body, setBody] = useState('');
  const [isPublic, setPublic] = useState(true);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      class="mca-actions"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        setSaved(false);
        microcreditApi.notePre(pre.id, body, isPublic).then(() => {
          setSaved(true);
          setBody('');
        }, setError);
      }}
    >
      <label>
        {t('mcp.note')}
        <input class="input" dir="auto" value={body} onInput={(e) => setBody(e.currentTarget.value)} required />
      </label>
      <label class="mc-check">
        <input type="checkbox" checked={isPublic} onChange={(e) => setPublic(e.currentTarget.checked)} />
        {t('mcp.note_public')}
      </label>
      <button class="btn" type="submit">
        {t('mcp.add_note')}
      </button>
      {saved && <span class="muted">{t('mcp.note_saved')}</span>}
      {error !== null && <ErrorNotice error={error} />}
    </form>
  );
}

export function MicrocreditPreRegistrationsPage({ route, canManage }: { route: Route; canManage: boolean }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const status = route.params.get('status') ?? 'received';
  // The pre-registrations of a status no longer chosen are aborted, so they never replace those of the
  // status on screen.
  const { data: items, error, reload } = useLoaded((signal) => microcreditApi.preRegistrations(status, signal).then((p) => p.items), status);
  return (
    <section class="page mc" data-testid="mcp-page">
      <header class="page__header">
        <h1>{t('mcp.title')}</h1>
        <a class="btn" href={href('/microcredit')}>
          {t('mc.title')}
        </a>
      </header>
      <nav class="mc-filters" aria-label={t('mc.state')}>
        {STATUSES.map((s) => (
          <a key={s} href={href('/microcredit/pre-registrations', { status: s })} aria-current={status === s ? 'page' : undefined}>
            {t(`mcp.status.${s}` as MessageKey)}
          </a>
        ))}
      </nav>
      {error !== null && <ErrorNotice error={error} />}
      {items && items.length === 0 && <p class="muted">{t('mcp.none')}</p>}
      {items && items.length > 0 && (
        <table class="table" data-testid="mcp-list">
          <thead>
            <tr>
              <th>{t('mc.number')}</th>
              <th>{t('mcp.name')}</th>
              <th>{t('mcp.nin')}</th>
              <th>{t('mc.commune')}</th>
              <th>{t('mcp.project')}</th>
              <th>{t('mcp.preview')}</th>
              <th>{t('mc.state')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id} data-testid="mcp-row">
                <td>{p.id}</td>
                <td dir="auto">
                  <bdi>{name(p, lang)}</bdi>
                  <div class="muted">
                    <bdi>{p.birth_date}</bdi> · <bdi dir="ltr">{p.phone}</bdi>
                  </div>
                </td>
                <td>
                  <bdi dir="ltr">{p.national_id}</bdi>
                </td>
                <td>
                  <bdi>{p.commune_code}</bdi>
                </td>
                <td dir="auto">
                  {t(`mc.product.${p.product}` as MessageKey)} · <bdi>{i18n.num(p.estimated_cost)}</bdi>
                  <div class="muted">{p.project_idea}</div>
                </td>
                <td>
                  {p.preview.length === 0 ? (
                    t('mcp.eligible')
                  ) : (
                    <ul class="mc-reasons">
                      {p.preview.map((r) => (
                        <li key={r.code} dir="auto">
                          {r.text}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  {canManage && <Note pre={p} />}
                  {p.status === 'received' && canManage ? (
                    <Decide pre={p} onDone={reload} />
                  ) : p.application_id ? (
                    <a href={href(`/microcredit/applications/${p.application_id}`)}>{t('mcp.application', { id: p.application_id })}</a>
                  ) : (
                    <span dir="auto">
                      {t(`mcp.status.${p.status}` as MessageKey)}
                      {p.reject_reason ? ` — ${p.reject_reason}` : ''}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
