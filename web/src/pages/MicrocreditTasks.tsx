import { useEffect, useState } from 'preact/hooks';
import { microcreditApi } from '../api';
import type { McTask } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href } from '../router';
import type { Route } from '../router';
import { money } from './CyclesPage';

// Collection tasks (docs/microcredit.md "Collection tasks"): the tasks of a loan on its page, with the
// form that adds one, and #/microcredit/tasks, the officer's list ("mine": assigned to me or to nobody,
// in my area) with each loan's days in arrears. A promise's kept/broken state comes from the server,
// computed from the repayments received.

const KINDS = ['field_visit', 'phone_call', 'promise_to_pay'] as const;

function CloseTask({ task, onDone }: { task: McTask; onDone: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      class="mca-actions"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        microcreditApi.closeTask(task.id, outcome).then(onDone, setError);
      }}
    >
      <input class="input" dir="auto" value={outcome} placeholder={t('mct.outcome')} aria-label={t('mct.outcome')} onInput={(e) => setOutcome(e.currentTarget.value)} required />
      <button class="btn" type="submit">
        {t('mct.close')}
      </button>
      {error !== null && <ErrorNotice error={error} />}
    </form>
  );
}

function TaskRows({ tasks, canManage, onChange, showLoan }: { tasks: McTask[]; canManage: boolean; onChange: () => void; showLoan: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <table class="table" data-testid="mct-list">
      <thead>
        <tr>
          {showLoan && <th>{t('mct.loan')}</th>}
          <th>{t('mct.kind')}</th>
          <th>{t('mct.due_on')}</th>
          <th>{t('mct.days')}</th>
          <th>{t('mct.assigned_to')}</th>
          <th>{t('mct.promise')}</th>
          <th>{t('mct.state')}</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((x) => (
          <tr key={x.id} data-testid="mct-row">
            {showLoan && (
              <td>
                <a href={href(`/microcredit/loans/${x.loan_id}`)}>{x.loan_id}</a> <bdi class="muted">{x.commune_code}</bdi>
              </td>
            )}
            <td>
              {t(`mct.kind.${x.kind}` as MessageKey)}
              {x.source === 'nightly' && <span class="muted"> · {t('mct.proposed')}</span>}
            </td>
            <td>{i18n.date(x.due_on)}</td>
            <td>{x.days_in_arrears}</td>
            <td>
              <bdi>{x.assigned_to ?? t('mct.nobody')}</bdi>
            </td>
            <td>
              {x.promise_state && (
                <span class={`badge mct-promise--${x.promise_state}`}>
                  {money(i18n, x.promised_amount_minor ?? 0, 'DZD')} · {i18n.date(x.promised_on ?? '')} · {t(`mct.promise.${x.promise_state}` as MessageKey)}
                </span>
              )}
            </td>
            <td>
              {x.state === 'open' && canManage ? (
                <CloseTask task={x} onDone={onChange} />
              ) : (
                <span dir="auto">
                  {t(`mct.state.${x.state}` as MessageKey)}
                  {x.outcome ? ` — ${x.outcome}` : ''}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LoanTasks({ loanId, canManage }: { loanId: number; canManage: boolean }) {
  const { t } = useI18n();
  const [tasks, setTasks] = useState<McTask[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [addError, setAddError] = useState<unknown>(null);
  const [form, setForm] = useState({ kind: 'phone_call', due_on: '', assigned_to: '', promised_amount: '', promised_on: '' });
  const load = () => microcreditApi.loanTasks(loanId).then((r) => setTasks(r.items), setError);
  useEffect(() => {
    void load();
  }, [loanId]);
  const field = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  const promise = form.kind === 'promise_to_pay';
  const add = (e: Event) => {
    e.preventDefault();
    setAddError(null);
    microcreditApi
      .addTask(loanId, {
        kind: form.kind,
        due_on: form.due_on,
        ...(form.assigned_to ? { assigned_to: form.assigned_to } : {}),
        ...(promise ? { promised_amount: Number(form.promised_amount), promised_on: form.promised_on } : {}),
      })
      .then(() => load(), setAddError);
  };
  return (
    <section class="card" data-testid="mct-loan">
      <h2>{t('mct.title')}</h2>
      {error !== null && <ErrorNotice error={error} />}
      {tasks && tasks.length === 0 && <p class="muted">{t('mct.none')}</p>}
      {tasks && tasks.length > 0 && <TaskRows tasks={tasks} canManage={canManage} onChange={() => void load()} showLoan={false} />}
      {canManage && (
        <form class="mc-form" onSubmit={add} data-testid="mct-new">
          <label>
            {t('mct.kind')}
            <select value={form.kind} onChange={field('kind')}>
              {KINDS.map((k) => (
                <option value={k} key={k}>
                  {t(`mct.kind.${k}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('mct.due_on')}
            <input type="date" value={form.due_on} onInput={field('due_on')} required />
          </label>
          <label>
            {t('mct.assigned_to')}
            <input value={form.assigned_to} onInput={field('assigned_to')} />
          </label>
          {promise && (
            <>
              <label>
                {t('mct.promised_amount')}
                <input inputMode="numeric" value={form.promised_amount} onInput={field('promised_amount')} required />
              </label>
              <label>
                {t('mct.promised_on')}
                <input type="date" value={form.promised_on} onInput={field('promised_on')} required />
              </label>
            </>
          )}
          <button class="btn btn--primary" type="submit">
            {t('mct.add')}
          </button>
          {addError !== null && <ErrorNotice error={addError} />}
        </form>
      )}
    </section>
  );
}

export function MicrocreditTasksPage({ route, canManage }: { route: Route; canManage: boolean }) {
  const { t } = useI18n();
  const assigned = route.params.get('assigned') ?? 'me';
  const state = route.params.get('state') ?? 'open';
  // The tasks of a filter no longer chosen are aborted, so they never replace those of the filter on
  // screen.
  const { data: tasks, error, reload } = useLoaded((signal) => microcreditApi.tasks({ assigned, state }, signal).then((p) => p.items), `${assigned}/${state}`);
  return (
    <section class="page mc" data-testid="mct-page">
      <header class="page__header">
        <h1>{t('mct.my_title')}</h1>
        <a class="btn" href={href('/microcredit')}>
          {t('mc.title')}
        </a>
      </header>
      <nav class="mc-filters">
        <a href={href('/microcredit/tasks', { assigned: 'me', state })} aria-current={assigned === 'me' ? 'page' : undefined}>
          {t('mct.mine')}
        </a>
        <a href={href('/microcredit/tasks', { assigned: 'all', state })} aria-current={assigned === 'all' ? 'page' : undefined}>
          {t('mct.all')}
        </a>
        <a href={href('/microcredit/tasks', { assigned, state: 'open' })} aria-current={state === 'open' ? 'page' : undefined}>
          {t('mct.state.open')}
        </a>
        <a href={href('/microcredit/tasks', { assigned, state: 'done' })} aria-current={state === 'done' ? 'page' : undefined}>
          {t('mct.state.done')}
        </a>
      </nav>
      {error !== null && <ErrorNotice error={error} />}
      {tasks && tasks.length === 0 && <p class="muted">{t('mct.none')}</p>}
      {tasks && tasks.length > 0 && <TaskRows tasks={tasks} canManage={canManage} onChange={reload} showLoan />}
    </section>
  );
}
