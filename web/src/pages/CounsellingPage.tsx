import { useEffect, useState } from 'preact/hooks';
import { counsellingApi } from '../api';
import type { Booking, BookingDetail, Counsellor, SlotTime, User } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { navigate } from '../router';
import type { Route } from '../router';

// The counsellor calendar (#/counselling, issue 11 §4 and §7): a week of one counsellor's free slots
// and bookings in local time (UTC+1 in Morocco and Algeria, whatever the browser's zone), the pending
// counselling requests of the counsellor's pool to book into a free slot, and on each booking the
// session outcome (attended / no-show) and confidential notes, which only the session's counsellor
// writes and reads. The server decides what each account sees (the counsellors of its area).

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The local date (UTC+1) of an instant, YYYY-MM-DD. */
function localDay(ms: number): string {
  return new Date(ms + HOUR).toISOString().slice(0, 10);
}
/** HH:MM local (UTC+1) of an ISO timestamp. */
function localClock(iso: string): string {
  return new Date(Date.parse(iso) + HOUR).toISOString().slice(11, 16);
}
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

const SESSION_ROLES = ['admin', 'counselor'];
const BOOK_ROLES = ['admin', 'regional_coordinator', 'counselor'];

function BookingCard({ b, user, onChanged }: { b: Booking; user: User; onChanged: () => void }) {
  const { t } = useI18n();
  const [detail, setDetail] = useState<BookingDetail | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const started = Date.parse(b.slot_start) <= Date.now();
  const live = b.status === 'booked';
  const can = (roles: string[]) => user.roles.some((r) => roles.includes(r));
  const load = () => counsellingApi.booking(b.id).then(setDetail, setError);
  const act = (p: Promise<unknown>) => p.then(() => onChanged(), setError);
  return (
    <li class={`co-booking co-booking--${b.status}`} data-testid="co-booking">
      <div class="co-booking__head">
        <span dir="ltr">{localClock(b.slot_start)}</span> <bdi>{b.client_name ?? '—'}</bdi>
      </div>
      <div class="muted">
        {t(`counselling.channel.${b.channel}` as MessageKey)} · {t(`counselling.status.${b.status}` as MessageKey)}
        {b.request_id !== null && <> · {t('counselling.booked_for', { id: b.request_id })}</>}
      </div>
      <div class="co-booking__actions">
        {live && can(BOOK_ROLES) && (
          <button type="button" class="btn btn--small" onClick={() => act(counsellingApi.cancel(b.id))}>
            {t('counselling.cancel')}
          </button>
        )}
        {live && started && can(SESSION_ROLES) && (
          <>
            <button type="button" class="btn btn--small" onClick={() => act(counsellingApi.session(b.id, 'attended'))} data-testid="co-attended">
              {t('counselling.attended')}
            </button>
            <button type="button" class="btn btn--small" onClick={() => act(counsellingApi.session(b.id, 'no_show'))} data-testid="co-no-show">
              {t('counselling.no_show')}
            </button>
          </>
        )}
        <button type="button" class="btn btn--small" onClick={load} data-testid="co-notes-open">
          {t('counselling.notes')}
        </button>
      </div>
      {detail && (
        <div class="co-detail">
          <p class="muted">{t('counselling.no_shows', { n: detail.client_no_shows })}</p>
          <ul class="co-notes">
            {detail.notes.map((n) => (
              <li key={n.id}>{n.readable ? <bdi>{n.text}</bdi> : <span class="muted">{t('counselling.note_hidden')}</span>}</li>
            ))}
          </ul>
          {detail.may_read_notes && (
            <form
              class="co-note"
              onSubmit={(e) => {
                e.preventDefault();
                if (note.trim())
                  counsellingApi.note(b.id, note.trim()).then(() => {
                    setNote('');
                    load();
                  }, setError);
              }}
            >
              <textarea value={note} aria-label={t('counselling.note_placeholder')} placeholder={t('counselling.note_placeholder')} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
              <button type="submit" class="btn btn--small">
                {t('counselling.note_add')}
              </button>
            </form>
          )}
        </div>
      )}
      {error !== null && <ErrorNotice error={error} />}
    </li>
  );
}

function RequestList({ pool, chosen, onChoose, version }: { pool: string; chosen: number | null; onChoose: (id: number) => void; version: number }) {
  const { t, dateTime } = useI18n();
  // The requests of a pool no longer shown are aborted, so they never replace the pool's shown now (the
  // last list stays on screen until the new one comes).
  const { data: items, error } = useLoaded((signal) => counsellingApi.requests(pool, signal).then((r) => r.items), `${pool}/${version}`, false);
  if (error !== null) return <ErrorNotice error={error} />;
  if (!items) return <Loading />;
  const waiting = items.filter((r) => r.booking_id === null);
  if (waiting.length === 0) return <p class="muted">{t('counselling.requests_none')}</p>;
  return (
    <ul class="co-requests">
      {waiting.map((r) => (
        <li key={r.id} class={chosen === r.id ? 'co-request co-request--chosen' : 'co-request'} data-testid="co-request">
          <div>
            <bdi class="muted">#{r.id}</bdi> <bdi>{r.contact_name ?? '—'}</bdi> {r.topic && <>· <bdi>{r.topic}</bdi></>}
          </div>
          <div class="muted">
            {r.channel && t(`counselling.channel.${r.channel}` as MessageKey)} · {dateTime(r.created_at)}
            {r.preferred_times && <> · <bdi>{r.preferred_times}</bdi></>}
            {r.no_shows > 0 && <> · {t('counselling.no_shows', { n: r.no_shows })}</>}
          </div>
          <button type="button" class="btn btn--small" onClick={() => onChoose(r.id)} data-testid="co-choose">
            {t('counselling.choose')}
          </button>
        </li>
      ))}
    </ul>
  );
}

export function CounsellingPage({ route, user }: { route: Route; user: User }) {
  const { t, lang, date } = useI18n();
  const [counsellors, setCounsellors] = useState<Counsellor[] | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const week = route.params.get('week') ?? localDay(Date.now());
  const end = addDays(week, 7);
  useEffect(() => {
    counsellingApi.counsellors().then((r) => setCounsellors(r.items), setError);
  }, []);
  const mine = counsellors?.find((c) => c.username === user.username);
  const selectedId = Number(route.params.get('counsellor') ?? mine?.id ?? counsellors?.[0]?.id ?? 0);
  const counsellor = counsellors?.find((c) => c.id === selectedId);
  // The slots and bookings of a week (or counsellor) no longer shown are aborted: when they came last they
  // replaced the week on screen, which then showed no free slot. The last week stays on screen until the
  // new one comes; a booking's error is cleared with it.
  const shownKey = `${counsellor?.id ?? ''}/${week}/${tick}`;
  const { data: shown, error: weekError } = useLoaded(
    async (signal) => {
      if (!counsellor) return null;
      const [s, b] = await Promise.all([counsellingApi.slots(counsellor.id, week, end, signal), counsellingApi.bookings(counsellor.id, week, end, signal)]);
      return { slots: s.items[0]?.slots ?? [], bookings: b.items };
    },
    shownKey,
    false,
  );
  useEffect(() => setError(null), [shownKey]);
  const slots = shown?.slots ?? null;
  const bookings = shown?.bookings ?? null;
  const shownError = error ?? weekError;
  const refresh = () => setTick((n) => n + 1);
  const go = (params: Record<string, string>) => navigate('/counselling', { counsellor: String(selectedId), week, ...params });
  const book = (slot: SlotTime) => {
    if (!counsellor || chosen === null) return;
    counsellingApi.book({ counsellor_id: counsellor.id, slot_start: slot.start, request_id: chosen, language: lang }).then(() => {
      setChosen(null);
      refresh();
    }, setError);
  };
  const weekday = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' });
  const days = Array.from({ length: 7 }, (_, i) => addDays(week, i));
  if (counsellors === null) return error !== null ? <ErrorNotice error={error} /> : <Loading />;
  return (
    <div data-testid="counselling-page">
      <h1>{t('counselling.title')}</h1>
      {counsellors.length === 0 ? (
        <p class="muted">{t('counselling.none')}</p>
      ) : (
        <>
          <section class="card co-toolbar">
            <div class="field">
              <label for="co-counsellor">{t('counselling.counsellor')}</label>
              <select id="co-counsellor" value={String(selectedId)} onChange={(e) => go({ counsellor: (e.target as HTMLSelectElement).value })} data-testid="co-counsellor">
                {counsellors.map((c) => (
                  <option key={c.id} value={String(c.id)}>
                    {c.given_name} {c.family_name} — {t(`counselling.pool.${c.pool}` as MessageKey)}
                  </option>
                ))}
              </select>
            </div>
            <div class="co-week">
              <button type="button" class="btn" onClick={() => go({ week: addDays(week, -7) })}>
                {t('counselling.week_prev')}
              </button>
              <strong>{t('counselling.week_of', { date: date(week) })}</strong>
              <button type="button" class="btn" onClick={() => go({ week: addDays(week, 7) })} data-testid="co-week-next">
                {t('counselling.week_next')}
              </button>
            </div>
            <p class="muted">{t('counselling.local_time')}</p>
          </section>
          {counsellor && (
            <section class="card">
              <h2>{t('counselling.requests')}</h2>
              <RequestList pool={counsellor.pool} chosen={chosen} onChoose={setChosen} version={tick} />
              <p class="co-hint" data-testid="co-hint">
                {chosen === null ? t('counselling.pick_request') : t('counselling.chosen', { id: chosen })}
              </p>
            </section>
          )}
          {shownError !== null && <ErrorNotice error={shownError} />}
          {counsellor && slots && bookings ? (
            <div class="co-grid" data-testid="co-week">
              {days.map((d) => {
                const daySlots = slots.filter((s) => localDay(Date.parse(s.start)) === d);
                const dayBookings = bookings.filter((b) => localDay(Date.parse(b.slot_start)) === d);
                const onLeave = counsellor.leave_days.includes(d);
                return (
                  <div key={d} class={`co-day${onLeave ? ' co-day--leave' : ''}`} data-day={d}>
                    <h3>
                      {weekday.format(new Date(`${d}T12:00:00Z`))} <span class="muted">{date(d)}</span>
                    </h3>
                    {onLeave && <p class="co-tag">{t('counselling.leave')}</p>}
                    <ul class="co-bookings">
                      {dayBookings.map((b) => (
                        <BookingCard key={b.id} b={b} user={user} onChanged={refresh} />
                      ))}
                    </ul>
                    <ul class="co-slots">
                      {daySlots.map((s) => (
                        <li key={s.start}>
                          <button type="button" class="co-slot" disabled={chosen === null} onClick={() => book(s)} data-testid="co-slot" data-start={s.start} title={t('counselling.book')}>
                            <span dir="ltr">{localClock(s.start)}</span> {t('counselling.free')}
                          </button>
                        </li>
                      ))}
                    </ul>
                    {daySlots.length === 0 && dayBookings.length === 0 && !onLeave && <p class="muted">{t('counselling.no_slot')}</p>}
                  </div>
                );
              })}
            </div>
          ) : (
            counsellor && shownError === null && <Loading />
          )}
        </>
      )}
    </div>
  );
}
