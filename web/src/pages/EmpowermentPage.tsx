import { useEffect, useState } from 'preact/hooks';
import { empowermentApi } from '../api';
import type { EmpowermentFile, EmpowermentRegistration } from '../api';
import { AreaLabel } from '../components/AreaPicker';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href, navigate } from '../router';
import { EmpowermentFileOverviewSection } from './EmpowermentFileOverview';
import { EmpowermentVisits } from './EmpowermentVisits';
import type { Route } from '../router';

// Staff pages of the empowerment platform (empowerment.read on the server, in the reader's area):
//   #/empowerment        registrations, newest first, filtered by status or probable duplicates;
//   #/empowerment/{id}   a woman's file: registration, probable duplicates, registry person, notes.

function nameOf(r: EmpowermentRegistration): string {
  const ar = [r.given_name_ar, r.family_name_ar].filter(Boolean).join(' ');
  const lat = [r.given_name_lat, r.family_name_lat].filter(Boolean).join(' ');
  return [ar, lat].filter(Boolean).join(' / ');
}

function RegistrationsList({ route }: { route: Route }) {
  const i18n = useI18n();
  const { t } = i18n;
  const status = route.params.get('status') ?? '';
  const duplicates = route.params.get('duplicates') === 'true';
  // The registrations of filters no longer chosen are aborted, so they never replace those of the
  // filters on screen.
  const { data: page, error } = useLoaded(
    (signal) => empowermentApi.list({ ...(status ? { status } : {}), ...(duplicates ? { duplicates: 'true' } : {}), limit: 100 }, signal),
    `${status}/${duplicates}`,
  );
  const go = (next: { status?: string; duplicates?: boolean }) =>
    navigate('/empowerment', {
      status: next.status ?? status,
      duplicates: (next.duplicates ?? duplicates) ? 'true' : null,
    });
  return (
    <section class="card" data-testid="empowerment-list">
      <h1>{t('emp.list_title')}</h1>
      <div class="emp-filters">
        <label class="field__label" for="emp-filter-status">
          {t('emp.filter_status')}
        </label>
        <select id="emp-filter-status" class="input" value={status} onChange={(e) => go({ status: e.currentTarget.value })}>
          <option value="">{t('emp.all')}</option>
          <option value="incomplete">{t('emp.status.incomplete')}</option>
          <option value="complete">{t('emp.status.complete')}</option>
        </select>
        <label class="sim-check">
          <input type="checkbox" checked={duplicates} data-testid="emp-filter-duplicates" onChange={(e) => go({ duplicates: e.currentTarget.checked })} />
          {t('emp.duplicates_only')}
        </label>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {!page && !error && <Loading />}
      {page && page.items.length === 0 && <p>{t('emp.none')}</p>}
      {page && page.items.length > 0 && (
        <table class="table">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('emp.name')}</th>
              <th>{t('emp.staff.kind')}</th>
              <th>{t('emp.commune')}</th>
              <th>{t('emp.status')}</th>
              <th>{t('emp.person')}</th>
              <th>{t('emp.registered_on')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((r) => (
              <tr key={r.id} data-testid="emp-row">
                <td>
                  <a href={href(`/empowerment/${r.id}`)}>{i18n.num(r.id)}</a>
                </td>
                <td dir="auto">
                  <bdi>{nameOf(r)}</bdi>
                </td>
                <td>{t(`emp.kind.${r.kind}` as MessageKey)}</td>
                <td>
                  <AreaLabel code={r.commune_code} />
                </td>
                <td>{t(`emp.status.${r.status}` as MessageKey)}</td>
                <td>{r.person_id ? i18n.num(r.person_id) : '—'}</td>
                <td>{i18n.date(r.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function FileView({ id, canNote }: { id: string; canNote: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [file, setFile] = useState<EmpowermentFile | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [isPublic, setIsPublic] = useState(false);
  const load = () => {
    setError(null);
    empowermentApi.get(id).then(setFile).catch(setError);
  };
  useEffect(load, [id]);
  if (error) return <ErrorNotice error={error} onRetry={load} />;
  if (!file) return <Loading />;
  const addNote = (e: Event) => {
    e.preventDefault();
    empowermentApi
      .addNote(id, note, isPublic)
      .then(() => {
        setNote('');
        load();
      })
      .catch(setError);
  };
  const row = (label: MessageKey, value: preact.ComponentChildren) => (
    <div class="emp-kv">
      <dt>{t(label)}</dt>
      <dd>{value ?? '—'}</dd>
    </div>
  );
  return (
    <section class="card" data-testid="empowerment-file">
      <p>
        <a href={href('/empowerment')}>{t('emp.back')}</a>
      </p>
      <h1>{t('emp.file_title', { id: i18n.num(file.id) })}</h1>
      <dl class="emp-dl">
        {row('emp.name', <bdi>{nameOf(file)}</bdi>)}
        {row('emp.staff.kind', t(`emp.kind.${file.kind}` as MessageKey))}
        {file.cooperative && row('emp.cooperative_name', <bdi>{`${file.cooperative.name} (${file.cooperative.registration_number})`}</bdi>)}
        {file.auto_entrepreneur_number && row('emp.ae_number', <bdi>{file.auto_entrepreneur_number}</bdi>)}
        {row('emp.birth_date', i18n.date(file.birth_date))}
        {row('emp.phone', <bdi>{file.phone}</bdi>)}
        {file.national_id && row('emp.national_id', <bdi>{file.national_id}</bdi>)}
        {row('emp.commune', <AreaLabel code={file.commune_code} />)}
        {row('emp.status', t(`emp.status.${file.status}` as MessageKey))}
        {row('emp.education', file.education ? t(`emp.education.${file.education}` as MessageKey) : null)}
        {row('emp.staff.situations', file.situations.map((s) => t(`emp.situation.${s}` as MessageKey)).join('، ') || null)}
        {row('emp.staff.skills', file.skills.length ? <bdi>{file.skills.join(', ')}</bdi> : null)}
        {row('emp.project_idea', file.project_idea ? <span dir="auto">{file.project_idea}</span> : null)}
      </dl>
      {file.person_id && <p data-testid="emp-linked-person">{t('emp.linked_person', { id: i18n.num(file.person_id) })}</p>}
      <h2>{t('emp.duplicates')}</h2>
      {file.probable_duplicates.length === 0 ? (
        <p>{t('emp.no_duplicates')}</p>
      ) : (
        <ul data-testid="emp-duplicates">
          {file.probable_duplicates.map((d) => (
            <li key={d.id}>
              <a href={href(`/empowerment/${d.id}`)}>{i18n.num(d.id)}</a> — {t('emp.probability')}{' '}
              {i18n.num(d.probability, { style: 'percent', maximumFractionDigits: 0 })}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('emp.notes')}</h2>
      {file.notes.length === 0 ? (
        <p>{t('emp.no_notes')}</p>
      ) : (
        <ul>
          {file.notes.map((n) => (
            <li key={n.id} dir="auto">
              {n.body} — <bdi>{n.written_by}</bdi>, {i18n.dateTime(n.written_at)}
              {n.public ? ` (${t('emp.note_public')})` : ''}
            </li>
          ))}
        </ul>
      )}
      {canNote && (
        <form class="form" onSubmit={addNote}>
          <label class="field__label" for="emp-note">
            {t('emp.add_note')}
          </label>
          <textarea id="emp-note" class="input" dir="auto" rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <label class="sim-check">
            <input type="checkbox" checked={isPublic} onChange={(e) => setIsPublic(e.currentTarget.checked)} />
            {t('emp.note_public')}
          </label>
          <button class="btn" type="submit" disabled={!note.trim()}>
            {t('emp.add_note')}
          </button>
        </form>
      )}
      <EmpowermentFileOverviewSection id={id} />
      <EmpowermentVisits id={id} canManage={canNote} />
    </section>
  );
}

export function EmpowermentPage({ route, canNote }: { route: Route; canNote: boolean }) {
  if (route.path === '/empowerment') return <RegistrationsList route={route} />;
  const id = route.path.slice('/empowerment/'.length);
  if (!/^\d+$/.test(id)) return null;
  return <FileView key={id} id={id} canNote={canNote} />;
}
