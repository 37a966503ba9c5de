import { useEffect, useState } from 'preact/hooks';
import { empowermentFundingApi } from '../api';
import type { EmpMine } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { callName, money } from './EmpowermentCallsPage';

// On her status page (#/women/status, by tracking code, no account): the stage of each of her funding
// applications with the public note of the staff (never scores, reviewers or minutes), and the calls open
// in her region with a form to draft an application and submit it before the call closes.

export function EmpowermentApplyPanel({ code }: { code: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [mine, setMine] = useState<EmpMine | null>(null);
  const [callCode, setCallCode] = useState('');
  const [amount, setAmount] = useState('');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const load = () => {
    empowermentFundingApi.mine(code).then(setMine).catch(setError);
  };
  useEffect(load, [code]);
  const run = (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    work()
      .then(load)
      .catch(setError)
      .finally(() => setBusy(false));
  };
  const apply = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const draft = await empowermentFundingApi.apply(code, {
        call_code: callCode || mine?.open_calls[0]?.code || '',
        requested_minor: Math.round(Number(amount) * 100),
        summary,
      });
      await empowermentFundingApi.submit(code, draft.id);
    });
  };
  if (!mine) return error ? <ErrorNotice error={error} /> : null;
  const applied = new Set(mine.applications.map((a) => a.call.code));
  const open = mine.open_calls.filter((c) => !applied.has(c.code));
  const chosen = open.find((c) => c.code === callCode) ?? open[0];
  return (
    <div class="empf-public" data-testid="empf-public">
      <h2>{t('empf.my_applications')}</h2>
      {mine.applications.length === 0 ? (
        <p>{t('empf.no_applications')}</p>
      ) : (
        <ul class="empf-mine">
          {mine.applications.map((a) => (
            <li key={a.id} data-testid="empf-mine">
              <strong dir="auto">{callName(i18n, a.call)}</strong>
              <p>
                {t('empf.state')}: <strong data-testid="empf-mine-state">{t(`empf.state.${a.state}` as MessageKey)}</strong>
              </p>
              <p>
                {t('empf.requested')}: {money(i18n, a.requested_minor, a.call.currency)}
                {a.approved_minor !== null && (
                  <>
                    {' '}
                    · {t('empf.approved')}: <span data-testid="empf-mine-approved">{money(i18n, a.approved_minor, a.call.currency)}</span>
                  </>
                )}
              </p>
              {a.tranches > 0 && <p data-testid="empf-mine-tranches">{t('empf.tranches_paid', { paid: i18n.num(a.tranches_paid), total: i18n.num(a.tranches) })}</p>}
              {a.reasons.length > 0 && (
                <ul>
                  {a.reasons.map((r) => (
                    <li key={r}>{t(r as MessageKey, a.call.requires_training ? { topic: t(`emt.topic.${a.call.requires_training}` as MessageKey) } : undefined)}</li>
                  ))}
                </ul>
              )}
              {a.public_note && <p dir="auto">{a.public_note}</p>}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('empf.open_calls')}</h2>
      {open.length === 0 ? (
        <p>{t('empf.no_open_calls')}</p>
      ) : (
        <form class="form" onSubmit={apply} noValidate data-testid="empf-apply">
          <div class="field">
            <label class="field__label" for="empf-call">
              {t('empf.apply')}
            </label>
            <select id="empf-call" class="input" value={chosen?.code} onChange={(e) => setCallCode(e.currentTarget.value)} data-testid="empf-call-select">
              {open.map((c) => (
                <option key={c.code} value={c.code}>
                  {callName(i18n, c)} — {t('empf.closes', { date: i18n.date(c.closes_at) })}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label class="field__label" for="empf-amount">
              {t('empf.requested_units', { currency: chosen?.currency ?? '' })}
            </label>
            <input id="empf-amount" class="input" type="number" min={1} inputMode="numeric" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} data-testid="empf-amount" />
          </div>
          <div class="field">
            <label class="field__label" for="empf-summary">
              {t('empf.summary')}
            </label>
            <textarea id="empf-summary" class="input" rows={3} dir="auto" value={summary} onInput={(e) => setSummary(e.currentTarget.value)} data-testid="empf-summary" />
          </div>
          <button class="btn" type="submit" disabled={busy} data-testid="empf-apply-submit">
            {t('empf.submit_application')}
          </button>
        </form>
      )}
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
