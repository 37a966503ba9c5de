import { useEffect, useState } from 'preact/hooks';
import { PLACEMENT_KINDS, placementsApi } from '../api';
import type { Placement } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href } from '../router';

// Alternative-care placements of a case's children (docs/cases.md#placements): the placements with
// their follow-up visits and the next visit due (monthly for six months, then quarterly), a new
// placement, a visit, the end; and the list of placements whose visit is overdue (the cases page).

const today = () => new Date().toISOString().slice(0, 10);

function PlacementCard({ p, open, onChanged }: { p: Placement; open: boolean; onChanged: () => void }) {
  const { t, date } = useI18n();
  const [v, setV] = useState<Record<string, string>>({ visit_date: today() });
  const [error, setError] = useState<unknown>(null);
  const val = (k: string) => v[k] ?? '';
  const set = (k: string) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const run = (x: Promise<unknown>) => {
    setError(null);
    x.then(() => {
      setV({ visit_date: today() });
      onChanged();
    }, setError);
  };
  return (
    <li class={`card placement${p.overdue ? ' placement--overdue' : ''}`} data-placement={p.id}>
      <p>
        <strong>{t(`cases.placement.kind.${p.kind}` as MessageKey)}</strong> — <bdi>{p.carer}</bdi>{' '}
        {p.status === 'ended' && <span class="badge">{t('cases.placement.ended')}</span>}
        {p.overdue && <span class="badge case-overdue">{t('cases.placement.overdue')}</span>}
      </p>
      <p class="muted">
        {t('cases.placement.since', { date: date(p.start_date) })}
        {p.end_date && ` · ${t('cases.placement.until', { date: date(p.end_date) })}`}
        {p.next_visit_due && ` · ${t('cases.placement.next_visit', { date: date(p.next_visit_due) })}`}
      </p>
      {p.visits.length > 0 && (
        <ul class="placement-visits">
          {p.visits.map((vi) => (
            <li key={vi.id}>
              <span class="muted">
                {date(vi.visit_date)} · <bdi>{vi.worker}</bdi>
              </span>{' '}
              {vi.note}
            </li>
          ))}
        </ul>
      )}
      {error !== null && <ErrorNotice error={error} />}
      {open && p.status === 'active' && (
        <form class="case-action" onSubmit={(e) => (e.preventDefault(), run(placementsApi.visit(p.id, { visit_date: val('visit_date'), note: val('note').trim() })))}>
          <input class="input" type="date" dir="ltr" value={val('visit_date')} onInput={set('visit_date')} aria-label={t('cases.placement.visit_date')} />
          <input class="input" required placeholder={t('cases.placement.note')} value={val('note')} onInput={set('note')} data-testid="placement-visit-note" />
          <button type="submit" class="btn" data-testid="placement-visit">
            {t('cases.placement.record_visit')}
          </button>
          <button type="button" class="btn btn--link" onClick={() => run(placementsApi.end(p.id, val('visit_date')))}>
            {t('cases.placement.end')}
          </button>
        </form>
      )}
    </li>
  );
}

export function CasePlacements({ caseId, open }: { caseId: number; open: boolean }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Placement[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [v, setV] = useState<Record<string, string>>({ kind: 'foster_family', start_date: today() });
  const load = () => placementsApi.ofCase(caseId).then((r) => setItems(r.items), setError);
  useEffect(() => {
    void load();
  }, [caseId]);
  const val = (k: string) => v[k] ?? '';
  const set = (k: string) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  return (
    <section class="case-placements" data-testid="case-placements">
      <h2>{t('cases.placements')}</h2>
      {error !== null && <ErrorNotice error={error} />}
      {items && items.length === 0 && <p class="muted">{t('cases.placement.none')}</p>}
      {items && items.length > 0 && (
        <ul class="placement-list">
          {items.map((p) => (
            <PlacementCard key={p.id} p={p} open={open} onChanged={() => void load()} />
          ))}
        </ul>
      )}
      {open && (
        <form
          class="case-action"
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            placementsApi
              .add(caseId, { kind: val('kind'), carer: val('carer').trim(), start_date: val('start_date') })
              .then(() => {
                setV({ kind: 'foster_family', start_date: today() });
                return load();
              }, setError);
          }}
        >
          <select value={val('kind')} onChange={set('kind')} aria-label={t('cases.placement.kind')}>
            {PLACEMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`cases.placement.kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
          <input class="input" required placeholder={t('cases.placement.carer')} value={val('carer')} onInput={set('carer')} data-testid="placement-carer" />
          <input class="input" type="date" dir="ltr" value={val('start_date')} onInput={set('start_date')} aria-label={t('cases.placement.start')} />
          <button type="submit" class="btn" data-testid="placement-add">
            {t('cases.placement.add')}
          </button>
        </form>
      )}
    </section>
  );
}

/** Placements whose follow-up visit is overdue within the caller's cases; nothing when there are none. */
export function OverduePlacements() {
  const { t, date } = useI18n();
  const [items, setItems] = useState<Placement[]>([]);
  useEffect(() => {
    placementsApi.overdue().then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
  }, []);
  if (items.length === 0) return null;
  return (
    <div class="notice notice--warning" data-testid="placements-overdue">
      <strong>{t('cases.placement.overdue_title', { n: String(items.length) })}</strong>
      <ul>
        {items.map((p) => (
          <li key={p.id}>
            <a href={href(`/cases/${p.case_id}`)}>{t('cases.case_n', { n: String(p.case_id) })}</a> — {t(`cases.placement.kind.${p.kind}` as MessageKey)}, <bdi>{p.carer}</bdi> ·{' '}
            {p.next_visit_due && t('cases.placement.next_visit', { date: date(p.next_visit_due) })}
          </li>
        ))}
      </ul>
    </div>
  );
}
