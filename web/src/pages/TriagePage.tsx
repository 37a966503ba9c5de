import { useEffect, useState } from 'preact/hooks';
import { eservicesApi } from '../api';
import type { MobileUnit, StaffReport, Submitted, User } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
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
    <li class={`es-report${r.immediate_danger ? ' es-report--danger' : ''}`} data-testid="triage-report">
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

function ReportList({ load, empty, version }: { load: () => Promise<{ items: StaffReport[] }>; empty: MessageKey; version: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<StaffReport[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    setError(null);
    load().then((r) => setItems(r.items), setError);
  }, [version, tick]);
  if (error !== null) return <ErrorNotice error={error} onRetry={() => setTick((n) => n + 1)} />;
  if (!items) return <Loading />;
  if (items.length === 0) return <p class="muted">{t(empty)}</p>;
  return (
    <ul class="es-reports">
      {items.map((r) => (
        <ReportCard key={r.id} r={r} onChanged={() => setTick((n) => n + 1)} />
      ))}
    </ul>
  );
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
          {current && <ReportList version={current} empty="triage.empty" load={() => (kind === 'unit' ? eservicesApi.queue(Number(id)) : eservicesApi.pool(id ?? 'family'))} />}
        </section>
      )}
      {has(OVERDUE_ROLES) && (
        <section class="card" data-testid="overdue-board">
          <h2>{t('triage.overdue')}</h2>
          <ReportList version="overdue" empty="triage.overdue_empty" load={() => eservicesApi.overdue()} />
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
