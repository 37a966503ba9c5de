import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, registry } from '../api';
import type { ChangeRequest, ChangeStatus, Household, ListPage, Person, User } from '../api';
import { AreaLabel } from '../components/AreaPicker';
import { Pager } from '../components/Pager';
import { ErrorNotice, Loading, errorMessage } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import {
  HOUSEHOLD_FIELDS,
  PERSON_FIELDS,
  PERSON_FIELD_BY_NAME,
  canApprove,
  displayName,
  fieldKey,
  formatValue,
  vocabKey,
} from '../registry';
import type { FieldDef } from '../registry';
import { href, navigate } from '../router';
import type { Route } from '../router';
import { Decision, Warnings, WithdrawButton } from '../components/RequestOutcome';

const STATUSES: readonly ChangeStatus[] = ['pending', 'applied', 'rejected', 'withdrawn'];
const PAGE_SIZE = 50;

function readState(route: Route) {
  const s = route.params.get('status');
  const status: ChangeStatus = (STATUSES as readonly string[]).includes(s ?? '') ? (s as ChangeStatus) : 'pending';
  const id = route.params.get('id');
  const page = Math.max(1, Number(route.params.get('page')) || 1);
  return { status, id: id && /^\d+$/.test(id) ? id : undefined, page };
}

export function kindLabel(t: (k: MessageKey) => string, kind: string): string {
  const key = `cr.kind.${kind}` as MessageKey;
  const text = t(key);
  return text === key ? kind : text;
}

/** #/change-requests?status=pending&id=12 */
export function ChangeRequestsPage({ route, user }: { route: Route; user: User }) {
  const { t } = useI18n();
  const state = readState(route);
  return (
    <div class="page" data-testid="inbox-page">
      <header class="page__header">
        <h1 class="page__title">{t('cr.title')}</h1>
        <p class="page__intro">{t('cr.intro')}</p>
      </header>
      {state.id ? (
        <RequestDetail key={state.id} id={state.id} user={user} status={state.status} />
      ) : (
        <RequestList status={state.status} page={state.page} />
      )}
    </div>
  );
}

function RequestList({ status, page }: { status: ChangeStatus; page: number }) {
  const { t, num, dateTime } = useI18n();
  const [list, setList] = useState<ListPage<ChangeRequest> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    setList(null);
    setError(null);
    registry
      .changeRequests({ status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, ctrl.signal)
      .then(setList)
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, [status, page, attempt]);
  const pages = list ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : 1;
  return (
    <>
      <div class="tabs" role="group" aria-label={t('cr.status_filter')}>
        {STATUSES.map((s) => (
          <a key={s} class="tabs__item" href={href('/change-requests', { status: s })} aria-current={s === status ? 'true' : undefined} data-testid={`status-${s}`}>
            {t(`cr.status.${s}`)}
          </a>
        ))}
      </div>
      {error !== null && <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />}
      {!list && error === null && <Loading />}
      {list && list.items.length === 0 && <p class="empty" data-testid="inbox-empty">{t('cr.empty')}</p>}
      {list && list.items.length > 0 && (
        <div class="table-wrap">
          <table class="table table--interactive" data-testid="inbox-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('cr.col.kind')}</th>
                <th scope="col">{t('cr.col.summary')}</th>
                <th scope="col">{t('cr.col.area')}</th>
                <th scope="col">{t('cr.col.author')}</th>
                <th scope="col">{t('cr.col.created')}</th>
                {status !== 'pending' && <th scope="col">{t('cr.col.reviewer')}</th>}
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => {
                const open = () => navigate('/change-requests', { status, id: String(c.id) });
                return (
                  <tr key={c.id} data-testid="inbox-row" data-id={c.id} data-kind={c.kind} onClick={open}>
                    <td>
                      <a href={href('/change-requests', { status, id: String(c.id) })} onClick={(e) => e.stopPropagation()} data-testid="inbox-link">
                        {c.id}
                      </a>
                    </td>
                    <td>
                      <span class="badge">{kindLabel(t, c.kind)}</span>
                      {c.item_count > 1 && <span class="muted"> ×{num(c.item_count)}</span>}
                      {c.conflicts_with.length > 0 && (
                        <span class="badge badge--conflict" data-testid="conflict-badge" title={c.conflicts_with.map((x) => `#${x}`).join(' ')}>
                          {t('cr.conflicts')}
                        </span>
                      )}
                    </td>
                    <td>{c.summary}</td>
                    <td>
                      <AreaLabel code={c.area_code} />
                    </td>
                    <td>
                      <bdi dir="ltr">{c.author}</bdi>
                    </td>
                    <td>{dateTime(c.created_at)}</td>
                    {status !== 'pending' && (
                      <td>
                        <bdi dir="ltr">{c.reviewer ?? ''}</bdi>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list && pages > 1 && (
        <Pager page={page} pages={pages} hrefFor={(p) => href('/change-requests', { status, page: String(p) })} />
      )}
    </>
  );
}

function RequestDetail({ id, user, status }: { id: string; user: User; status: ChangeStatus }) {
  const { t, dateTime } = useI18n();
  const [cr, setCr] = useState<ChangeRequest | null>(null);
  const [mergeFiled, setMergeFiled] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    registry
      .changeRequest(id, ctrl.signal)
      .then(setCr)
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, [id, attempt]);

  const back = (
    <p>
      <a href={href('/change-requests', { status })} data-testid="back-to-list">
        {t('cr.back')}
      </a>
    </p>
  );
  if (error) return (<>{back}<ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} /></>);
  if (!cr) return (<>{back}<Loading /></>);
  return (
    <>
      {back}
      <section class="card cr-detail" data-testid="cr-detail" data-id={cr.id} data-status={cr.status}>
        <div class="cr-detail__head">
          <h2 class="cr-detail__title">
            <span class="badge">{kindLabel(t, cr.kind)}</span> #{cr.id}
          </h2>
          <span class={`badge badge--${cr.status}`} data-testid="cr-status">
            {t(`cr.status.${cr.status}`)}
          </span>
        </div>
        <p class="cr-detail__summary">{cr.summary}</p>
        <dl class="facts facts--compact">
          <div class="facts__item">
            <dt>{t('cr.col.author')}</dt>
            <dd><bdi dir="ltr">{cr.author}</bdi></dd>
          </div>
          <div class="facts__item">
            <dt>{t('cr.col.created')}</dt>
            <dd>{dateTime(cr.created_at)}</dd>
          </div>
          <div class="facts__item">
            <dt>{t('cr.col.area')}</dt>
            <dd><AreaLabel code={cr.area_code} /></dd>
          </div>
          {cr.status !== 'pending' && (
            <div class="facts__item facts__item--wide">
              <dt>{t('cr.col.decision')}</dt>
              <dd>
                <Decision cr={cr} />
                <p class="muted">{t('cr.decision_final')}</p>
              </dd>
            </div>
          )}
        </dl>
        {cr.status === 'pending' && !(canApprove(user.roles) && cr.author !== user.username) && <Warnings warnings={cr.warnings} />}
        {cr.status === 'pending' && cr.author === user.username && (
          <div class="actions-row">
            <WithdrawButton cr={cr} onWithdrawn={(updated) => setCr({ ...cr, ...updated, payload: cr.payload, current: cr.current })} />
          </div>
        )}
        {cr.conflicts_with.length > 0 && cr.status === 'pending' && (
          <div class="notice notice--warning" role="note" data-testid="conflicts-notice">
            <p>{t('cr.conflicts_with', { ids: cr.conflicts_with.map((x) => `#${x}`).join(', ') })}</p>
            <p>
              {cr.conflicts_with.map((x) => (
                <a key={x} class="conflict-link" href={href('/change-requests', { status: 'pending', id: String(x) })}>
                  #{x}
                </a>
              ))}
            </p>
          </div>
        )}
      </section>

      <section class="section" aria-labelledby="cr-diff">
        <h2 class="section__title" id="cr-diff">
          {t('cr.diff')}
        </h2>
        <Diff cr={cr} />
      </section>

      {mergeFiled !== null && (
        <div class="notice notice--info" role="status" data-testid="merge-filed">
          <p>{t('cr.nid.merge_filed', { id: mergeFiled })}</p>
          <a href={href('/change-requests', { status: 'pending', id: String(mergeFiled) })}>{t('cr.open')}</a>
        </div>
      )}
      {cr.status === 'pending' && canApprove(user.roles) && (
        <ReviewForm
          cr={cr}
          user={user}
          onReviewed={(c, merge) => {
            setCr(c);
            if (merge !== undefined) setMergeFiled(merge);
          }}
        />
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------------
// Diff view.

function DiffTable({ defs, before, after, currency, showAll, caption }: {
  defs: readonly FieldDef[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  currency?: string | null;
  showAll?: boolean;
  caption?: ComponentChildren;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const names = showAll ? defs.map((d) => d.name).filter((n) => n in after) : Object.keys(after);
  const defOf = (n: string) => defs.find((d) => d.name === n);
  return (
    <div class="table-wrap">
      <table class="table diff" data-testid="diff-table">
        {caption && <caption class="diff__caption">{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">{t('cr.field')}</th>
            {before && <th scope="col">{t('cr.before')}</th>}
            <th scope="col">{before ? t('cr.after') : t('cr.value')}</th>
          </tr>
        </thead>
        <tbody>
          {names.map((n) => {
            const def = defOf(n);
            const old = before ? formatValue(i18n, def, before[n], currency) : null;
            const neu = formatValue(i18n, def, after[n], currency);
            const changed = before !== null && old !== neu;
            return (
              <tr key={n} class={changed ? 'diff__row--changed' : undefined} data-testid="diff-row" data-field={n}>
                <th scope="row">{def ? t(fieldKey(n)) : n}</th>
                {before && <td class="diff__before"><bdi>{old}</bdi></td>}
                <td class={before ? 'diff__after' : undefined}>
                  <bdi>{def?.kind === 'area' && typeof after[n] === 'string' ? <AreaLabel code={after[n] as string} /> : neu}</bdi>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PersonsTable({ persons }: { persons: Record<string, unknown>[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const cols = ['relationship', 'given_name_ar', 'family_name_ar', 'given_name_lat', 'family_name_lat', 'sex', 'birth_date', 'national_id', 'phone', 'schooling', 'disability_type'];
  return (
    <div class="table-wrap">
      <table class="table" data-testid="diff-members">
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c} scope="col">{t(fieldKey(c))}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {persons.map((p, i) => (
            <tr key={i} class="diff__row--added" data-testid="diff-member">
              {cols.map((c) => (
                <td key={c}>
                  <bdi>{formatValue(i18n, PERSON_FIELD_BY_NAME.get(c), p[c])}</bdi>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HouseholdLink({ h }: { h: Household | undefined }) {
  const { t, lang } = useI18n();
  if (!h) return null;
  const head = h.members.find((m) => m.relationship === 'head' && m.status === 'active');
  return (
    <p class="diff__target">
      <a href={href(`/households/${h.id}`)} data-testid="diff-household-link">
        {t('household.title', { ref: h.ref ?? String(h.id) })}
      </a>
      {head && <span class="muted"> · {displayName(head, lang)}</span>}
    </p>
  );
}

function personName(p: Person | undefined, lang: 'ar' | 'fr' | 'en', fallback: unknown): string {
  return p ? `${displayName(p, lang)} (${p.record_id ?? p.id})` : `#${String(fallback)}`;
}

function Diff({ cr }: { cr: ChangeRequest }) {
  const { t, lang } = useI18n();
  const p = (cr.payload ?? {}) as Record<string, unknown>;
  const hh = cr.current?.households ?? [];
  const persons = cr.current?.persons ?? [];
  const allMembers = hh.flatMap((h) => h.members);
  const findPerson = (id: unknown) => persons.find((x) => x.id === id) ?? allMembers.find((x) => x.id === id);
  const note = cr.status !== 'pending' ? <p class="muted">{t('cr.diff_after_review')}</p> : null;

  switch (cr.kind) {
    case 'create_household': {
      const household = (p['household'] ?? {}) as Record<string, unknown>;
      const members = (p['members'] ?? []) as Record<string, unknown>[];
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <h3 class="diff__subtitle">{t('cr.new_household')}</h3>
          <DiffTable defs={HOUSEHOLD_FIELDS} before={null} after={household} currency={household['currency'] as string} showAll />
          <h3 class="diff__subtitle">{t('cr.new_members', { n: members.length })}</h3>
          <PersonsTable persons={members} />
        </div>
      );
    }
    case 'update_household': {
      const h = hh[0];
      const changes = (p['changes'] ?? {}) as Record<string, unknown>;
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <HouseholdLink h={h} />
          {note}
          <DiffTable defs={HOUSEHOLD_FIELDS} before={h ?? {}} after={changes} currency={(changes['currency'] ?? h?.['currency']) as string} />
        </div>
      );
    }
    case 'update_person': {
      const person = findPerson(p['person_id']);
      const changes = (p['changes'] ?? {}) as Record<string, unknown>;
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <p class="diff__target">{personName(person, lang, p['person_id'])}</p>
          {note}
          <DiffTable defs={PERSON_FIELDS} before={person ?? {}} after={changes} />
        </div>
      );
    }
    case 'add_member': {
      const person = (p['person'] ?? {}) as Record<string, unknown>;
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <HouseholdLink h={hh[0]} />
          <h3 class="diff__subtitle">{t('cr.new_member')}</h3>
          <DiffTable defs={PERSON_FIELDS} before={null} after={person} showAll />
        </div>
      );
    }
    case 'remove_member':
    case 'exit_household': {
      const person = findPerson(p['person_id']);
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          {cr.kind === 'exit_household' ? <HouseholdLink h={hh[0]} /> : <p class="diff__target diff__row--removed">{personName(person, lang, p['person_id'])}</p>}
          {person && <HouseholdLink h={hh.find((h) => h.id === person.household_id)} />}
          <dl class="facts facts--compact">
            <div class="facts__item">
              <dt>{t('household.reason')}</dt>
              <dd>{typeof p['reason'] === 'string' ? t(vocabKey('exit_reason', p['reason'])) : t('common.none')}</dd>
            </div>
          </dl>
        </div>
      );
    }
    case 'change_head': {
      const h = hh[0];
      const oldHead = h?.members.find((m) => m.relationship === 'head' && m.status === 'active');
      const newHead = findPerson(p['new_head_person_id']);
      const rel = p['previous_head_relationship'];
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <HouseholdLink h={h} />
          <div class="table-wrap">
            <table class="table diff" data-testid="diff-table">
              <thead>
                <tr>
                  <th scope="col">{t('household.member')}</th>
                  <th scope="col">{t('cr.before')}</th>
                  <th scope="col">{t('cr.after')}</th>
                </tr>
              </thead>
              <tbody>
                {newHead && (
                  <tr class="diff__row--changed">
                    <th scope="row">{personName(newHead, lang, p['new_head_person_id'])}</th>
                    <td class="diff__before">{t(vocabKey('relationship', newHead.relationship))}</td>
                    <td class="diff__after">{t(vocabKey('relationship', 'head'))}</td>
                  </tr>
                )}
                {oldHead && (
                  <tr class="diff__row--changed">
                    <th scope="row">{personName(oldHead, lang, oldHead.id)}</th>
                    <td class="diff__before">{t(vocabKey('relationship', 'head'))}</td>
                    <td class="diff__after">{typeof rel === 'string' ? t(vocabKey('relationship', rel)) : t('common.none')}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </div>
      );
    }
    default:
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          {hh.map((h) => (
            <HouseholdLink key={h.id} h={h} />
          ))}
          <pre class="payload" dir="ltr">{JSON.stringify(p, null, 2)}</pre>
        </div>
      );
  }
}

// ---------------------------------------------------------------------------------------------------
// Warnings (the filing agent sees them when filing and on the request) and the national-ID decision.

type NidChoice = 'same' | 'not_same' | null;

/** The other holder of the national ID (a link to their household when the reviewer's scope covers them) and the choice. */
function NationalIdDecision({ cr, choice, onChoice, busy, onSamePerson }: {
  cr: ChangeRequest;
  choice: NidChoice;
  onChoice: (c: NidChoice) => void;
  busy: boolean;
  onSamePerson: () => void;
}) {
  const { t, lang } = useI18n();
  const holders = (cr.warnings ?? []).filter((w) => w.reason === 'person.national_id_in_use');
  const others = holders
    .map((w) => (w.person_id !== undefined ? cr.current?.persons.find((p) => p.id === w.person_id) : undefined))
    .filter((p): p is Person => p !== undefined);
  const canMerge = cr.kind === 'update_person' && others.length === 1;
  return (
    <fieldset class="notice notice--warning nid-decision" data-testid="nid-decision">
      <legend class="section__title">{t('cr.nid.title')}</legend>
      <p>{t('cr.nid.intro')}</p>
      {others.map((p) => (
        <p key={p.id} data-testid="nid-other">
          {t('cr.nid.other', { name: personName(p, lang, p.id) })}{' '}
          <a href={href(`/households/${p.household_id}`)} target="_blank" rel="noopener" data-testid="nid-other-link">
            {t('cr.nid.open_other')}
          </a>
        </p>
      ))}
      {others.length === 0 && <p>{t('cr.nid.other_hidden')}</p>}
      <p class="field__label">{t('cr.nid.choice')}</p>
      <label class="checkbox">
        <input type="radio" name="nid-choice" checked={choice === 'same'} data-testid="nid-same" onChange={() => onChoice('same')} />
        {canMerge ? t('cr.nid.same_merge') : t('cr.nid.same')}
      </label>
      <label class="checkbox">
        <input type="radio" name="nid-choice" checked={choice === 'not_same'} data-testid="nid-not-same" onChange={() => onChoice('not_same')} />
        {t('cr.nid.not_same')}
      </label>
      {choice === 'not_same' && <p class="toolbar__hint">{t('cr.nid.needs_comment')}</p>}
      {choice === 'same' && (
        <div class="actions-row">
          <button type="button" class="btn btn--danger" disabled={busy} data-testid="nid-same-submit" onClick={onSamePerson}>
            {canMerge ? t('cr.nid.same_merge') : t('cr.nid.same')}
          </button>
        </div>
      )}
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------------
// Approve / reject.

function ReviewForm({ cr, user, onReviewed }: {
  cr: ChangeRequest;
  user: User;
  /** `mergeId`: the merge request filed instead, when the reviewer found the same person twice. */
  onReviewed: (cr: ChangeRequest, mergeId?: number) => void;
}) {
  const { t, lang } = useI18n();
  const [comment, setComment] = useState('');
  const [ack, setAck] = useState(false);
  const [needsAck, setNeedsAck] = useState(false);
  const [problem, setProblem] = useState<{ kind: 'four_eyes' | 'conflict' | 'comment' | 'other'; text: string } | null>(null);
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const own = cr.author === user.username;
  // A national ID of the request is held by another active person: the reviewer says whether it is the same person.
  const [needsNid, setNeedsNid] = useState((cr.warnings ?? []).some((w) => w.reason === 'person.national_id_in_use'));
  const [nidChoice, setNidChoice] = useState<NidChoice>(null);

  const after = (updated: ChangeRequest, mergeId?: number) => {
    // Keep the diff: the review answer has no payload.
    onReviewed({ ...cr, ...updated, payload: cr.payload, current: cr.current }, mergeId);
  };

  const approve = async () => {
    setProblem(null);
    if (needsNid && !comment.trim()) {
      setProblem({ kind: 'comment', text: t('cr.nid.needs_comment') });
      document.getElementById('review-comment')?.focus();
      return;
    }
    setBusy('approve');
    try {
      after(await registry.approve(cr.id, comment.trim(), ack, needsNid && nidChoice === 'not_same'));
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'person.national_id_in_use') {
        setNeedsNid(true);
        setProblem({ kind: 'other', text: err.message });
      } else if (err instanceof ApiError && err.status === 409) {
        setNeedsAck(true);
        setProblem({ kind: 'conflict', text: err.message });
      } else if (err instanceof ApiError && err.status === 403 && own) {
        setProblem({ kind: 'four_eyes', text: t('cr.four_eyes') });
      } else {
        setProblem({ kind: 'other', text: errorMessage(t, err) });
      }
    } finally {
      setBusy(null);
    }
  };
  // Same person: the request is rejected, and a person update becomes a merge into the other holder.
  const samePerson = async () => {
    setProblem(null);
    const holder = (cr.warnings ?? []).find((w) => w.reason === 'person.national_id_in_use' && w.person_id !== undefined);
    const other = holder ? cr.current?.persons.find((p) => p.id === holder.person_id) : undefined;
    const text = comment.trim() || t('cr.nid.same_comment', { ref: other ? personName(other, lang, other.id) : '—' });
    setBusy('reject');
    try {
      const rejected = await registry.reject(cr.id, text);
      const duplicate = (cr.payload ?? {})['person_id'];
      let merge: number | undefined;
      if (cr.kind === 'update_person' && other && typeof duplicate === 'number') {
        merge = (await registry.propose('merge_persons', { person_id: other.id, duplicate_person_id: duplicate })).id;
      }
      after(rejected, merge);
    } catch (err) {
      setProblem({ kind: 'other', text: errorMessage(t, err) });
    } finally {
      setBusy(null);
    }
  };
  const reject = async () => {
    setProblem(null);
    if (!comment.trim()) {
      setProblem({ kind: 'comment', text: t('cr.reject_needs_comment') });
      document.getElementById('review-comment')?.focus();
      return;
    }
    setBusy('reject');
    try {
      after(await registry.reject(cr.id, comment.trim()));
    } catch (err) {
      if (err instanceof ApiError && err.status === 403 && own) setProblem({ kind: 'four_eyes', text: t('cr.four_eyes') });
      else setProblem({ kind: 'other', text: errorMessage(t, err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card review" aria-labelledby="review-title" data-testid="review-form">
      <h2 class="section__title" id="review-title">
        {t('cr.review')}
      </h2>
      {own && <p class="muted" data-testid="own-request-hint">{t('cr.own_request_hint')}</p>}
      {needsNid && !own && (
        <NationalIdDecision cr={cr} choice={nidChoice} onChoice={setNidChoice} busy={busy !== null} onSamePerson={() => void samePerson()} />
      )}

      <div class="field">
        <label class="field__label" for="review-comment">
          {t('cr.comment')}
        </label>
        <textarea
          id="review-comment"
          class="input textarea"
          rows={3}
          value={comment}
          maxLength={2000}
          aria-invalid={problem?.kind === 'comment' ? 'true' : undefined}
          aria-describedby="review-comment-hint"
          data-testid="review-comment"
          onInput={(e) => setComment(e.currentTarget.value)}
        />
        <p class="toolbar__hint" id="review-comment-hint">
          {t('cr.comment_hint')}
        </p>
      </div>
      {(needsAck || cr.conflicts_with.length > 0) && (
        <label class="checkbox">
          <input type="checkbox" checked={ack} data-testid="ack-conflicts" onChange={(e) => setAck(e.currentTarget.checked)} />
          {t('cr.ack_conflicts')}
        </label>
      )}
      {problem && (
        <div class={`notice ${problem.kind === 'conflict' ? 'notice--warning' : 'notice--error'}`} role="alert" data-testid={`review-problem-${problem.kind}`}>
          {problem.kind === 'conflict' && <p>{t('cr.conflict_detected')}</p>}
          <p>{problem.text}</p>
        </div>
      )}
      <div class="actions-row">
        <button
          type="button"
          class="btn btn--primary"
          disabled={own || busy !== null || (needsAck && !ack) || (needsNid && nidChoice !== 'not_same')}
          title={own ? t('cr.approve_disabled_own') : undefined}
          data-testid="approve"
          onClick={() => void approve()}
        >
          {busy === 'approve' ? t('form.submitting') : t('cr.approve')}
        </button>
        <button type="button" class="btn btn--danger" disabled={busy !== null} data-testid="reject" onClick={() => void reject()}>
          {busy === 'reject' ? t('form.submitting') : t('cr.reject')}
        </button>
      </div>
    </section>
  );
}
