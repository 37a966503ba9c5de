import { useEffect, useState } from 'preact/hooks';
import { empowermentFundingApi } from '../api';
import type { EmpApplication, EmpCallPage } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href } from '../router';
import { TrialAllocation } from './EmpowermentCallPage';
import { callName, money } from './EmpowermentCallsPage';

// #/funding-calls/{id}/committee: the committee session of a call (empowerment.committee). The trial
// allocation first; then, for each shortlisted application, one member proposes a decision with its
// minutes (approved with an amount, rejected, deferred) and ANOTHER confirms it (four eyes, checked on
// the server, as the envelope is).

function Decision({ app, currency, canDecide, onDone }: { app: EmpApplication; currency: string; canDecide: boolean; onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [decision, setDecision] = useState('approved');
  const [amount, setAmount] = useState(String(app.requested_minor / 100));
  const [minutes, setMinutes] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const act = (step: string, body: Record<string, unknown>) => {
    setError(null);
    empowermentFundingApi.step(app.id, step, body).then(onDone).catch(setError);
  };
  const propose = (e: Event) => {
    e.preventDefault();
    act('decision', {
      decision,
      minutes,
      ...(decision === 'approved' ? { amount_minor: Math.round(Number(amount) * 100) } : {}),
      ...(reason ? { reason } : {}),
      ...(note ? { public_note: note } : {}),
    });
  };
  return (
    <li class="empf-decision" data-testid="empf-session-app">
      <p>
        <a href={href(`/funding-calls/applications/${app.id}`)}>#{i18n.num(app.id)}</a> · {t('empf.score')}{' '}
        {app.score === null ? '—' : i18n.num(app.score, { maximumFractionDigits: 1 })} · {t('empf.requested')} {money(i18n, app.requested_minor, currency)}
      </p>
      {app.proposed_decision ? (
        <div class="notice">
          {t('empf.proposed')}: <strong>{t(`empf.state.${app.proposed_decision}` as MessageKey)}</strong>
          {app.proposed_amount_minor !== null && <> · {money(i18n, app.proposed_amount_minor, currency)}</>} · {t('empf.proposed_by')} <bdi>{app.proposed_by}</bdi>
          {canDecide && (
            <button class="btn" type="button" onClick={() => act('decision/confirm', {})} data-testid="empf-confirm">
              {t('empf.confirm')}
            </button>
          )}
        </div>
      ) : (
        canDecide && (
          <form class="form empf-inline" onSubmit={propose} noValidate>
            <select class="input" value={decision} onChange={(e) => setDecision(e.currentTarget.value)} data-testid="empf-decision">
              {['approved', 'rejected', 'deferred'].map((d) => (
                <option key={d} value={d}>
                  {t(`empf.state.${d}` as MessageKey)}
                </option>
              ))}
            </select>
            {decision === 'approved' && (
              <input class="input" type="number" aria-label={t('empf.amount')} value={amount} onInput={(e) => setAmount(e.currentTarget.value)} data-testid="empf-amount" />
            )}
            {decision !== 'approved' && <input class="input" aria-label={t('empf.reason')} placeholder={t('empf.reason')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
            <textarea class="input" aria-label={t('empf.minutes')} placeholder={t('empf.minutes')} value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} data-testid="empf-minutes" />
            {/* What she reads on her status page (the minutes never reach it). */}
            <input class="input" dir="auto" aria-label={t('empf.public_note')} placeholder={t('empf.public_note')} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="empf-decision-note" />
            <button class="btn" type="submit" data-testid="empf-propose">
              {t('empf.propose')}
            </button>
          </form>
        )
      )}
      {error ? <ErrorNotice error={error} /> : null}
    </li>
  );
}

export function EmpowermentCommitteePage({ id, canDecide }: { id: string; canDecide: boolean }) {
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
  const session = call.applications_list.filter((a) => a.state === 'shortlisted' || a.state === 'deferred');
  return (
    <section class="card" data-testid="empf-committee">
      <p>
        <a href={href(`/funding-calls/${call.id}`)}>{t('empf.back_to_call')}</a>
      </p>
      <h1 dir="auto">
        {t('empf.committee')} — <bdi>{call.code}</bdi> {callName(i18n, call)}
      </h1>
      <p>
        {t('empf.remaining')}: <strong>{money(i18n, call.remaining_minor, call.currency)}</strong>
      </p>
      <TrialAllocation call={call} />
      <ul class="empf-session">
        {session.map((a) => (
          <Decision key={`${a.id}-${a.version}`} app={a} currency={call.currency} canDecide={canDecide} onDone={load} />
        ))}
      </ul>
    </section>
  );
}
