import { useState } from 'preact/hooks';
import { ApiError, GRIEVANCE_CATEGORIES, grievancesApi } from '../api';
import type { GrievanceFiled, GrievanceInput, PublicCommune, PublicGrievance } from '../api';
import { Brand } from '../components/Brand';
import { ErrorNotice } from '../components/ErrorNotice';
import { LangSwitch } from '../components/LangSwitch';
import { useLookup } from '../components/listState';
import { hasText, useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';
import { CommunePicker } from './ReportPage';

// The public grievance pages, no account (docs/grievances.md): the form (#/grievance) answered with a
// tracking code shown once, and the status page by code (#/grievance/status?code=…) with the public
// resolution and, within 30 days of it, the appeal.

type Problem = { kind: 'fields'; errors: Record<string, string>; top: string | null } | { kind: 'throttled'; seconds: number } | { kind: 'other'; error: unknown };

/** A failed submission as field errors, a throttle, or another error (shared with the appeal form). */
function useProblem() {
  const { t, dir } = useI18n();
  const [problem, setProblem] = useState<Problem | null>(null);
  const message = (reason: string, params: Record<string, string>, fallback: string) => {
    if (!reason || !hasText(reason)) return fallback;
    const shown = { ...params };
    if (shown['value'] !== undefined && dir === 'rtl') shown['value'] = `\u2068${shown['value']}\u2069`;
    return t(reason as MessageKey, shown);
  };
  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 429) {
      setProblem({ kind: 'throttled', seconds: err.retryAfter ?? 60 });
    } else if (err instanceof ApiError && (err.status === 400 || err.status === 422)) {
      const found: Record<string, string> = {};
      const all = err.problems.length ? err.problems : [{ field: err.field, message: err.message, reason: err.reason ?? '', params: err.params }];
      let top: string | null = null;
      for (const p of all) {
        const text = message(p.reason, p.params, p.message);
        if (p.field) found[p.field] = text;
        else top = text;
      }
      setProblem({ kind: 'fields', errors: found, top });
    } else {
      setProblem({ kind: 'other', error: err });
    }
  };
  const notice = problem && (
    <div class="notice notice--error" role="alert" data-testid="gr-error">
      {problem.kind === 'throttled'
        ? t('gr.throttled', { seconds: problem.seconds })
        : problem.kind === 'fields'
          ? (problem.top ?? Object.values(problem.errors)[0] ?? t('gr.fix_fields'))
          : problem.error instanceof ApiError && problem.error.message
            ? problem.error.message
            : t('gr.fix_fields')}
    </div>
  );
  return { problem, setProblem, fail, notice, errors: problem?.kind === 'fields' ? problem.errors : {} };
}

function GrievanceForm({ onSent }: { onSent: (s: GrievanceFiled) => void }) {
  const { t } = useI18n();
  const [category, setCategory] = useState<string>('');
  const [commune, setCommune] = useState<PublicCommune | null>(null);
  const [v, setV] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const { setProblem, fail, notice, errors } = useProblem();
  const val = (k: string) => v[k] ?? '';

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const body: GrievanceInput = { category, description: val('description').trim(), commune_code: commune?.code ?? '' };
    for (const k of ['complainant_name', 'complainant_phone', 'national_id', 'household_ref', 'payment_reference'] as const) {
      if (val(k).trim()) body[k] = val(k).trim();
    }
    setBusy(true);
    setProblem(null);
    try {
      onSent(await grievancesApi.file(body));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  const text = (field: string, label: MessageKey, opts: { multiline?: boolean; type?: string; hint?: MessageKey } = {}) => (
    <div class={`field${errors[field] ? ' field--invalid' : ''}`}>
      <label for={`gr-${field}`}>{t(label)}</label>
      {opts.multiline ? (
        <textarea id={`gr-${field}`} rows={5} value={val(field)} onInput={(e) => setV({ ...v, [field]: (e.target as HTMLTextAreaElement).value })} data-testid={`gr-${field}`} />
      ) : (
        <input
          id={`gr-${field}`}
          type={opts.type ?? 'text'}
          value={val(field)}
          onInput={(e) => setV({ ...v, [field]: (e.target as HTMLInputElement).value })}
          data-testid={`gr-${field}`}
          dir={opts.type === 'tel' || field === 'national_id' || field.endsWith('_ref') || field.endsWith('_reference') ? 'ltr' : undefined}
        />
      )}
      {opts.hint && <p class="field__hint">{t(opts.hint)}</p>}
      {errors[field] && <p class="field__error">{errors[field]}</p>}
    </div>
  );

  return (
    <form onSubmit={submit} noValidate data-testid="gr-form">
      <div class={`field${errors['category'] ? ' field--invalid' : ''}`}>
        <label for="gr-category">{t('gr.category')}</label>
        <select id="gr-category" value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value)} data-testid="gr-category">
          <option value="">{t('gr.category_choose')}</option>
          {GRIEVANCE_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`gr.category.${c}` as MessageKey)}
            </option>
          ))}
        </select>
        {errors['category'] && <p class="field__error">{errors['category']}</p>}
      </div>
      <CommunePicker value={commune} onChange={setCommune} invalid={errors['commune_code']} />
      {text('description', 'gr.description', { multiline: true })}
      <fieldset class="gr-refs">
        <legend>{t('gr.references')}</legend>
        {text('national_id', 'gr.national_id')}
        {text('household_ref', 'gr.household_ref', { hint: 'gr.household_ref_hint' })}
        {text('payment_reference', 'gr.payment_reference')}
      </fieldset>
      <fieldset class="gr-refs">
        <legend>{t('gr.complainant')}</legend>
        {text('complainant_name', 'gr.complainant_name')}
        {text('complainant_phone', 'gr.complainant_phone', { type: 'tel' })}
      </fieldset>
      {notice}
      <button type="submit" class="btn btn--primary btn--block" disabled={busy} data-testid="gr-submit">
        {busy ? t('gr.submitting') : t('gr.submit')}
      </button>
    </form>
  );
}

function GrievanceFormPage() {
  const { t } = useI18n();
  const [sent, setSent] = useState<GrievanceFiled | null>(null);
  return (
    <>
      <h1>{t('gr.title')}</h1>
      <p>{t('gr.intro')}</p>
      {sent ? (
        <div class="es-sent" data-testid="gr-sent">
          <h2>{t('gr.sent_title')}</h2>
          <p>{t('gr.sent_code')}</p>
          <p class="es-code" dir="ltr" data-testid="gr-tracking-code">
            {sent.tracking_code}
          </p>
          <p>{t('gr.sent_keep')}</p>
          <p>
            <a class="btn btn--primary" href={href('/grievance/status', { code: sent.tracking_code })} data-testid="gr-follow">
              {t('gr.sent_follow')}
            </a>{' '}
            <button type="button" class="btn" onClick={() => setSent(null)}>
              {t('gr.new')}
            </button>
          </p>
        </div>
      ) : (
        <GrievanceForm onSent={setSent} />
      )}
      <p class="login-card__link">
        <a href="#/grievance/status">{t('gr.status_title')}</a>
      </p>
    </>
  );
}

function AppealForm({ code, onDone }: { code: string; onDone: (g: PublicGrievance) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const { setProblem, fail, notice, errors } = useProblem();
  return (
    <form
      class="gr-appeal"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setProblem(null);
        grievancesApi
          .appealByCode(code, reason.trim())
          .then(onDone, fail)
          .finally(() => setBusy(false));
      }}
    >
      <h2>{t('gr.appeal_title')}</h2>
      <div class={`field${errors['reason'] ? ' field--invalid' : ''}`}>
        <label for="gr-reason">{t('gr.appeal_reason')}</label>
        <textarea id="gr-reason" rows={4} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} data-testid="gr-appeal-reason" />
        {errors['reason'] && <p class="field__error">{errors['reason']}</p>}
      </div>
      {notice}
      <button type="submit" class="btn btn--primary" disabled={busy} data-testid="gr-appeal-submit">
        {t('gr.appeal_submit')}
      </button>
    </form>
  );
}

function GrievanceStatusPage({ route }: { route: Route }) {
  const { t, dateTime } = useI18n();
  const code = route.params.get('code') ?? '';
  const [typed, setTyped] = useState(code);
  // The answer for a code no longer asked about is aborted: when it came last, it was shown under the
  // code typed after it.
  const { data, setData, error } = useLookup(grievancesApi.status, code);
  const status = data === 'missing' ? null : data;
  const missing = data === 'missing';
  return (
    <>
      <h1>{t('gr.status_title')}</h1>
      <form
        class="es-lookup"
        onSubmit={(e) => {
          e.preventDefault();
          navigate('/grievance/status', { code: typed.trim() });
        }}
      >
        <div class="field">
          <label for="gr-code">{t('gr.status_code')}</label>
          <input id="gr-code" dir="ltr" value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} autocomplete="off" data-testid="gr-code" />
        </div>
        <button type="submit" class="btn btn--primary">
          {t('gr.status_show')}
        </button>
      </form>
      {missing && (
        <p class="notice notice--error" role="alert">
          {t('gr.status_not_found')}
        </p>
      )}
      {error !== null && <ErrorNotice error={error} />}
      {status && (
        <section class="es-status" data-testid="gr-status">
          <p class="es-status__service">{t(`gr.category.${status.category}` as MessageKey)}</p>
          <p class={`gr-badge gr-badge--${status.status}`} data-testid="gr-status-value">
            {t(`gr.status.${status.status}` as MessageKey)}
          </p>
          <dl class="es-dates">
            <dt>{t('gr.received_at')}</dt>
            <dd>{dateTime(status.received_at)}</dd>
            {status.due_at && (
              <>
                <dt>{t('gr.due_at')}</dt>
                <dd>{dateTime(status.due_at)}</dd>
              </>
            )}
          </dl>
          {status.resolution ? (
            <div class="gr-answer" data-testid="gr-resolution">
              <h2>{t('gr.resolution')}</h2>
              {status.outcome && <p class="badge">{t(`gr.outcome.${status.outcome}` as MessageKey)}</p>}
              <p dir="auto">{status.resolution}</p>
              {status.resolved_at && <p class="muted">{dateTime(status.resolved_at)}</p>}
            </div>
          ) : (
            <p class="muted">{t('gr.no_resolution_yet')}</p>
          )}
          {status.appealed_at && (
            <div class="gr-answer">
              <h2>{t('gr.appeal_title')}</h2>
              <p class="muted">{t('gr.appealed_at', { date: dateTime(status.appealed_at) })}</p>
              {status.appeal_decision && (
                <>
                  {status.appeal_outcome && <p class="badge">{t(`gr.outcome.${status.appeal_outcome}` as MessageKey)}</p>}
                  <p dir="auto" data-testid="gr-appeal-decision">{status.appeal_decision}</p>
                </>
              )}
            </div>
          )}
          {status.can_appeal && (
            <>
              {status.appeal_deadline && <p class="muted">{t('gr.appeal_until', { date: dateTime(status.appeal_deadline) })}</p>}
              <AppealForm code={code} onDone={setData} />
            </>
          )}
        </section>
      )}
      <p class="login-card__link">
        <a href="#/grievance">{t('gr.new')}</a>
      </p>
    </>
  );
}

export function GrievancePublicPage({ route }: { route: Route }) {
  return (
    <div class="login-page es-page gr-page">
      <div class="login-page__lang">
        <LangSwitch />
      </div>
      <main class="login-card es-card" id="main" data-testid={route.path === '/grievance' ? 'grievance-page' : 'grievance-status-page'}>
        <Brand size="large" />
        {route.path === '/grievance' ? <GrievanceFormPage /> : <GrievanceStatusPage route={route} />}
      </main>
    </div>
  );
}
