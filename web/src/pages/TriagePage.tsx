import { useEffect, useState } from 'preact/hooks';
import { api, casesApi, eservicesApi } from '../api';
import type { Country, MobileUnit, StaffReport, Submitted, User } from '../api';
import { AreaMap } from '../components/AreaMap';
import type { MapPin } from '../components/AreaMap';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { navigate } from '../router';
import type { Route } from '../router';
import { ReportForm, SentNotice } from './ReportPage';

// The staff side of e-services (#/triage): a unit's triage queue (or a counsellor pool's), most urgent
// first, with acknowledgement and notes; the coordinators' overdue board; the call-centre form for a
// phoned-in report. The server decides what each account sees (its units, its area).

const OVERDUE_ROLES = ['admin', 'regional_coordinator'];
const INTAKE_ROLES = ['admin', 'regional_coordinator', 'social_worker', 'data_entry'];
const TRIAGE_ROLES = ['admin', 'regional_coordinator', 'social_worker', 'counselor', 'mobile_unit'];

function ReportCard({ r, onChanged }: { r: StaffReport; onChanged: () => void }) {
  const { t, dateTime } = useI18n();
  const [note, setNote] = useState('');
  const [pub, setPub] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = (p: Promise<unknown>) =>
    p.then(() => {
      setNote('');
      onChanged();
    }, setError);
  return (
    <li class={`es-report${r.immediate_danger ? ' es-report--danger' : ''}`} data-testid="triage-report" id={`report-${r.id}`} tabIndex={-1}>
      <div class="es-report__head">
        <strong>{t(`eservice.service.${r.service_code}` as MessageKey)}</strong> <bdi class="muted">#{r.id}</bdi>
        {r.immediate_danger && <span class="es-tag es-tag--danger">{t('triage.danger')}</span>}
        {r.escalated_at && <span class="es-tag es-tag--danger">{t('triage.escalated')}</span>}
        {r.over_limit && <span class="es-tag">{t('triage.over_limit')}</span>}
        {r.duplicate_of !== null && <span class="es-tag">{t('triage.duplicate_of', { id: r.duplicate_of })}</span>}
      </div>
      <p class="es-report__text">{r.description}</p>
      {r.apparent_state && <p class="muted">{r.apparent_state}</p>}
      <dl class="es-dates">
        <dt>{t('es.commune')}</dt>
        <dd>
          <bdi>{r.commune_code}</bdi>
        </dd>
        {r.lat !== null && r.long !== null && (
          <>
            <dt>{t('triage.pin')}</dt>
            <dd dir="ltr">
              {r.lat.toFixed(5)}, {r.long.toFixed(5)}
            </dd>
          </>
        )}
        <dt>{t('triage.deadline')}</dt>
        <dd>{dateTime(r.ack_deadline)}</dd>
        <dt>{t('triage.channel')}</dt>
        <dd>{r.channel}</dd>
        {(r.contact_name || r.contact_phone) && (
          <>
            <dt>{t('triage.contact')}</dt>
            <dd>
              <bdi>{[r.contact_name, r.contact_phone, r.contact_email].filter(Boolean).join(' · ')}</bdi>
            </dd>
          </>
        )}
      </dl>
      {r.acknowledged_at ? (
        <p class="muted">{t('triage.acknowledged_by', { user: r.acknowledged_by ?? '' })}</p>
      ) : (
        <button type="button" class="btn btn--primary" onClick={() => act(eservicesApi.acknowledge(r.id))} data-testid="triage-ack">
          {t('triage.acknowledge')}
        </button>
      )}
      {
        // Every triage role may work cases. The server opens the report's case (its type, commune and
        // description) or answers the one already opened from it; either way the worker lands on it.
        <button
          type="button"
          class="btn"
          data-testid="triage-open-case"
          onClick={() =>
            casesApi.open({ origin: 'report', origin_ref: r.service_request_id }).then((c) => navigate(`/cases/${c.id}`), setError)
          }
        >
          {r.case_ref ? t('triage.show_case') : t('triage.open_case')}
        </button>
      }
      <form
        class="es-note"
        onSubmit={(e) => {
          e.preventDefault();
          if (note.trim()) act(eservicesApi.note(r.id, note.trim(), pub));
        }}
      >
        <input value={note} aria-label={t('triage.note')} placeholder={t('triage.note')} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
        <label class="checkbox">
          <input type="checkbox" checked={pub} onChange={(e) => setPub((e.target as HTMLInputElement).checked)} />
          {t('triage.note_public')}
        </label>
        <button type="submit" class="btn">
          {t('triage.note_add')}
        </button>
      </form>
      {error !== null && <ErrorNotice error={error} />}
    </li>
  );
}

function ReportList({ load, empty, version, withMap = false }: { load: (signal: AbortSignal) => Promise<{ items: StaffReport[] }>; empty: MessageKey; version: string; withMap?: boolean }) {
  const { t } = useI18n();
  // The request for a queue no longer shown is aborted, so its answer never replaces the one shown.
  const { data: items, error, reload } = useLoaded((signal) => load(signal).then((r) => r.items), version);
  const pins = usePins(items);
  if (error !== null) return <ErrorNotice error={error} onRetry={reload} />;
  if (!items) return <Loading />;
  if (items.length === 0) return <p class="muted">{t(empty)}</p>;
  const country: Country = items[0]?.commune_code.startsWith('DZ') ? 'DZ' : 'MA';
  return (
    <>
      {withMap && <AreaMap country={country} pins={pins} />}
      <ul class="es-reports">
        {items.map((r) => (
          <ReportCard key={r.id} r={r} onChanged={reload} />
        ))}
      </ul>
    </>
  );
}

// Commune centroids of reports without a pin, fetched once per commune.
const centroids = new Map<string, Promise<{ lat: number | null; lon: number | null }>>();
function centroid(code: string) {
  let p = centroids.get(code);
  if (!p) {
    p = api.area(code).then((d) => ({ lat: d.area.lat, lon: d.area.lon }));
    p.catch(() => centroids.delete(code));
    centroids.set(code, p);
  }
  return p;
}

// A pin per report: where the reporter put it, else at its commune's centroid. A pin opens its card.
function usePins(items: StaffReport[] | null): MapPin[] {
  const { t } = useI18n();
  const [pins, setPins] = useState<MapPin[]>([]);
  useEffect(() => {
    if (!items) return;
    let live = true;
    Promise.all(
      items.map(async (r): Promise<MapPin | null> => {
        const at = r.lat !== null && r.long !== null ? { lat: r.lat, lon: r.long } : await centroid(r.commune_code).catch(() => null);
        if (!at || at.lat === null || at.lon === null) return null;
        return {
          key: String(r.id),
          lat: at.lat,
          lon: at.lon,
          danger: r.immediate_danger,
          label: `#${r.id} ${t(`eservice.service.${r.service_code}` as MessageKey)}`,
          onSelect: () => {
            const card = document.getElementById(`report-${r.id}`);
            card?.scrollIntoView({ block: 'center' });
            card?.focus();
          },
        };
      }),
    ).then((all) => live && setPins(all.filter((p): p is MapPin => p !== null)));
    return () => {
      live = false;
    };
  }, [items]);
  return pins;
}

export function TriagePage({ route, user }: { route: Route; user: User }) {
  const { t } = useI18n();
  const [units, setUnits] = useState<MobileUnit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<Submitted | null>(null);
  const has = (roles: string[]) => user.roles.some((r) => roles.includes(r));
  const selected = route.params.get('queue') ?? '';
  useEffect(() => {
    if (!has(TRIAGE_ROLES)) return;
    eservicesApi.units().then((r) => setUnits(r.items), setError);
  }, []);
  const mine = units?.filter((u) => u.mine || !user.roles.every((r) => r === 'mobile_unit')) ?? [];
  const queues = [...mine.map((u) => ({ key: `unit:${u.id}`, label: `${u.code} — ${u.name}` })), ...(user.roles.some((r) => r !== 'mobile_unit') ? [{ key: 'pool:family', label: t('triage.pool.family') }, { key: 'pool:white_army', label: t('triage.pool.white_army') }] : [])];
  const current = selected || queues[0]?.key || '';
  const [kind, id] = current.split(':');
  return (
    <div data-testid="triage-page">
      <h1>{t('triage.title')}</h1>
      {has(TRIAGE_ROLES) && (
        <section class="card">
          {error !== null && <ErrorNotice error={error} />}
          {!units && error === null && <Loading />}
          {queues.length > 0 && (
            <div class="field">
              <label for="triage-queue">{t('triage.unit')}</label>
              <select id="triage-queue" value={current} onChange={(e) => navigate('/triage', { queue: (e.target as HTMLSelectElement).value })} data-testid="triage-queue">
                {queues.map((q) => (
                  <option key={q.key} value={q.key}>
                    {q.label}
                  </option>
                ))}
              </select>
            </div>
          )}
          {/* Once the user's units are known (or could not be): until then the first queue would be a pool's. */}
          {current && (units !== null || error !== null) && <ReportList withMap version={current} empty="triage.empty" load={(signal) => (kind === 'unit' ? eservicesApi.queue(Number(id), signal) : eservicesApi.pool(id ?? 'family', signal))} />}
        </section>
      )}
      {has(OVERDUE_ROLES) && (
        <section class="card" data-testid="overdue-board">
          <h2>{t('triage.overdue')}</h2>
          <ReportList version="overdue" empty="triage.overdue_empty" load={(signal) => eservicesApi.overdue(signal)} />
        </section>
      )}
      {has(INTAKE_ROLES) && (
        <section class="card">
          <h2>{t('triage.phoned')}</h2>
          {sent ? <SentNotice sent={sent} onAgain={() => setSent(null)} /> : <ReportForm agent onSent={setSent} />}
        </section>
      )}
    </div>
  );
}
