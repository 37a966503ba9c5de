// The household's history (every approved change) and its benefits.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { registry } from '../../api';
import type { Benefit, HistoryEvent, Person } from '../../api';
import { ErrorNotice, Loading } from '../ErrorNotice';
import { useI18n } from '../../i18n';
import { displayName } from '../../registry';

export function HistorySection({ id }: { id: number }) {
  const { t, dateTime, dir } = useI18n();
  const [events, setEvents] = useState<HistoryEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    registry
      .history(id, ctrl.signal)
      .then((p) => setEvents(p.items))
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, [id]);
  // One entry per change (a change writes one line per record it touches).
  const groups = useMemo(() => {
    const out: { key: string; first: HistoryEvent; households: number; persons: number }[] = [];
    for (const e of events ?? []) {
      const key = e.change_request_id !== null ? `cr${e.change_request_id}` : `${e.at}|${e.kind}`;
      let g = out.find((x) => x.key === key);
      if (!g) {
        g = { key, first: e, households: 0, persons: 0 };
        out.push(g);
      }
      if (e.record_type === 'household') g.households += 1;
      else g.persons += 1;
    }
    return out.sort((a, b) => (a.first.at < b.first.at ? 1 : -1));
  }, [events]);
  return (
    <section class="section" aria-labelledby="hh-history">
      <h2 class="section__title" id="hh-history">
        {t('household.history')}
      </h2>
      {error !== null && <ErrorNotice error={error} />}
      {events === null && error === null && <Loading />}
      {events && groups.length === 0 && <p class="muted">{t('household.no_history')}</p>}
      {groups.length > 0 && (
        <ol class="timeline" data-testid="history">
          {groups.map((g) => (
            <li key={g.key} class="timeline__item" data-testid="history-item">
              <div class="timeline__when">
                <time dateTime={g.first.at}>{dateTime(g.first.at)}</time>
              </div>
              <div class="timeline__body">
                <p class="timeline__kind">
                  <span class="badge">{t(`cr.kind.${g.first.kind}` as 'cr.kind.update_household')}</span>
                  {g.first.change_request_id !== null && <span class="muted"> #{g.first.change_request_id}</span>}
                </p>
                <p class="timeline__summary">{g.first.summary}</p>
                <p class="timeline__who muted">
                  <bdi dir="ltr">{g.first.author}</bdi> {dir === 'rtl' ? '←' : '→'} <bdi dir="ltr">{g.first.reviewer}</bdi>
                  {g.persons > 0 && <> · {t('household.history_persons', { n: g.persons })}</>}
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function BenefitsSection({ id, members }: { id: number; members: Person[] }) {
  const { t, num, date, lang } = useI18n();
  const [items, setItems] = useState<Benefit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    registry
      .benefits(id, ctrl.signal)
      .then((p) => setItems(p.items))
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, [id]);
  const amount = (b: Benefit) => {
    if (b.amount_minor !== null && b.currency) return num(b.amount_minor / 100, { style: 'currency', currency: b.currency });
    if (b.quantity !== null) return `${num(b.quantity)} ${b.unit ?? ''}`.trim();
    return t('common.none');
  };
  const who = (b: Benefit) => {
    if (b.person_id === null) return t('benefit.household');
    const m = members.find((x) => x.id === b.person_id);
    return m ? displayName(m, lang) : `#${b.person_id}`;
  };
  return (
    <section class="section" aria-labelledby="hh-benefits">
      <h2 class="section__title" id="hh-benefits">
        {t('household.benefits')}
      </h2>
      {error !== null && <ErrorNotice error={error} />}
      {items === null && error === null && <Loading />}
      {items && items.length === 0 && <p class="muted">{t('household.no_benefits')}</p>}
      {items && items.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="benefits-table">
            <thead>
              <tr>
                <th scope="col">{t('benefit.date')}</th>
                <th scope="col">{t('benefit.programme')}</th>
                <th scope="col">{t('benefit.kind')}</th>
                <th scope="col">{t('benefit.beneficiary')}</th>
                <th scope="col" class="num">{t('benefit.amount')}</th>
                <th scope="col">{t('benefit.reference')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <tr key={b.id}>
                  <td>{date(b.date)}</td>
                  <td><bdi dir="ltr">{b.programme}</bdi></td>
                  <td>{['cash', 'in_kind', 'service'].includes(b.kind) ? t(`benefit.kind.${b.kind}` as 'benefit.kind.cash') : b.kind}</td>
                  <td>{who(b)}</td>
                  <td class="num">{amount(b)}</td>
                  <td><bdi class="code" dir="ltr">{b.reference}</bdi></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
