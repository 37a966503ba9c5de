import { useEffect, useState } from 'preact/hooks';
import { CASE_OUTCOMES, CASE_TYPES, CHILD_FLAGS, casesApi, registry } from '../api';
import type { CasePage as CaseData, CaseEvent, Person, SocialCase } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { CasePlacements, OverduePlacements } from './CasePlacements';
import { DropoutCandidates } from './DropoutCandidates';
import { ListStatus } from '../components/ListStatus';
import { useLoaded } from '../components/listState';
import { hasText, useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';

// #/cases: the cases within the user's reach with filters (status, type, overdue) and a form to open a
// case; #/cases/ID: one case with its derived stage and deadline, its checklist, the acts that move it
// (plan, services and referrals, follow-up visits, closure, reopening, referral to a colleague, transfer),
// the link to a registry person, its notes (confidential ones closed unless the user may read them) and
// its timeline. The server decides every right; the page only shows what it was sent.

type T = (k: MessageKey, p?: Record<string, string>) => string;

/** A checklist item's label: its text when the catalogues have one (the seeded items), else its code. */
function itemLabel(t: T, code: string): string {
  const key = `cases.item.${code}`;
  return hasText(key) ? t(key as MessageKey) : code;
}

function StageBadge({ c, t }: { c: SocialCase; t: T }) {
  return (
    <span class={`case-stage case-stage--${c.stage}`} data-testid="case-stage" data-stage={c.stage}>
      {t(`cases.stage.${c.stage}` as MessageKey)}
    </span>
  );
}

function NewCaseForm({ onOpened }: { onOpened: (id: number) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ case_type: 'elderly_person', origin: 'walk_in', origin_ref: '', commune_code: '', summary: '', supervisor: '' });
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: Record<string, string> = { case_type: form.case_type, origin: form.origin, commune_code: form.commune_code, summary: form.summary };
    if (form.origin_ref) body['origin_ref'] = form.origin_ref;
    if (form.supervisor) body['supervisor'] = form.supervisor;
    try {
      onOpened((await casesApi.open(body)).id);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="card form case-new" onSubmit={submit} data-testid="case-new">
      <h2>{t('cases.open_new')}</h2>
      <label class="field">
        <span class="field__label">{t('cases.field.type')}</span>
        <select class="input" value={form.case_type} onChange={set('case_type')}>
          {CASE_TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(`cases.type.${ty}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="field__label">{t('cases.field.origin')}</span>
        <select class="input" value={form.origin} onChange={set('origin')}>
          {(['report', 'walk_in', 'referral'] as const).map((o) => (
            <option key={o} value={o}>
              {t(`cases.origin.${o}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="field__label">{t('cases.field.origin_ref')}</span>
        <input class="input" dir="ltr" value={form.origin_ref} onInput={set('origin_ref')} />
      </label>
      <label class="field">
        <span class="field__label">{t('cases.field.commune')}</span>
        <input class="input" dir="ltr" required value={form.commune_code} onInput={set('commune_code')} data-testid="case-commune" />
      </label>
      <label class="field">
        <span class="field__label">{t('cases.field.summary')}</span>
        <textarea class="input" required value={form.summary} onInput={set('summary')} data-testid="case-summary" />
      </label>
      <label class="field">
        <span class="field__label">{t('cases.field.supervisor')}</span>
        <input class="input" dir="ltr" value={form.supervisor} onInput={set('supervisor')} />
      </label>
      {error !== null && <ErrorNotice error={error} />}
      <button type="submit" class="btn btn--primary" data-testid="case-create">
        {t('cases.create')}
      </button>
    </form>
  );
}

function CaseList({ route }: { route: Route }) {
  const { t, num, dateTime } = useI18n();
  const status = route.params.get('status') ?? 'open';
  const type = route.params.get('type') ?? '';
  const overdue = route.params.get('overdue') === 'true';
  const [showNew, setShowNew] = useState(false);
  // The list of a filter no longer chosen is aborted, so its answer never replaces the list of the filter
  // on screen. The last list stays shown until the new one comes.
  const { data: list, error, reload } = useLoaded(
    (signal) => casesApi.list({ status: status === 'all' ? undefined : status, type: type || undefined, overdue: overdue ? 'true' : undefined, limit: 100 }, signal),
    `${status}/${type}/${overdue}`,
    false,
  );
  const filter = (k: string, v: string) => navigate('/cases', { status, type, overdue: overdue ? 'true' : '', [k]: v });
  return (
    <section class="page" data-testid="cases-page">
      <h1>{t('cases.title')}</h1>
      <div class="toolbar case-filters">
        <label>
          {t('cases.filter.status')}{' '}
          <select value={status} onChange={(e) => filter('status', (e.target as HTMLSelectElement).value)}>
            <option value="open">{t('cases.status.open')}</option>
            <option value="closed">{t('cases.status.closed')}</option>
            <option value="all">{t('cases.filter.all')}</option>
          </select>
        </label>
        <label>
          {t('cases.filter.type')}{' '}
          <select value={type} onChange={(e) => filter('type', (e.target as HTMLSelectElement).value)}>
            <option value="">{t('cases.filter.all')}</option>
            {CASE_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`cases.type.${ty}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={overdue} onChange={(e) => filter('overdue', (e.target as HTMLInputElement).checked ? 'true' : '')} />{' '}
          {t('cases.filter.overdue')}
        </label>
        <button type="button" class="btn btn--primary" onClick={() => setShowNew(!showNew)} data-testid="case-new-toggle">
          {t('cases.open_new')}
        </button>
      </div>
      {showNew && <NewCaseForm onOpened={(id) => navigate(`/cases/${id}`)} />}
      <OverduePlacements />
      <DropoutCandidates />
      <ListStatus list={list} error={error} onRetry={reload} empty={t('cases.none')} />
      {list && list.items.length > 0 && (
        <>
          <p class="muted">{t('cases.count', { n: num(list.total) })}</p>
          <table class="table" data-testid="cases-list">
            <thead>
              <tr>
                <th>{t('cases.col.id')}</th>
                <th>{t('cases.col.type')}</th>
                <th>{t('cases.col.commune')}</th>
                <th>{t('cases.col.stage')}</th>
                <th>{t('cases.col.due')}</th>
                <th>{t('cases.col.owner')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <tr key={c.id} data-case={c.id} class={c.overdue ? 'case-row--overdue' : undefined}>
                  <td>
                    <a href={href(`/cases/${c.id}`)}>{num(c.id, { useGrouping: false })}</a>
                  </td>
                  <td>{t(`cases.type.${c.case_type}` as MessageKey)}</td>
                  <td dir="ltr">{c.commune_code}</td>
                  <td>
                    <StageBadge c={c} t={t} />
                  </td>
                  <td>
                    {c.due_at ? dateTime(c.due_at) : '—'} {c.overdue && <span class="badge case-overdue">{t('cases.overdue')}</span>}
                  </td>
                  <td>
                    <bdi>{c.owner}</bdi>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function eventText(t: T, e: CaseEvent): string {
  const d = e.details;
  const s = (k: string) => (typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]) : '');
  switch (e.kind) {
    case 'answer':
      return `${itemLabel(t, s('item'))}: ${t(`cases.answer.${s('answer')}` as MessageKey)}`;
    case 'plan':
      return s('goals');
    case 'service':
    case 'referral':
      return `${s('target')} (${t(`cases.service.target_type.${s('target_type')}` as MessageKey)}) ${s('date')}`;
    case 'visit':
      return `${s('date')} ${s('summary')}`;
    case 'closed':
      return t(`cases.outcome.${s('outcome')}` as MessageKey);
    case 'escalated':
      return t(`cases.escalated.${s('level')}` as MessageKey);
    case 'child_flag':
      return `${t(`cases.flag.${s('flag')}` as MessageKey)}${d['cleared'] === true ? ` — ${t('cases.flag.clear')}` : ''}`;
    case 'assigned':
    case 'transferred':
      return s('owner') || s('to');
    case 'shared':
      return s('with');
    case 'transfer_requested':
      return s('to');
    default:
      return '';
  }
}

function PersonLink({ id, onDone }: { id: number; onDone: (p: Promise<unknown>) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Person[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const search = (e: Event) => {
    e.preventDefault();
    setError(null);
    registry.persons({ q, limit: 5 }).then((p) => setFound(p.items), setError);
  };
  return (
    <form class="case-action" onSubmit={search} data-testid="case-link">
      <h3>{t('cases.link')}</h3>
      <input class="input" value={q} placeholder={t('cases.link.search')} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
      {error !== null && <ErrorNotice error={error} />}
      {found && (
        <ul class="case-link-results">
          {found.map((p) => (
            <li key={p.id}>
              <bdi>{[p.given_name_ar, p.family_name_ar].filter(Boolean).join(' ') || [p.given_name_lat, p.family_name_lat].filter(Boolean).join(' ')}</bdi>{' '}
              <span dir="ltr">{p.birth_date}</span>{' '}
              <button type="button" class="btn btn--small" onClick={() => onDone(casesApi.link(id, p.id))}>
                {t('cases.link.choose')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

function CaseView({ id }: { id: number }) {
  const { t, dateTime } = useI18n();
  const [c, setC] = useState<CaseData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actError, setActError] = useState<unknown>(null);
  const [text, setText] = useState<Record<string, string>>({});
  const [confidential, setConfidential] = useState(false);
  const [ledger, setLedger] = useState(false);
  const load = () => casesApi.get(id).then(setC, setError);
  useEffect(() => {
    void load();
  }, [id]);
  const val = (k: string) => text[k] ?? '';
  const setVal = (k: string) => (e: Event) => setText({ ...text, [k]: (e.target as HTMLInputElement).value });
  const run = (p: Promise<unknown>) => {
    setActError(null);
    p.then(() => {
      setText({});
      return load();
    }, setActError);
  };
  if (error !== null) return <ErrorNotice error={error} />;
  if (!c) return null;
  const open = c.status === 'open';
  return (
    <section class="page case-page" data-testid="case-page">
      <p>
        <a href={href('/cases')}>{t('cases.back')}</a>
      </p>
      <h1>
        {t('cases.case_n', { n: String(c.id) })} — {t(`cases.type.${c.case_type}` as MessageKey)}
      </h1>
      <div class="card case-head">
        <p>
          <StageBadge c={c} t={t} /> <span class="badge">{t(`cases.status.${c.status}` as MessageKey)}</span>{' '}
          {c.overdue && <span class="badge case-overdue">{t('cases.overdue')}</span>}{' '}
          {c.escalation_level > 0 && <span class="badge case-overdue">{t(`cases.escalated.${c.escalation_level}` as MessageKey)}</span>}
        </p>
        <p>{c.summary}</p>
        <p class="muted">
          {t('cases.owner', { user: c.owner })}
          {c.supervisor && ` · ${t('cases.supervisor', { user: c.supervisor })}`}
          {c.due_at && ` · ${t('cases.due', { date: dateTime(c.due_at) })}`}
          {' · '}
          <span dir="ltr">{c.commune_code}</span>
          {c.origin_ref && (
            <>
              {' · '}
              <bdi>{c.origin_ref}</bdi>
            </>
          )}
        </p>
        {c.person_id && <p data-testid="case-linked" data-person={c.person_id}>{t('cases.linked_person', { n: String(c.person_id) })}</p>}
        {c.transfer_to && (
          <p class="notice notice--info">
            {t('cases.transfer.pending', { user: c.transfer_to })}{' '}
            <button type="button" class="btn btn--small" onClick={() => run(casesApi.acceptTransfer(id))}>
              {t('cases.transfer.accept')}
            </button>
          </p>
        )}
      </div>
      {actError !== null && <ErrorNotice error={actError} />}
      <div class="case-columns">
        <div>
          <h2>{t('cases.checklist')}</h2>
          <table class="table" data-testid="case-checklist">
            <tbody>
              {c.checklist.map((i) => (
                <tr key={i.item} data-item={i.item} data-answer={i.answer ?? ''}>
                  <td>
                    <bdi>{itemLabel(t, i.item)}</bdi> {i.required && <span class="muted">({t('cases.required')})</span>}
                  </td>
                  <td>
                    {(['yes', 'no', 'unknown'] as const).map((a) => (
                      <button
                        key={a}
                        type="button"
                        disabled={!open}
                        class={`btn btn--small ${i.answer === a ? 'btn--primary' : ''}`}
                        onClick={() => run(casesApi.answer(id, i.item, a))}
                      >
                        {t(`cases.answer.${a}` as MessageKey)}
                      </button>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('cases.child_flags')}</h2>
          <ul class="case-flags" data-testid="case-child-flags">
            {c.child_flags.map((f) => (
              <li key={`${f.flag}-${f.person_id ?? ''}`} data-flag={f.flag}>
                <span class="badge case-overdue">{t(`cases.flag.${f.flag}` as MessageKey)}</span>{' '}
                {f.person_id && <span class="muted">{t('cases.linked_person', { n: String(f.person_id) })}</span>}{' '}
                {open && (
                  <button type="button" class="btn btn--small" onClick={() => run(casesApi.childFlag(id, f.flag, f.person_id, true))}>
                    {t('cases.flag.clear')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {open && (
            <form class="case-action" onSubmit={(e) => (e.preventDefault(), run(casesApi.childFlag(id, val('flag') || CHILD_FLAGS[0], c.person_id, false)))}>
              <select value={val('flag') || CHILD_FLAGS[0]} onChange={setVal('flag')} aria-label={t('cases.child_flags')}>
                {CHILD_FLAGS.map((f) => (
                  <option key={f} value={f}>
                    {t(`cases.flag.${f}` as MessageKey)}
                  </option>
                ))}
              </select>
              <button type="submit" class="btn" data-testid="flag-raise">
                {t('cases.flag.raise')}
              </button>
            </form>
          )}
          <h2>{t('cases.notes')}</h2>
          <ul class="case-notes" data-testid="case-notes">
            {c.notes.map((n) => (
              <li key={n.id} class={n.confidential ? 'case-note case-note--confidential' : 'case-note'} data-readable={String(n.readable)}>
                <span class="muted">
                  <bdi>{n.written_by}</bdi> · {dateTime(n.written_at)}
                  {n.confidential && ` · ${t('cases.note.confidential')} (${t(`cases.note.topic.${n.topic ?? 'counselling'}` as MessageKey)})`}
                </span>
                <p>{n.readable ? n.text : t('cases.note.closed')}</p>
              </li>
            ))}
          </ul>
          <form
            class="case-action"
            onSubmit={(e) => {
              e.preventDefault();
              run(casesApi.note(id, val('note'), confidential, confidential ? val('topic') || 'counselling' : null));
            }}
          >
            <textarea class="input" required placeholder={t('cases.note.text')} value={val('note')} onInput={setVal('note')} data-testid="note-text" />
            <label>
              <input type="checkbox" checked={confidential} onChange={(e) => setConfidential((e.target as HTMLInputElement).checked)} /> {t('cases.note.confidential')}
            </label>
            {confidential && (
              <select value={val('topic') || 'counselling'} onChange={setVal('topic')} aria-label={t('cases.note.topic')}>
                {(['counselling', 'child_protection', 'violence'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`cases.note.topic.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            )}
            <button type="submit" class="btn">
              {t('cases.note.add')}
            </button>
          </form>
        </div>
        <div>
          <h2>{t('cases.actions')}</h2>
          {open && (
            <>
              <form class="case-action" onSubmit={(e) => (e.preventDefault(), run(casesApi.plan(id, val('goals'))))}>
                <textarea class="input" required placeholder={t('cases.plan.goals')} value={val('goals')} onInput={setVal('goals')} data-testid="plan-goals" />
                <button type="submit" class="btn" data-testid="plan-save">
                  {t('cases.plan.save')}
                </button>
              </form>
              <form
                class="case-action"
                onSubmit={(e) => {
                  e.preventDefault();
                  const body: Record<string, unknown> = {
                    kind: val('kind') || 'service',
                    target_type: val('target_type') || 'institution',
                    target: val('target'),
                    date: val('date'),
                  };
                  if (ledger) body['record_in_ledger'] = true;
                  run(casesApi.service(id, body));
                }}
              >
                <select value={val('kind') || 'service'} onChange={setVal('kind')} aria-label={t('cases.service.kind')}>
                  <option value="service">{t('cases.service.kind.service')}</option>
                  <option value="referral">{t('cases.service.kind.referral')}</option>
                </select>
                <select value={val('target_type') || 'institution'} onChange={setVal('target_type')} aria-label={t('cases.service.target_type')}>
                  {(['institution', 'association', 'programme', 'internal'] as const).map((k) => (
                    <option key={k} value={k}>
                      {t(`cases.service.target_type.${k}` as MessageKey)}
                    </option>
                  ))}
                </select>
                <input class="input" required placeholder={t('cases.service.target')} value={val('target')} onInput={setVal('target')} data-testid="service-target" />
                <input class="input" type="date" required aria-label={t('cases.service.date')} value={val('date')} onInput={setVal('date')} data-testid="service-date" />
                <label>
                  <input type="checkbox" checked={ledger} onChange={(e) => setLedger((e.target as HTMLInputElement).checked)} /> {t('cases.service.ledger')}
                </label>
                <button type="submit" class="btn" data-testid="service-save">
                  {t('cases.service.save')}
                </button>
              </form>
              <form class="case-action" onSubmit={(e) => (e.preventDefault(), run(casesApi.visit(id, val('visit_date'), val('visit'))))}>
                <input class="input" type="date" required aria-label={t('cases.service.date')} value={val('visit_date')} onInput={setVal('visit_date')} />
                <input class="input" placeholder={t('cases.visit.summary')} value={val('visit')} onInput={setVal('visit')} />
                <button type="submit" class="btn">
                  {t('cases.visit.save')}
                </button>
              </form>
              <PersonLink id={id} onDone={run} />
              <form class="case-action" onSubmit={(e) => (e.preventDefault(), run(casesApi.refer(id, val('share'))))}>
                <input class="input" dir="ltr" required placeholder={t('cases.share')} value={val('share')} onInput={setVal('share')} />
                <button type="submit" class="btn">
                  {t('cases.share.save')}
                </button>
              </form>
              <form class="case-action" onSubmit={(e) => (e.preventDefault(), run(casesApi.transfer(id, val('to'))))}>
                <input class="input" dir="ltr" required placeholder={t('cases.transfer')} value={val('to')} onInput={setVal('to')} />
                <button type="submit" class="btn">
                  {t('cases.transfer.save')}
                </button>
              </form>
              <form class="case-action" onSubmit={(e) => (e.preventDefault(), run(casesApi.close(id, val('outcome') || 'resolved')))}>
                <select value={val('outcome') || 'resolved'} onChange={setVal('outcome')} aria-label={t('cases.outcome')}>
                  {CASE_OUTCOMES.map((o) => (
                    <option key={o} value={o}>
                      {t(`cases.outcome.${o}` as MessageKey)}
                    </option>
                  ))}
                </select>
                <button type="submit" class="btn" data-testid="case-close">
                  {t('cases.close')}
                </button>
              </form>
            </>
          )}
          {!open && (
            <form class="case-action" onSubmit={(e) => (e.preventDefault(), run(casesApi.reopen(id, val('reason'))))}>
              <input class="input" required placeholder={t('cases.reopen.reason')} value={val('reason')} onInput={setVal('reason')} />
              <button type="submit" class="btn">
                {t('cases.reopen')}
              </button>
            </form>
          )}
        </div>
      </div>
      <CasePlacements caseId={c.id} open={open} />
      <h2>{t('cases.timeline')}</h2>
      <ol class="case-timeline" data-testid="case-timeline">
        {c.timeline.map((e) => (
          <li key={e.id} data-kind={e.kind}>
            <span class="muted">
              {dateTime(e.at)} · <bdi>{e.by}</bdi>
            </span>{' '}
            <strong>{t(`cases.event.${e.kind}` as MessageKey)}</strong> <bdi>{eventText(t, e)}</bdi>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function CasesPage({ route }: { route: Route }) {
  const rest = route.path.slice('/cases'.length);
  const id = /^\/(\d+)$/.exec(rest);
  if (id) return <CaseView key={id[1]} id={Number(id[1])} />;
  return <CaseList route={route} />;
}
