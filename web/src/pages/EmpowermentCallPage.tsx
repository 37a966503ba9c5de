import { useEffect, useState } from 'preact/hooks';
import { empowermentFundingApi } from '../api';
import type { EmpCallPage } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href } from '../router';
import { callName, money } from './EmpowermentCallsPage';

// #/funding-calls/{id}: a call's budget (envelope, committed, paid, remaining), the applications of
// the reader's area by stage, the trial allocation of what remains over the shortlisted ones, and the
// committee's decisions. The reads are audited on the server (applications are personal records).

const DECIDED = ['approved', 'rejected', 'deferred', 'agreement_signed', 'funded', 'monitoring', 'completed'];

export function EmpowermentCallPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [call, setCall] = useState<EmpCallPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setError(null);
    empowermentFundingApi.call(id).then(setCall).catch(setError);
  };
  useEffect(load, [id]);
  if (error) return <ErrorNotice error={error} onRetry={load} />;
  if (!call) return <Loading />;
  const m = (minor: number) => money(i18n, minor, call.currency);
  const decided = call.applications_list.filter((a) => DECIDED.includes(a.state));
  return (
    <section class="card" data-testid="empf-call">
      <h1 dir="auto">
        <bdi>{call.code}</bdi> — {callName(i18n, call)}
      </h1>
      <p>
        <bdi>{call.region_code}</bdi> · {i18n.date(call.opens_at)} → {i18n.date(call.closes_at)}
      </p>
      <dl class="empf-budget" data-testid="empf-budget">
        <div>
          <dt>{t('empf.envelope')}</dt>
          <dd>{m(call.envelope_minor)}</dd>
        </div>
        <div>
          <dt>{t('empf.committed')}</dt>
          <dd data-testid="empf-committed">{m(call.committed_minor)}</dd>
        </div>
        <div>
          <dt>{t('empf.paid')}</dt>
          <dd>{m(call.paid_minor)}</dd>
        </div>
        <div>
          <dt>{t('empf.remaining')}</dt>
          <dd data-testid="empf-remaining">{m(call.remaining_minor)}</dd>
        </div>
      </dl>
      <p>
        <a class="btn btn--secondary" href={href(`/funding-calls/${call.id}/committee`)} data-testid="empf-open-session">
          {t('empf.open_session')}
        </a>
      </p>

      <h2>{t('empf.by_state')}</h2>
      <ul class="empf-stages">
        {Object.entries(call.by_state).map(([state, n]) => (
          <li key={state}>
            {t(`empf.state.${state}` as MessageKey)}: <strong>{i18n.num(n)}</strong>
          </li>
        ))}
      </ul>

      <h2>{t('empf.applications')}</h2>
      <table class="table" data-testid="empf-applications">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('empf.registration')}</th>
            <th>{t('empf.state')}</th>
            <th>{t('empf.requested')}</th>
            <th>{t('empf.score')}</th>
            <th>{t('empf.submitted_at')}</th>
          </tr>
        </thead>
        <tbody>
          {call.applications_list.map((a) => (
            <tr key={a.id}>
              <td>
                <a href={href(`/funding-calls/applications/${a.id}`)}>{i18n.num(a.id)}</a>
              </td>
              <td>
                <a href={href(`/empowerment/${a.registration_id}`)}>{i18n.num(a.registration_id)}</a>
              </td>
              <td>{t(`empf.state.${a.state}` as MessageKey)}</td>
              <td class="num">{m(a.requested_minor)}</td>
              <td class="num">{a.score === null ? '—' : i18n.num(a.score, { maximumFractionDigits: 1 })}</td>
              <td>{a.submitted_at ? i18n.date(a.submitted_at) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <TrialAllocation call={call} />

      <h2>{t('empf.decision')}</h2>
      <table class="table" data-testid="empf-decisions">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('empf.state')}</th>
            <th>{t('empf.approved')}</th>
            <th>{t('empf.decided_by')}</th>
          </tr>
        </thead>
        <tbody>
          {decided.map((a) => (
            <tr key={a.id}>
              <td>
                <a href={href(`/funding-calls/applications/${a.id}`)}>{i18n.num(a.id)}</a>
              </td>
              <td>{t(`empf.state.${a.state}` as MessageKey)}</td>
              <td class="num">{a.approved_minor === null ? '—' : m(a.approved_minor)}</td>
              <td>
                <bdi>{a.decided_by ?? '—'}</bdi>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The trial allocation the committee looks at: nothing is written. */
export function TrialAllocation({ call }: { call: EmpCallPage }) {
  const i18n = useI18n();
  const { t } = i18n;
  const m = (minor: number) => money(i18n, minor, call.currency);
  const byId = new Map(call.applications_list.map((a) => [a.id, a]));
  return (
    <>
      <h2>{t('empf.trial')}</h2>
      <p class="muted">{t('empf.trial_hint')}</p>
      <table class="table" data-testid="empf-trial">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('empf.score')}</th>
            <th>{t('empf.requested')}</th>
            <th>{t('empf.decision')}</th>
          </tr>
        </thead>
        <tbody>
          {call.trial_allocation.funded.map((f) => (
            <tr key={f.id} class="empf-funded">
              <td>
                <a href={href(`/funding-calls/applications/${f.id}`)}>{i18n.num(f.id)}</a>
              </td>
              <td class="num">{i18n.num(byId.get(f.id)?.score ?? 0, { maximumFractionDigits: 1 })}</td>
              <td class="num">{m(f.amount_minor)}</td>
              <td>{t('empf.funded')}</td>
            </tr>
          ))}
          {call.trial_allocation.unfunded.map((id) => (
            <tr key={id} class="empf-unfunded">
              <td>
                <a href={href(`/funding-calls/applications/${id}`)}>{i18n.num(id)}</a>
              </td>
              <td class="num">{i18n.num(byId.get(id)?.score ?? 0, { maximumFractionDigits: 1 })}</td>
              <td class="num">{m(byId.get(id)?.requested_minor ?? 0)}</td>
              <td>{t('empf.unfunded')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {t('empf.remaining')}: {m(call.trial_allocation.remaining_minor)}
      </p>
    </>
  );
}
