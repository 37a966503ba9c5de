import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, registry } from '../api';
import type { Benefit, ChangeRequest, HistoryEvent, Household, Person, User } from '../api';
import { validDate } from '../areas';
import { AreaLabel } from '../components/AreaPicker';
import { ErrorNotice, Loading, errorMessage } from '../components/ErrorNotice';
import { PersonForm, emptyPerson } from '../components/PersonForm';
import { Warnings } from '../components/RequestOutcome';
import { FieldInput, toApiValue, toFormValues, toPayload } from '../components/RegistryFields';
import type { FieldErrors, FormValues } from '../components/RegistryFields';
import { useI18n } from '../i18n';
import {
  HOUSEHOLD_FIELDS,
  HOUSEHOLD_GROUPS,
  PERSON_FIELDS,
  PERSON_FIELD_BY_NAME,
  VOCAB,
  ageOf,
  canApprove,
  canPropose,
  displayName,
  fieldKey,
  formPath,
  formatValue,
  headOf,
  nameIn,
  vocabKey,
} from '../registry';
import { href, navigate } from '../router';
import type { Route } from '../router';

/** #/households/12?as_of=2026-01-31 */
export function HouseholdPage({ route, user, id }: { route: Route; user: User; id: string }) {
  const { t, date } = useI18n();
  const asOf = validDate(route.params.get('as_of'));
  const [household, setHousehold] = useState<Household | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    setHousehold(null);
    registry
      .household(id, asOf, ctrl.signal)
      .then(setHousehold)
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(e);
      });
    return () => ctrl.abort();
  }, [id, asOf, attempt]);

  const missingThen = asOf && error instanceof ApiError && error.status === 404;
  const setAsOf = (v: string | undefined) => navigate(`/households/${id}`, { as_of: v });
  const reload = () => setAttempt((a) => a + 1);

  return (
    <div class="page" data-testid="household-page">
      <nav class="breadcrumb" aria-label={t('areas.breadcrumb')}>
        <ol class="breadcrumb__list">
          <li class="breadcrumb__item">
            <a href={href('/registry')}>{t('nav.registry')}</a>
          </li>
          <li class="breadcrumb__item">
            <span aria-current="page">{household?.ref ?? t('household.title_id', { id })}</span>
          </li>
        </ol>
      </nav>

      <div class="toolbar" role="group">
        <div class="toolbar__group">
          <label class="toolbar__label" for="hh-as-of">
            {t('household.as_of')}
          </label>
          <div class="toolbar__inline">
            <input
              id="hh-as-of"
              class="input input--date"
              type="date"
              value={asOf ?? ''}
              max="2100-12-31"
              data-testid="household-as-of"
              onChange={(e) => setAsOf(validDate(e.currentTarget.value))}
            />
            {asOf && (
              <button type="button" class="btn btn--ghost btn--small" data-testid="as-of-clear" onClick={() => setAsOf(undefined)}>
                {t('household.as_of_today')}
              </button>
            )}
          </div>
          <p class="toolbar__hint">{asOf ? t('household.as_of_active', { date: date(asOf) }) : t('household.as_of_hint')}</p>
        </div>
      </div>

      {missingThen ? (
        <div class="notice notice--info" role="status" data-testid="as-of-missing">
          <p>{t('household.did_not_exist', { date: date(asOf) })}</p>
          <button type="button" class="btn btn--secondary btn--small" onClick={() => setAsOf(undefined)}>
            {t('household.as_of_today')}
          </button>
        </div>
      ) : error ? (
        <ErrorNotice error={error} onRetry={reload} />
      ) : !household ? (
        <Loading />
      ) : (
        <HouseholdView household={household} user={user} asOf={asOf} onChanged={reload} />
      )}
    </div>
  );
}

function HouseholdView({ household: h, user, asOf, onChanged }: { household: Household; user: User; asOf: string | undefined; onChanged: () => void }) {
  const i18n = useI18n();
  const { t, lang, date } = i18n;
  const head = headOf(h);
  const [pendingKey, setPendingKey] = useState(0);
  const currency = (h['currency'] as string | null) ?? null;
  return (
    <>
      <header class="page__header household-head">
        <div>
          <h1 class="page__title" data-testid="household-title">
            {t('household.title', { ref: h.ref ?? String(h.id) })}
          </h1>
          <p class="page__intro">
            {head && (
              <>
                {t('household.head')}: <bdi data-testid="household-head">{displayName(head, lang)}</bdi> ·{' '}
              </>
            )}
            <AreaLabel code={h.commune_code} />
          </p>
        </div>
        <div class="household-head__badges">
          <span class={`badge badge--${h.status}`} data-testid="household-status">
            {t(vocabKey('status', h.status))}
          </span>
          {asOf && <span class="badge badge--accent">{t('household.as_of_badge', { date: date(asOf) })}</span>}
        </div>
      </header>

      <section class="section" aria-labelledby="hh-vars">
        <h2 class="section__title" id="hh-vars">
          {t('household.variables')}
        </h2>
        <div class="var-groups">
          {HOUSEHOLD_GROUPS.map((g) => (
            <section key={g.id} class="card var-group" data-testid={`group-${g.id}`}>
              <h3 class="var-group__title">{t(`group.${g.id}` as 'group.location')}</h3>
              <dl class="facts facts--compact">
                {g.fields.map((d) => (
                  <div class="facts__item" key={d.name}>
                    <dt>{t(fieldKey(d.name))}</dt>
                    <dd data-field={d.name}>
                      {d.kind === 'area' ? <AreaLabel code={h[d.name] as string} /> : <bdi>{formatValue(i18n, d, h[d.name], currency)}</bdi>}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </section>

      <MembersSection household={h} />

      {!asOf && canPropose(user.roles) && (
        <HouseholdActions household={h} user={user} onFiled={() => setPendingKey((k) => k + 1)} />
      )}
      {!asOf && <PendingRequests household={h} user={user} refresh={pendingKey} onChanged={onChanged} />}
      <HistorySection id={h.id} />
      <BenefitsSection id={h.id} members={h.members} />
    </>
  );
}

function MembersSection({ household: h }: { household: Household }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  return (
    <section class="section" aria-labelledby="hh-members">
      <h2 class="section__title" id="hh-members">
        {t('household.members')} <span class="muted">({num(h.members.filter((m) => m.status === 'active').length)})</span>
      </h2>
      <div class="table-wrap">
        <table class="table" data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">{t('field.relationship')}</th>
              <th scope="col">{t('person.name_ar')}</th>
              <th scope="col">{t('person.name_lat')}</th>
              <th scope="col">{t('field.sex')}</th>
              <th scope="col">{t('field.birth_date')}</th>
              <th scope="col">{t('field.schooling')}</th>
              <th scope="col">{t('field.disability_type')}</th>
              <th scope="col">{t('field.national_id')}</th>
              <th scope="col">{t('field.phone')}</th>
              <th scope="col">{t('field.status')}</th>
            </tr>
          </thead>
          <tbody>
            {h.members.map((m) => {
              const age = ageOf(m.birth_date);
              return (
                <tr key={m.id} data-testid="member-row" data-id={m.id} class={m.status !== 'active' ? 'row--inactive' : undefined}>
                  <td>{t(vocabKey('relationship', m.relationship))}</td>
                  <td>
                    <bdi lang="ar" dir="rtl">{nameIn(m, 'ar') || t('common.none')}</bdi>
                  </td>
                  <td>
                    <bdi lang="fr" dir="ltr">{nameIn(m, 'lat') || t('common.none')}</bdi>
                  </td>
                  <td>{t(vocabKey('sex', m.sex))}</td>
                  <td>
                    {formatValue(i18n, PERSON_FIELD_BY_NAME.get('birth_date'), m.birth_date)}
                    {age !== null && <span class="muted"> · {t('person.age', { n: num(age) })}</span>}
                  </td>
                  <td>{formatValue(i18n, PERSON_FIELD_BY_NAME.get('schooling'), m.schooling)}</td>
                  <td>
                    {formatValue(i18n, PERSON_FIELD_BY_NAME.get('disability_type'), m.disability_type)}
                    {m.disability_percent !== null && m.disability_percent !== undefined && <span class="muted"> · {num(m.disability_percent / 100, { style: 'percent' })}</span>}
                  </td>
                  <td>
                    <bdi class="code" dir="ltr">{m.national_id ?? t('common.none')}</bdi>
                  </td>
                  <td>
                    <bdi dir="ltr">{m.phone ?? t('common.none')}</bdi>
                  </td>
                  <td>
                    {t(vocabKey('status', m.status))}
                    {m.exit_reason && <span class="muted"> · {t(vocabKey('exit_reason', m.exit_reason))}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------
// Actions: each files a change request.

type Action = 'edit' | 'add' | 'remove' | 'head';

function HouseholdActions({ household: h, user, onFiled }: { household: Household; user: User; onFiled: () => void }) {
  const { t } = useI18n();
  const [action, setAction] = useState<Action | null>(null);
  const [filed, setFiled] = useState<ChangeRequest | null>(null);
  const active = h.members.filter((m) => m.status === 'active');
  const done = (cr: ChangeRequest) => {
    setFiled(cr);
    setAction(null);
    onFiled();
  };
  const actions: { id: Action; label: 'household.action.edit' | 'household.action.add' | 'household.action.remove' | 'household.action.head' }[] = [
    { id: 'edit', label: 'household.action.edit' },
    { id: 'add', label: 'household.action.add' },
    { id: 'remove', label: 'household.action.remove' },
    { id: 'head', label: 'household.action.head' },
  ];
  return (
    <section class="section" aria-labelledby="hh-actions">
      <h2 class="section__title" id="hh-actions">
        {t('household.actions')}
      </h2>
      <p class="muted">{t('household.actions_intro')}</p>
      <div class="actions-row" role="group">
        {actions.map((a) => (
          <button
            key={a.id}
            type="button"
            class={`btn ${action === a.id ? 'btn--primary' : 'btn--secondary'}`}
            aria-expanded={action === a.id}
            data-testid={`action-${a.id}`}
            disabled={h.status !== 'active' || ((a.id === 'remove' || a.id === 'head') && active.length < 2)}
            onClick={() => {
              setFiled(null);
              setAction(action === a.id ? null : a.id);
            }}
          >
            {t(a.label)}
          </button>
        ))}
      </div>
      {filed && (
        <div class="notice notice--info" role="status" data-testid="action-filed">
          <p>{t('cr.filed', { id: filed.id })}</p>
          <p>
            {t('cr.awaiting')}{' '}
            {canApprove(user.roles) && <a href={href('/change-requests', { id: String(filed.id) })}>{t('cr.open')}</a>}{' '}
            <a href={href('/my-requests')}>{t('cr.my_requests_link')}</a>
          </p>
        </div>
      )}
      {filed && <Warnings warnings={filed.warnings} />}
      {action === 'edit' && <EditHousehold household={h} onDone={done} onCancel={() => setAction(null)} />}
      {action === 'add' && <AddMember household={h} onDone={done} onCancel={() => setAction(null)} />}
      {action === 'remove' && <RemoveMember household={h} onDone={done} onCancel={() => setAction(null)} />}
      {action === 'head' && <ChangeHead household={h} onDone={done} onCancel={() => setAction(null)} />}
    </section>
  );
}

interface ActionProps {
  household: Household;
  onDone: (cr: ChangeRequest) => void;
  onCancel: () => void;
}

/** Submits a change request, mapping a field error to `prefix` + field for the form. */
function useSubmit(kind: string, prefix: string, onDone: (cr: ChangeRequest) => void) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async (payload: Record<string, unknown>) => {
    setBusy(true);
    setFailure(null);
    setErrors({});
    try {
      onDone(await registry.propose(kind, payload));
    } catch (err) {
      const path = err instanceof ApiError ? formPath(err.field) : null;
      if (err instanceof ApiError && path && path.startsWith(prefix)) {
        setErrors({ [path.slice(prefix.length)]: err.message });
        setFailure(t('form.server_rejected'));
      } else {
        setFailure(errorMessage(t, err));
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, setErrors, failure, setFailure, submit };
}

function FormButtons({ busy, onCancel, testId }: { busy: boolean; onCancel: () => void; testId: string }) {
  const { t } = useI18n();
  return (
    <div class="actions-row">
      <button type="submit" class="btn btn--primary" disabled={busy} data-testid={testId}>
        {busy ? t('form.submitting') : t('form.file_request')}
      </button>
      <button type="button" class="btn btn--ghost" onClick={onCancel}>
        {t('form.cancel')}
      </button>
    </div>
  );
}

function Failure({ text }: { text: string | null }) {
  return text ? (
    <div class="notice notice--error" role="alert" data-testid="form-error">
      <p>{text}</p>
    </div>
  ) : null;
}

const EDITABLE = HOUSEHOLD_FIELDS.filter((d) => !d.system && d.name !== 'latent_log_consumption');

function EditHousehold({ household: h, onDone, onCancel }: ActionProps) {
  const { t } = useI18n();
  const initial = useMemo(() => toFormValues(EDITABLE, h), [h]);
  const [values, setValues] = useState<FormValues>(initial);
  const { busy, errors, failure, setFailure, submit } = useSubmit('update_household', 'changes.', onDone);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const changes: Record<string, unknown> = {};
    for (const d of EDITABLE) {
      if ((values[d.name] ?? '') === (initial[d.name] ?? '')) continue;
      const v = toApiValue(d, values[d.name]);
      changes[d.name] = v === undefined ? null : v;
    }
    if (Object.keys(changes).length === 0) {
      setFailure(t('form.no_changes'));
      return;
    }
    void submit({ household_id: h.id, changes });
  };
  return (
    <form class="card form action-form" noValidate onSubmit={onSubmit} data-testid="edit-household-form">
      <h3 class="section__title">{t('household.action.edit')}</h3>
      {HOUSEHOLD_GROUPS.filter((g) => g.id !== 'status').map((g) => {
        const defs = g.fields.filter((d) => EDITABLE.includes(d));
        if (defs.length === 0) return null;
        return (
          <fieldset key={g.id} class="form-fieldset">
            <legend class="form-fieldset__legend">{t(`group.${g.id}` as 'group.location')}</legend>
            <div class="form-grid">
              {defs.map((d) => (
                <FieldInput
                  key={d.name}
                  def={d}
                  idPrefix="edit"
                  value={values[d.name] ?? ''}
                  error={errors[d.name]}
                  noEmpty={d.name === 'urban'}
                  onChange={(v) => setValues({ ...values, [d.name]: v })}
                />
              ))}
            </div>
          </fieldset>
        );
      })}
      <Failure text={failure} />
      <FormButtons busy={busy} onCancel={onCancel} testId="submit-edit" />
    </form>
  );
}

function AddMember({ household: h, onDone, onCancel }: ActionProps) {
  const [values, setValues] = useState<FormValues>(emptyPerson('child'));
  const { busy, errors, failure, submit } = useSubmit('add_member', 'person.', onDone);
  const { t } = useI18n();
  return (
    <form
      class="card form action-form"
      noValidate
      data-testid="add-member-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit({ household_id: h.id, person: toPayload(PERSON_FIELDS, values) });
      }}
    >
      <h3 class="section__title">{t('household.action.add')}</h3>
      <PersonForm idPrefix="add" values={values} errors={errors} onChange={(n, v) => setValues({ ...values, [n]: v })} />
      <Failure text={failure} />
      <FormButtons busy={busy} onCancel={onCancel} testId="submit-add" />
    </form>
  );
}

function memberLabel(m: Person, lang: 'ar' | 'fr' | 'en', t: ReturnType<typeof useI18n>['t']): string {
  return `${displayName(m, lang) || m.record_id} (${t(vocabKey('relationship', m.relationship))})`;
}

function RemoveMember({ household: h, onDone, onCancel }: ActionProps) {
  const { t, lang } = useI18n();
  const candidates = h.members.filter((m) => m.status === 'active' && m.relationship !== 'head');
  const [person, setPerson] = useState(candidates[0]?.id ? String(candidates[0].id) : '');
  const [reason, setReason] = useState('left_household');
  const { busy, errors, failure, submit } = useSubmit('remove_member', '', onDone);
  return (
    <form
      class="card form action-form"
      noValidate
      data-testid="remove-member-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit({ person_id: Number(person), reason });
      }}
    >
      <h3 class="section__title">{t('household.action.remove')}</h3>
      <p class="muted">{t('household.remove_hint')}</p>
      <div class="form-grid">
        <div class="field">
          <label class="field__label" for="remove-person">{t('household.member')}</label>
          <select id="remove-person" class="input" value={person} onChange={(e) => setPerson(e.currentTarget.value)} aria-invalid={errors['person_id'] ? 'true' : undefined}>
            {candidates.map((m) => (
              <option key={m.id} value={m.id}>{memberLabel(m, lang, t)}</option>
            ))}
          </select>
          {errors['person_id'] && <p class="field__error">{errors['person_id']}</p>}
        </div>
        <div class="field">
          <label class="field__label" for="remove-reason">{t('household.reason')}</label>
          <select id="remove-reason" class="input" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
            {VOCAB.remove_reason.map((r) => (
              <option key={r} value={r}>{t(vocabKey('exit_reason', r))}</option>
            ))}
          </select>
          {errors['reason'] && <p class="field__error">{errors['reason']}</p>}
        </div>
      </div>
      <Failure text={failure} />
      <FormButtons busy={busy || !person} onCancel={onCancel} testId="submit-remove" />
    </form>
  );
}

function ChangeHead({ household: h, onDone, onCancel }: ActionProps) {
  const { t, lang } = useI18n();
  const candidates = h.members.filter((m) => m.status === 'active' && m.relationship !== 'head');
  const [person, setPerson] = useState(candidates[0]?.id ? String(candidates[0].id) : '');
  const [previous, setPrevious] = useState('spouse');
  const { busy, errors, failure, submit } = useSubmit('change_head', '', onDone);
  return (
    <form
      class="card form action-form"
      noValidate
      data-testid="change-head-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit({ household_id: h.id, new_head_person_id: Number(person), previous_head_relationship: previous });
      }}
    >
      <h3 class="section__title">{t('household.action.head')}</h3>
      <div class="form-grid">
        <div class="field">
          <label class="field__label" for="head-person">{t('household.new_head')}</label>
          <select id="head-person" class="input" value={person} onChange={(e) => setPerson(e.currentTarget.value)}>
            {candidates.map((m) => (
              <option key={m.id} value={m.id}>{memberLabel(m, lang, t)}</option>
            ))}
          </select>
          {errors['new_head_person_id'] && <p class="field__error">{errors['new_head_person_id']}</p>}
        </div>
        <div class="field">
          <label class="field__label" for="head-previous">{t('household.previous_head_relationship')}</label>
          <select id="head-previous" class="input" value={previous} onChange={(e) => setPrevious(e.currentTarget.value)}>
            {VOCAB.relationship.filter((r) => r !== 'head').map((r) => (
              <option key={r} value={r}>{t(vocabKey('relationship', r))}</option>
            ))}
          </select>
          {errors['previous_head_relationship'] && <p class="field__error">{errors['previous_head_relationship']}</p>}
        </div>
      </div>
      <Failure text={failure} />
      <FormButtons busy={busy || !person} onCancel={onCancel} testId="submit-head" />
    </form>
  );
}

// ---------------------------------------------------------------------------------------------------
// Pending requests, history, benefits.

const TARGET_KEYS = ['household_id', 'to_household_id', 'merged_household_id'];
const PERSON_KEYS = ['person_id', 'duplicate_person_id', 'new_head_person_id'];

/** Pending requests touching the household or one of its members. The list has no payloads, so the
 *  requests of the household's commune are read one by one (at most 30). */
function PendingRequests({ household: h, user, refresh, onChanged }: { household: Household; user: User; refresh: number; onChanged: () => void }) {
  const { t, date } = useI18n();
  const [items, setItems] = useState<ChangeRequest[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  void onChanged;
  useEffect(() => {
    const ctrl = new AbortController();
    const memberIds = new Set(h.members.map((m) => m.id));
    setError(null);
    registry
      .changeRequests({ status: 'pending', limit: 200 }, ctrl.signal)
      .then(async (page) => {
        const candidates = page.items.filter((c) => !c.area_code || c.area_code === h.commune_code || h.commune_code.startsWith(`${c.area_code}.`)).slice(0, 30);
        const details = await Promise.all(candidates.map((c) => registry.changeRequest(c.id, ctrl.signal).catch(() => null)));
        const touching = details.filter((d): d is ChangeRequest => {
          const p = d?.payload;
          if (!p) return false;
          return TARGET_KEYS.some((k) => p[k] === h.id) || PERSON_KEYS.some((k) => memberIds.has(p[k] as number));
        });
        if (!ctrl.signal.aborted) setItems(touching);
      })
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(e);
      });
    return () => ctrl.abort();
  }, [h.id, refresh]);
  const inbox = canApprove(user.roles);
  return (
    <section class="section" aria-labelledby="hh-pending" data-testid="pending-requests">
      <h2 class="section__title" id="hh-pending">
        {t('household.pending')}
      </h2>
      {error !== null && <ErrorNotice error={error} />}
      {items === null && error === null && <Loading />}
      {items && items.length === 0 && <p class="muted">{t('household.no_pending')}</p>}
      {items && items.length > 0 && (
        <ul class="pending-list">
          {items.map((c) => (
            <li key={c.id} class="pending-list__item" data-testid="pending-item">
              <span class="badge badge--pending">{t(`cr.kind.${c.kind}` as 'cr.kind.update_household')}</span>{' '}
              {inbox ? <a href={href('/change-requests', { id: String(c.id) })}>#{c.id}</a> : <span>#{c.id}</span>} {c.summary}{' '}
              <span class="muted">
                · {c.author} · {date(c.created_at)}
              </span>
              {c.conflicts_with.length > 0 && <span class="badge badge--conflict"> {t('cr.conflicts')}</span>}
            </li>
          ))}
        </ul>
      )}
      {inbox && (
        <p>
          <a href={href('/change-requests')}>{t('household.open_inbox')}</a>
        </p>
      )}
    </section>
  );
}

function HistorySection({ id }: { id: number }) {
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

function BenefitsSection({ id, members }: { id: number; members: Person[] }) {
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
