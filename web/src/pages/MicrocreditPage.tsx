import { useEffect, useState } from 'preact/hooks';
import { microcreditApi } from '../api';
import type { McApplication } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';
import { money } from './CyclesPage';

// #/microcredit: the applications board (docs/microcredit.md) with the form an officer enters an
// application with; #/microcredit/applications/ID: the committee session page of one application
// (training, members' scores, the decision with its minutes, disbursement). Eligibility reasons come
// rendered by the server in the page's language.

const STATES = ['submitted', 'waiting_quota', 'ineligible', 'approved', 'rejected', 'disbursed'] as const;

function StateBadge({ state }: { state: McApplication['state'] }) {
  const { t } = useI18n();
  return (
    <span class={`badge mc-state mc-state--${state}`} data-state={state}>
      {t(`mc.state.${state}` as MessageKey)}
    </span>
  );
}

function NewApplication({ onCreated }: { onCreated: (a: McApplication) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ person_id: '', amount: '', applied_on: '', activity: '', product: 'PNR', training: true });
  const [error, setError] = useState<unknown>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    microcreditApi
      .apply({
        person_id: Number(form.person_id),
        product: form.product,
        amount: Number(form.amount),
        applied_on: form.applied_on,
        activity: form.activity,
        training_required: form.training,
      })
      .then(onCreated, setError);
  };
  const field = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  return (
    <form class="card mc-form" onSubmit={submit} data-testid="mc-new">
      <h2>{t('mc.new')}</h2>
      <label>
        {t('mc.person')}
        <input inputMode="numeric" value={form.person_id} onInput={field('person_id')} required />
      </label>
      <label>
        {t('mc.product')}
        <select value={form.product} onChange={field('product')}>
          <option value="PNR">{t('mc.product.PNR')}</option>
          <option value="TRIANGULAR">{t('mc.product.TRIANGULAR')}</option>
        </select>
      </label>
      <label>
        {t('mc.amount')}
        <input inputMode="numeric" value={form.amount} onInput={field('amount')} required />
      </label>
      <label>
        {t('mc.applied_on')}
        <input type="date" value={form.applied_on} onInput={field('applied_on')} required />
      </label>
      <label>
        {t('mc.activity')}
        <input value={form.activity} onInput={field('activity')} required />
      </label>
      <label class="mc-check">
        <input type="checkbox" checked={form.training} onChange={(e) => setForm({ ...form, training: (e.target as HTMLInputElement).checked })} />
        {t('mc.training_required')}
      </label>
      <button class="btn btn--primary" type="submit">
        {t('mc.submit')}
      </button>
      {error !== null && <ErrorNotice error={error} />}
    </form>
  );
}

export function MicrocreditBoard({ route, canEnter }: { route: Route; canEnter: boolean }) {
  const i18n = useI18n();
  const { t, date } = i18n;
  const state = route.params.get('state') ?? '';
  // The applications of a state no longer chosen are aborted, so they never replace those of the state
  // on screen.
  const { data: items, error, reload } = useLoaded((signal) => microcreditApi.applications(state || undefined, signal).then((p) => p.items), state);
  return (
    <section class="page mc" data-testid="mc-board">
      <header class="page__header">
        <h1>{t('mc.title')}</h1>
        <a class="btn" href={href('/microcredit/tasks')} data-testid="mc-tasks">
          {t('mct.my_title')}
        </a>
        <a class="btn" href={href('/microcredit/pre-registrations')} data-testid="mc-pre-registrations">
          {t('mcp.title')}
        </a>
        <a class="btn" href={href('/microcredit/portfolio')}>
          {t('mc.portfolio')}
        </a>
      </header>
      <nav class="mc-filters" aria-label={t('mc.state')}>
        <a href={href('/microcredit')} aria-current={state === '' ? 'page' : undefined}>
          {t('mc.all')}
        </a>
        {STATES.map((s) => (
          <a key={s} href={href('/microcredit', { state: s })} aria-current={state === s ? 'page' : undefined}>
            {t(`mc.state.${s}` as MessageKey)}
          </a>
        ))}
      </nav>
      {canEnter && <NewApplication onCreated={reload} />}
      {error !== null && <ErrorNotice error={error} />}
      {items && items.length === 0 && <p class="muted">{t('mc.none')}</p>}
      {items && items.length > 0 && (
        <table class="table" data-testid="mc-applications">
          <thead>
            <tr>
              <th>{t('mc.number')}</th>
              <th>{t('mc.person')}</th>
              <th>{t('mc.product')}</th>
              <th>{t('mc.amount')}</th>
              <th>{t('mc.applied_on')}</th>
              <th>{t('mc.commune')}</th>
              <th>{t('mc.state')}</th>
              <th>{t('mc.reasons')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-id={a.id}>
                <td>
                  <a href={href(`/microcredit/applications/${a.id}`)}>{a.id}</a>
                </td>
                <td>{a.person_id}</td>
                <td>{t(`mc.product.${a.product}` as MessageKey)}</td>
                <td>{money(i18n, a.amount_minor, 'DZD')}</td>
                <td>{date(a.applied_on)}</td>
                <td>
                  <bdi>{a.commune_code}</bdi>
                </td>
                <td>
                  <StateBadge state={a.state} />
                </td>
                <td>{a.reasons.map((r) => r.text).join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function MicrocreditApplicationPage({ id, canManage, canDecide }: { id: number; canManage: boolean; canDecide: boolean }) {
  const i18n = useI18n();
  const { t, date, num } = i18n;
  const [app, setApp] = useState<McApplication | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [score, setScore] = useState('');
  const [comment, setComment] = useState('');
  const [minutes, setMinutes] = useState('');
  const [disbursedOn, setDisbursedOn] = useState('');
  const load = () => microcreditApi.application(id).then(setApp, setError);
  useEffect(() => {
    void load();
  }, [id]);
  const act = (p: Promise<unknown>) => {
    setActionError(null);
    p.then(() => load(), setActionError);
  };
  if (error) return <ErrorNotice error={error} />;
  if (!app) return <p class="muted">{t('mc.loading')}</p>;
  const open = app.state === 'submitted';
  return (
    <section class="page mc" data-testid="mc-application">
      <header class="page__header">
        <h1>{t('mc.application', { id: String(app.id) })}</h1>
        <StateBadge state={app.state} />
      </header>
      <dl class="mc-facts card">
        <dt>{t('mc.person')}</dt>
        <dd>{app.person_id}</dd>
        <dt>{t('mc.product')}</dt>
        <dd>{t(`mc.product.${app.product}` as MessageKey)}</dd>
        <dt>{t('mc.amount')}</dt>
        <dd>{money(i18n, app.amount_minor, 'DZD')}</dd>
        <dt>{t('mc.activity')}</dt>
        <dd>{app.activity}</dd>
        <dt>{t('mc.applied_on')}</dt>
        <dd>{date(app.applied_on)}</dd>
        <dt>{t('mc.commune')}</dt>
        <dd>
          <bdi>{app.commune_code}</bdi>
        </dd>
        <dt>{t('mc.training')}</dt>
        <dd data-testid="mc-training">
          {app.training_required
            ? t(app.training_completed ? 'mc.training.done' : 'mc.training.pending', { n: num(app.training_sessions) })
            : t('mc.training.none')}
        </dd>
      </dl>
      {app.reasons.length > 0 && (
        <ul class="notice mc-reasons" data-testid="mc-reasons">
          {app.reasons.map((r, k) => (
            <li key={k} data-code={r.code}>
              {r.text}
            </li>
          ))}
        </ul>
      )}
      {canManage && open && app.training_required && !app.training_completed && (
        <button class="btn" data-testid="mc-training-done" onClick={() => act(microcreditApi.training(id, app.training_sessions + 1, true))}>
          {t('mc.training.mark_done')}
        </button>
      )}
      <section class="card" data-testid="mc-committee">
        <h2>{t('mc.committee')}</h2>
        <table class="table" data-testid="mc-scores">
          <thead>
            <tr>
              <th>{t('mc.member')}</th>
              <th>{t('mc.score')}</th>
              <th>{t('mc.comment')}</th>
            </tr>
          </thead>
          <tbody>
            {(app.scores ?? []).map((s) => (
              <tr key={s.member}>
                <td>
                  <bdi>{s.member}</bdi>
                </td>
                <td>{num(s.score)} / {num(20)}</td>
                <td>{s.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {canDecide && open && (
          <form
            class="mc-form"
            onSubmit={(e) => {
              e.preventDefault();
              act(microcreditApi.score(id, Number(score), comment));
            }}
          >
            <label>
              {t('mc.score')}
              <input type="number" min={0} max={20} value={score} onInput={(e) => setScore((e.target as HTMLInputElement).value)} required data-testid="mc-score-input" />
            </label>
            <label>
              {t('mc.comment')}
              <input value={comment} onInput={(e) => setComment((e.target as HTMLInputElement).value)} />
            </label>
            <button class="btn" type="submit" data-testid="mc-score-submit">
              {t('mc.score.submit')}
            </button>
          </form>
        )}
        {canDecide && open && (
          <form class="mc-form" onSubmit={(e) => e.preventDefault()}>
            <label class="mc-wide">
              {t('mc.minutes')}
              <textarea value={minutes} onInput={(e) => setMinutes((e.target as HTMLTextAreaElement).value)} data-testid="mc-minutes" />
            </label>
            <button class="btn btn--primary" type="button" data-testid="mc-approve" onClick={() => act(microcreditApi.decide(id, 'approve', minutes))}>
              {t('mc.approve')}
            </button>
            <button class="btn btn--danger" type="button" data-testid="mc-reject" onClick={() => act(microcreditApi.decide(id, 'reject', minutes))}>
              {t('mc.reject')}
            </button>
          </form>
        )}
        {app.decided_by && (
          <p data-testid="mc-decision">
            {t('mc.decided', { who: app.decided_by, when: date(app.decided_at ?? '') })} {app.decision_minutes}
          </p>
        )}
      </section>
      {canManage && app.state === 'approved' && (
        <form
          class="card mc-form"
          onSubmit={(e) => {
            e.preventDefault();
            act(microcreditApi.disburse(id, disbursedOn));
          }}
        >
          <label>
            {t('mc.disbursed_on')}
            <input type="date" value={disbursedOn} onInput={(e) => setDisbursedOn((e.target as HTMLInputElement).value)} required />
          </label>
          <button class="btn btn--primary" type="submit">
            {t('mc.disburse')}
          </button>
        </form>
      )}
      {(app.loan_ids ?? []).length > 0 && (
        <p>
          {(app.loan_ids ?? []).map((l) => (
            <a key={l} class="btn" href={href(`/microcredit/loans/${l}`)} onClick={() => navigate(`/microcredit/loans/${l}`)}>
              {t('mc.loan', { id: String(l) })}
            </a>
          ))}
        </p>
      )}
      {actionError !== null && <ErrorNotice error={actionError} />}
    </section>
  );
}
