// The household's change requests: editing, adding or removing members, changing the head, and the
// requests pending for it (filed here, reviewed on the change-requests page).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { registry } from '../../api';
import type { ChangeRequest, Household, Person, User } from '../../api';
import { ErrorNotice, Loading, errorMessage, formFieldErrors } from '../ErrorNotice';
import { PersonForm, emptyPerson } from '../PersonForm';
import { FieldInput, toApiValue, toFormValues, toPayload } from '../RegistryFields';
import type { FieldErrors, FormValues } from '../RegistryFields';
import { useI18n } from '../../i18n';
import { HOUSEHOLD_FIELDS, HOUSEHOLD_GROUPS, PERSON_FIELDS, VOCAB, canApprove, displayName, vocabKey } from '../../registry';
import { href } from '../../router';
import { Warnings } from '../RequestOutcome';

type Action = 'edit' | 'add' | 'remove' | 'head';

export function HouseholdActions({ household: h, user, onFiled }: { household: Household; user: User; onFiled: () => void }) {
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
      const fields = formFieldErrors(t, err, prefix);
      if (Object.keys(fields).length > 0) {
        setErrors(fields);
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

function FailureNotice({ text }: { text: string | null }) {
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
      <FailureNotice text={failure} />
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
      <FailureNotice text={failure} />
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
      <FailureNotice text={failure} />
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
      <FailureNotice text={failure} />
      <FormButtons busy={busy || !person} onCancel={onCancel} testId="submit-head" />
    </form>
  );
}

// ---------------------------------------------------------------------------------------------------
// Pending requests, history, benefits.

/** Pending requests touching the household or one of its members, and pending imports that add members
 *  to it (the server filters by household). */
export function PendingRequests({ household: h, user, refresh, onChanged }: { household: Household; user: User; refresh: number; onChanged: () => void }) {
  const { t, date } = useI18n();
  const [items, setItems] = useState<ChangeRequest[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  void onChanged;
  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    registry
      .changeRequests({ status: 'pending', household_id: h.id, limit: 200 }, ctrl.signal)
      .then((page) => {
        if (!ctrl.signal.aborted) setItems(page.items);
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
            <li key={c.id} class="pending-list__item" data-testid="pending-item" data-kind={c.kind}>
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

