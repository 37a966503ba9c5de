import { useEffect, useState } from 'preact/hooks';
import { GRIEVANCE_CATEGORIES, GRIEVANCE_CHANNELS, GRIEVANCE_OUTCOMES, GRIEVANCE_STATUSES, grievancesApi } from '../api';
import type { Grievance, GrievanceEvent, GrievanceInput, GrievancePage } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { ListStatus } from '../components/ListStatus';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';

// Grievances for staff (docs/grievances.md): the board of the caller's area with filters and the
// overdue ones (#/grievances), a grievance with its timeline and the acts its status allows
// (#/grievances/ID), and filing for a citizen at the counter or on the phone. The server decides every
// right (area, four eyes); the page only offers what the role may try.

function StatusBadge({ g }: { g: Grievance }) {
  const { t } = useI18n();
  return (
    <>
      <span class={`gr-badge gr-badge--${g.status}`}>{t(`gr.status.${g.status}` as MessageKey)}</span>
      {g.overdue && <span class="badge case-overdue"> {t('gr.overdue')}</span>}
      {g.escalated_at && <span class="badge case-overdue"> {t('gr.escalated')}</span>}
    </>
  );
}

function FileForm({ onFiled }: { onFiled: (g: Grievance) => void }) {
  const { t } = useI18n();
  const [v, setV] = useState<Record<string, string>>({ channel: 'counter', category: 'payment_not_received', link: 'none' });
  const [error, setError] = useState<unknown>(null);
  const val = (k: string) => v[k] ?? '';
  const set = (k: string) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: GrievanceInput = { channel: val('channel'), category: val('category'), description: val('description').trim() };
    if (val('commune_code').trim()) body.commune_code = val('commune_code').trim();
    for (const k of ['complainant_name', 'complainant_phone', 'national_id'] as const) if (val(k).trim()) body[k] = val(k).trim();
    const n = (k: string) => Number(val(k));
    if (val('link') === 'payment') body.payment_id = n('ref');
    if (val('link') === 'case') body.case_id = n('ref');
    if (val('link') === 'household') body.household_id = n('ref');
    if (val('link') === 'decision') {
      body.programme = val('programme').trim();
      body.household_id = n('ref');
      if (val('cycle').trim()) body.cycle_id = n('cycle');
    }
    grievancesApi.fileForCitizen(body).then(onFiled, setError);
  };
  return (
    <form class="card gr-file" onSubmit={submit} data-testid="gr-file-form">
      <h2>{t('gr.file_for_citizen')}</h2>
      <div class="form-grid">
        <label>
          {t('gr.channel')}
          <select value={val('channel')} onChange={set('channel')}>
            {GRIEVANCE_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`gr.channel.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('gr.category')}
          <select value={val('category')} onChange={set('category')}>
            {GRIEVANCE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`gr.category.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('gr.link')}
          <select value={val('link')} onChange={set('link')} data-testid="gr-file-link">
            {(['none', 'payment', 'case', 'household', 'decision'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`gr.link.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        {val('link') !== 'none' && (
          <label>
            {t(val('link') === 'payment' ? 'gr.payment_id' : val('link') === 'case' ? 'gr.case_id' : 'gr.household_id')}
            <input class="input" dir="ltr" inputMode="numeric" value={val('ref')} onInput={set('ref')} data-testid="gr-file-ref" />
          </label>
        )}
        {val('link') === 'decision' && (
          <>
            <label>
              {t('gr.programme')}
              <input class="input" dir="ltr" value={val('programme')} onInput={set('programme')} />
            </label>
            <label>
              {t('gr.cycle_id')}
              <input class="input" dir="ltr" inputMode="numeric" value={val('cycle')} onInput={set('cycle')} />
            </label>
          </>
        )}
        {val('link') === 'none' && (
          <label>
            {t('gr.commune_code')}
            <input class="input" dir="ltr" value={val('commune_code')} onInput={set('commune_code')} data-testid="gr-file-commune" />
          </label>
        )}
        <label>
          {t('gr.complainant_name')}
          <input class="input" value={val('complainant_name')} onInput={set('complainant_name')} />
        </label>
        <label>
          {t('gr.complainant_phone')}
          <input class="input" dir="ltr" type="tel" value={val('complainant_phone')} onInput={set('complainant_phone')} />
        </label>
        <label>
          {t('gr.national_id')}
          <input class="input" dir="ltr" value={val('national_id')} onInput={set('national_id')} />
        </label>
      </div>
      <label class="field">
        {t('gr.description')}
        <textarea rows={3} value={val('description')} onInput={set('description')} data-testid="gr-file-description" />
      </label>
      {error !== null && <ErrorNotice error={error} />}
      <button type="submit" class="btn btn--primary" data-testid="gr-file-submit">
        {t('gr.file')}
      </button>
    </form>
  );
}

function GrievanceList({ route, canFile }: { route: Route; canFile: boolean }) {
  const { t, num, dateTime } = useI18n();
  const status = route.params.get('status') ?? '';
  const category = route.params.get('category') ?? '';
  const overdue = route.params.get('overdue') === 'true';
  const [showFile, setShowFile] = useState(false);
  const [filed, setFiled] = useState<Grievance | null>(null);
  // The list of a filter no longer chosen is aborted: its answer, when it came last, replaced the list of
  // the filter on screen. The last list stays shown until the new one comes.
  const { data: list, error, reload } = useLoaded(
    (signal) => grievancesApi.list({ status: status || undefined, category: category || undefined, overdue: overdue ? 'true' : undefined, limit: 200 }, signal),
    `${status}/${category}/${overdue}`,
    false,
  );
  const filter = (k: string, v: string) => navigate('/grievances', { status, category, overdue: overdue ? 'true' : '', [k]: v });
  return (
    <section class="page" data-testid="grievances-page">
      <h1>{t('gr.list_title')}</h1>
      <div class="toolbar case-filters">
        <label>
          {t('gr.filter.status')}{' '}
          <select value={status} onChange={(e) => filter('status', (e.target as HTMLSelectElement).value)} data-testid="gr-filter-status">
            <option value="">{t('gr.filter.all')}</option>
            {GRIEVANCE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`gr.status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('gr.filter.category')}{' '}
          <select value={category} onChange={(e) => filter('category', (e.target as HTMLSelectElement).value)}>
            <option value="">{t('gr.filter.all')}</option>
            {GRIEVANCE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`gr.category.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={overdue} onChange={(e) => filter('overdue', (e.target as HTMLInputElement).checked ? 'true' : '')} data-testid="gr-filter-overdue" />{' '}
          {t('gr.filter.overdue')}
        </label>
        {canFile && (
          <button type="button" class="btn btn--primary" onClick={() => setShowFile(!showFile)} data-testid="gr-file-toggle">
            {t('gr.file_for_citizen')}
          </button>
        )}
      </div>
      {showFile && (
        <FileForm
          onFiled={(g) => {
            setFiled(g);
            setShowFile(false);
            reload();
          }}
        />
      )}
      {filed && (
        <p class="notice" data-testid="gr-filed">
          {t('gr.filed_code')} <bdi dir="ltr" class="es-code">{filed.tracking_code}</bdi> — <a href={href(`/grievances/${filed.id}`)}>{t('gr.n', { n: String(filed.id) })}</a>
        </p>
      )}
      <ListStatus list={list} error={error} onRetry={reload} empty={t('gr.none')} />
      {list && list.items.length > 0 && (
        <>
          <p class="muted">{t('gr.count', { n: num(list.total) })}</p>
          <div class="table-wrap">
            <table class="table" data-testid="grievances-list">
              <thead>
                <tr>
                  <th>{t('gr.col.id')}</th>
                  <th>{t('gr.col.category')}</th>
                  <th>{t('gr.col.status')}</th>
                  <th>{t('gr.col.channel')}</th>
                  <th>{t('gr.col.commune')}</th>
                  <th>{t('gr.col.due')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((g) => (
                  <tr key={g.id} data-grievance={g.id} class={g.overdue ? 'case-row--overdue' : undefined}>
                    <td>
                      <a href={href(`/grievances/${g.id}`)}>{num(g.id, { useGrouping: false })}</a>
                    </td>
                    <td>{t(`gr.category.${g.category}` as MessageKey)}</td>
                    <td>
                      <StatusBadge g={g} />
                    </td>
                    <td>{t(`gr.channel.${g.channel}` as MessageKey)}</td>
                    <td dir="ltr">{g.commune_code}</td>
                    <td>{g.due_at ? dateTime(g.due_at) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function eventText(t: ReturnType<typeof useI18n>['t'], e: GrievanceEvent): string {
  const o = e.details['outcome'];
  if (typeof o === 'string' && o) return t(`gr.outcome.${o}` as MessageKey);
  const c = e.details['channel'];
  if (e.kind === 'filed' && typeof c === 'string') return t(`gr.channel.${c}` as MessageKey);
  return '';
}

// A resolved grievance may be closed once it can no longer be appealed (the server checks it too).
function appealWindowPassed(g: Grievance): boolean {
  if (!g.resolved_at) return false;
  return Date.now() > new Date(g.resolved_at).getTime() + 30 * 24 * 3600 * 1000;
}

function GrievanceView({ id, canDecide, canFile }: { id: number; canDecide: boolean; canFile: boolean }) {
  const { t, dateTime } = useI18n();
  const [g, setG] = useState<GrievancePage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actError, setActError] = useState<unknown>(null);
  const [v, setV] = useState<Record<string, string>>({ outcome: 'upheld' });
  const load = () => grievancesApi.get(id).then(setG, setError);
  useEffect(() => {
    void load();
  }, [id]);
  const val = (k: string) => v[k] ?? '';
  const set = (k: string) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const run = (p: Promise<unknown>) => {
    setActError(null);
    p.then(() => {
      setV({ outcome: 'upheld' });
      return load();
    }, setActError);
  };
  if (error !== null) return <ErrorNotice error={error} />;
  if (!g) return null;
  const outcomeSelect = (
    <select value={val('outcome')} onChange={set('outcome')} data-testid="gr-outcome">
      {GRIEVANCE_OUTCOMES.map((o) => (
        <option key={o} value={o}>
          {t(`gr.outcome.${o}` as MessageKey)}
        </option>
      ))}
    </select>
  );
  const link =
    g.link_kind === 'payment'
      ? `${t('gr.payment_id')} ${g.payment_id}`
      : g.link_kind === 'case'
        ? `${t('gr.case_id')} ${g.case_id}`
        : g.link_kind === 'decision'
          ? `${g.programme} · ${t('gr.household_id')} ${g.household_id}${g.cycle_id ? ` · ${t('gr.cycle_id')} ${g.cycle_id}` : ''}`
          : g.link_kind === 'household'
            ? `${t('gr.household_id')} ${g.household_id}`
            : '';
  return (
    <section class="page gr-view" data-testid="grievance-view">
      <p>
        <a href={href('/grievances')}>{t('gr.back')}</a>
      </p>
      <h1>
        {t('gr.n', { n: String(g.id) })} — {t(`gr.category.${g.category}` as MessageKey)}
      </h1>
      <div class="card">
        <p data-testid="gr-view-status">
          <StatusBadge g={g} />
        </p>
        <p dir="auto">{g.description}</p>
        <dl class="gr-facts">
          <dt>{t('gr.col.channel')}</dt>
          <dd>{t(`gr.channel.${g.channel}` as MessageKey)}</dd>
          <dt>{t('gr.filed_label')}</dt>
          <dd>
            {dateTime(g.filed_at)} · <bdi>{g.filed_by ?? t('gr.citizen')}</bdi>
          </dd>
          <dt>{t('gr.col.commune')}</dt>
          <dd>
            <bdi dir="ltr">{g.commune_code}</bdi>
          </dd>
          {link && (
            <>
              <dt>{t('gr.link')}</dt>
              <dd>
                <bdi>{link}</bdi>
              </dd>
            </>
          )}
          {(g.complainant_name || g.complainant_phone || g.national_id) && (
            <>
              <dt>{t('gr.complainant')}</dt>
              <dd>
                <bdi>{[g.complainant_name, g.complainant_phone, g.national_id].filter(Boolean).join(' · ')}</bdi>
              </dd>
            </>
          )}
          <dt>{t('gr.col.due')}</dt>
          <dd>
            {g.due_at ? dateTime(g.due_at) : '—'} ({t('gr.sla_days', { n: String(g.sla_days) })})
          </dd>
          {g.resolution && (
            <>
              <dt>{t('gr.resolution')}</dt>
              <dd data-testid="gr-view-resolution">
                {g.outcome && <span class="badge">{t(`gr.outcome.${g.outcome}` as MessageKey)}</span>} <bdi>{g.resolution}</bdi>{' '}
                <span class="muted">
                  — <bdi>{g.resolved_by}</bdi>
                </span>
              </dd>
            </>
          )}
          {g.internal_note && (
            <>
              <dt>{t('gr.internal_note')}</dt>
              <dd>
                <bdi>{g.internal_note}</bdi>
              </dd>
            </>
          )}
          {g.appeal_reason && (
            <>
              <dt>{t('gr.appeal_title')}</dt>
              <dd>
                <bdi>{g.appeal_reason}</bdi>
              </dd>
            </>
          )}
          {g.appeal_decision && (
            <>
              <dt>{t('gr.decision')}</dt>
              <dd>
                {g.appeal_outcome && <span class="badge">{t(`gr.outcome.${g.appeal_outcome}` as MessageKey)}</span>} <bdi>{g.appeal_decision}</bdi>{' '}
                <span class="muted">
                  — <bdi>{g.appeal_decided_by}</bdi>
                </span>
              </dd>
            </>
          )}
        </dl>
      </div>
      {actError !== null && <ErrorNotice error={actError} />}
      <div class="gr-actions">
        {canDecide && g.status === 'received' && (
          <button type="button" class="btn" onClick={() => run(grievancesApi.review(id))} data-testid="gr-review">
            {t('gr.act.review')}
          </button>
        )}
        {canDecide && (g.status === 'received' || g.status === 'under_review') && (
          <form class="card gr-act" onSubmit={(e) => (e.preventDefault(), run(grievancesApi.resolve(id, val('outcome'), val('resolution').trim(), val('note').trim())))}>
            <h2>{t('gr.act.resolve')}</h2>
            <label>
              {t('gr.outcome')} {outcomeSelect}
            </label>
            <label class="field">
              {t('gr.resolution_public')}
              <textarea rows={3} value={val('resolution')} onInput={set('resolution')} data-testid="gr-resolution-text" />
            </label>
            <label class="field">
              {t('gr.internal_note')}
              <textarea rows={2} value={val('note')} onInput={set('note')} data-testid="gr-internal-note" />
            </label>
            <button type="submit" class="btn btn--primary" data-testid="gr-resolve">
              {t('gr.act.resolve')}
            </button>
          </form>
        )}
        {canFile && g.status === 'resolved' && (
          <form class="card gr-act" onSubmit={(e) => (e.preventDefault(), run(grievancesApi.appeal(id, val('reason').trim())))}>
            <h2>{t('gr.act.appeal')}</h2>
            <label class="field">
              {t('gr.appeal_reason')}
              <textarea rows={2} value={val('reason')} onInput={set('reason')} />
            </label>
            <button type="submit" class="btn">
              {t('gr.act.appeal')}
            </button>
          </form>
        )}
        {canDecide && g.status === 'appealed' && (
          <form class="card gr-act" onSubmit={(e) => (e.preventDefault(), run(grievancesApi.decideAppeal(id, val('outcome'), val('decision').trim())))}>
            <h2>{t('gr.act.decide')}</h2>
            <p class="muted">{t('gr.four_eyes_hint')}</p>
            <label>
              {t('gr.outcome')} {outcomeSelect}
            </label>
            <label class="field">
              {t('gr.decision')}
              <textarea rows={3} value={val('decision')} onInput={set('decision')} data-testid="gr-decision-text" />
            </label>
            <button type="submit" class="btn btn--primary" data-testid="gr-decide">
              {t('gr.act.decide')}
            </button>
          </form>
        )}
        {canDecide && (g.status === 'appeal_decided' || (g.status === 'resolved' && appealWindowPassed(g))) && (
          <button type="button" class="btn" onClick={() => run(grievancesApi.close(id))} data-testid="gr-close">
            {t('gr.act.close')}
          </button>
        )}
      </div>
      <h2>{t('gr.timeline')}</h2>
      <ol class="case-timeline" data-testid="gr-timeline">
        {g.timeline.map((e) => (
          <li key={e.id} data-kind={e.kind}>
            <span class="muted">
              {dateTime(e.at)} · <bdi>{e.by ?? t('gr.citizen')}</bdi>
            </span>{' '}
            <strong>{t(`gr.event.${e.kind}` as MessageKey)}</strong> {eventText(t, e)}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function GrievancesPage({ route, canDecide, canFile }: { route: Route; canDecide: boolean; canFile: boolean }) {
  const id = /^\/grievances\/(\d+)$/.exec(route.path);
  if (id) return <GrievanceView key={id[1]} id={Number(id[1])} canDecide={canDecide} canFile={canFile} />;
  return <GrievanceList route={route} canFile={canFile} />;
}
