// The household's history (every approved change, field by field, before → after) and its benefits.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { registry } from '../../api';
import type { Benefit, FieldChange, HistoryEvent, HistoryRecord, Person } from '../../api';
import { AreaLabel } from '../AreaPicker';
import { ErrorNotice, Loading } from '../ErrorNotice';
import { useI18n } from '../../i18n';
import { HOUSEHOLD_FIELD_BY_NAME, PERSON_FIELD_BY_NAME, displayName, fieldKey, formatValue } from '../../registry';
import { href } from '../../router';

/** One field a change set: its name from the catalogue and the value before → after, each isolated
 *  in <bdi> so that a Latin value keeps its order in an Arabic sentence. */
function ChangeRow({ record, change }: { record: HistoryRecord; change: FieldChange }) {
  const i18n = useI18n();
  const { t, dir } = i18n;
  // A person's status and exit reason share the household's vocabularies (the person form has no such fields).
  const def =
    (record.record_type === 'household' ? HOUSEHOLD_FIELD_BY_NAME : PERSON_FIELD_BY_NAME).get(change.field) ??
    HOUSEHOLD_FIELD_BY_NAME.get(change.field);
  const show = (v: unknown) => {
    if (v === null || v === undefined) return <span class="muted">{t('common.none')}</span>;
    if (change.field === 'household_id' || change.field === 'merged_into') {
      const path = change.field === 'household_id' ? `/households/${String(v)}` : null;
      return path ? <a href={href(path)}><bdi dir="ltr">#{String(v)}</bdi></a> : <bdi dir="ltr">#{String(v)}</bdi>;
    }
    if (def?.kind === 'area') return <bdi><AreaLabel code={String(v)} /></bdi>;
    return <bdi>{formatValue(i18n, def, v)}</bdi>;
  };
  return (
    <tr data-testid="history-change" data-field={change.field}>
      <th scope="row">{t(fieldKey(change.field))}</th>
      <td class="history__before">{show(change.before)}</td>
      <td aria-hidden="true" class="muted">{dir === 'rtl' ? '←' : '→'}</td>
      <td class="history__after">{show(change.after)}</td>
    </tr>
  );
}

function RecordChanges({ record }: { record: HistoryRecord }) {
  const { t, lang } = useI18n();
  const title =
    record.record_type === 'household'
      ? t('household.title', { ref: record.ref ?? `#${record.record_id}` })
      : t('household.history_member', { name: displayName(record.person ?? {}, lang) || (record.ref ?? `#${record.record_id}`) });
  // A first version has no "before": its values are what was recorded, folded away as they are many.
  const created = record.changes.every((c) => c.before === null);
  const table = (
    <table class="table table--compact history__changes">
      <thead class="visually-hidden">
        <tr>
          <th scope="col">{t('cr.field')}</th>
          <th scope="col">{t('household.history_before')}</th>
          <th scope="col" />
          <th scope="col">{t('household.history_after')}</th>
        </tr>
      </thead>
      <tbody>
        {record.changes.map((c) => (
          <ChangeRow key={c.field} record={record} change={c} />
        ))}
      </tbody>
    </table>
  );
  return (
    <div class="history__record" data-testid="history-record">
      <p class="history__record-title">
        <bdi>{title}</bdi>
      </p>
      {created ? (
        <details>
          <summary>{t('household.history_recorded', { n: record.changes.length })}</summary>
          {table}
        </details>
      ) : (
        table
      )}
    </div>
  );
}

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
  // Newest change first.
  const ordered = useMemo(() => [...(events ?? [])].reverse(), [events]);
  return (
    <section class="section" aria-labelledby="hh-history">
      <h2 class="section__title" id="hh-history">
        {t('household.history')}
      </h2>
      {error !== null && <ErrorNotice error={error} />}
      {events === null && error === null && <Loading />}
      {events && ordered.length === 0 && <p class="muted">{t('household.no_history')}</p>}
      {ordered.length > 0 && (
        <ol class="timeline" data-testid="history">
          {ordered.map((e) => (
            <li key={e.change_request_id ?? e.at} class="timeline__item" data-testid="history-item">
              <div class="timeline__when">
                <time dateTime={e.at}>{dateTime(e.at)}</time>
              </div>
              <div class="timeline__body">
                <p class="timeline__kind">
                  {e.kind && <span class="badge">{t(`cr.kind.${e.kind}` as 'cr.kind.update_household')}</span>}
                  {e.change_request_id !== null && <span class="muted"> #{e.change_request_id}</span>}
                </p>
                {/* The server renders the summary in the page's language; it is null when the change touched an
                    area outside the reader's (the kind and this household's fields below remain). */}
                {e.summary && (
                  <p class="timeline__summary" dir="auto" data-testid="history-summary">
                    {e.summary}
                  </p>
                )}
                {e.author && (
                  <p class="timeline__who muted">
                    <bdi dir="ltr">{e.author}</bdi> {dir === 'rtl' ? '←' : '→'} <bdi dir="ltr">{e.reviewer}</bdi>
                  </p>
                )}
                {e.records.map((r) => (
                  <RecordChanges key={`${r.record_type}${r.record_id}`} record={r} />
                ))}
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
