import { useEffect, useState } from 'preact/hooks';
import { microcreditApi } from '../api';
import type { McPreStatus, PublicCommune } from '../api';
import { Brand } from '../components/Brand';
import { ErrorNotice } from '../components/ErrorNotice';
import { usePublicSubmit } from '../components/usePublicSubmit';
import type { SubmitProblem } from '../components/usePublicSubmit';
import { LangSwitch } from '../components/LangSwitch';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';
import { CommunePicker } from './ReportPage';

// The citizen's public micro-credit pages, without an account and mobile first (docs/microcredit.md
// "Pre-registration"):
//   #/microcredit/apply          the pre-registration form (POST /api/v1/public/microcredit/pre-registrations);
//   #/microcredit/apply/status   the status by tracking code (GET …/pre-registrations/{code}).
// The server checks everything, names every invalid field in the page's language and computes the
// eligibility preview shown as reasons.

const EDUCATIONS = ['none', 'primary', 'lower_secondary', 'upper_secondary', 'higher'] as const;
const PRODUCTS = ['PNR', 'TRIANGULAR'] as const;

type Values = Record<string, string>;
type Problem = SubmitProblem;
const useSubmit = () => usePublicSubmit();

function Field(props: { name: string; label: MessageKey; errors: Record<string, string>; children: preact.ComponentChildren; hint?: string }) {
  const { t } = useI18n();
  const error = props.errors[props.name];
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label class="field__label" for={`mca-${props.name}`}>
        {t(props.label)}
      </label>
      {props.children}
      {props.hint && <p class="field__hint">{props.hint}</p>}
      {error && (
        <p class="field__error" dir="auto" data-testid={`mca-error-${props.name}`}>
          {error}
        </p>
      )}
    </div>
  );
}

function ProblemNotice({ problem }: { problem: Problem | null }) {
  const i18n = useI18n();
  if (!problem) return null;
  if (problem.kind === 'fields')
    return (
      <div class="notice notice--error" role="alert" data-testid="mca-error">
        {i18n.t('mca.fix_fields')}
      </div>
    );
  if (problem.kind === 'throttled')
    return (
      <div class="notice notice--warning" role="alert" data-testid="mca-error">
        {i18n.t('mca.throttled', { delay: i18n.duration(problem.seconds) })}
      </div>
    );
  return <ErrorNotice error={problem.error} />;
}

/** The eligibility preview: reasons rendered by the server in the page's language. */
function Preview({ status }: { status: McPreStatus }) {
  const { t } = useI18n();
  if (status.eligible_on_preview) {
    return (
      <p class="notice notice--success" data-testid="mca-preview-ok">
        {t('mca.preview_ok')}
      </p>
    );
  }
  return (
    <div class="notice notice--warning" data-testid="mca-preview">
      <p>{t('mca.preview_reasons')}</p>
      <ul>
        {status.preview.map((r) => (
          <li key={r.code} dir="auto" data-testid="mca-preview-reason">
            {r.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ApplyForm() {
  const { t } = useI18n();
  const [values, setValues] = useState<Values>({ product: 'PNR' });
  const [commune, setCommune] = useState<PublicCommune | null>(null);
  const [done, setDone] = useState<(McPreStatus & { tracking_code: string }) | null>(null);
  const { busy, problem, run } = useSubmit();
  const set = (k: string, v: string) => setValues((old) => ({ ...old, [k]: v }));
  const errors = problem?.kind === 'fields' ? problem.errors : {};
  const text = (name: string, label: MessageKey, type = 'text', dir: 'auto' | 'ltr' | 'rtl' = 'auto') => (
    <Field name={name} label={label} errors={errors}>
      <input id={`mca-${name}`} class="input" type={type} dir={dir} value={values[name] ?? ''} data-testid={`mca-${name}`} onInput={(e) => set(name, e.currentTarget.value)} />
    </Field>
  );
  // An Algerian commune code is DZ-WWCC: its wilaya is DZ-WW.
  const wilaya = commune?.code.startsWith('DZ-') ? commune.code.slice(0, 5) : '';
  const submit = (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {
      birth_date: values.birth_date ?? '',
      national_id: (values.national_id ?? '').replace(/\s/g, ''),
      sex: values.sex ?? '',
      wilaya_code: wilaya,
      commune_code: commune?.code ?? '',
      phone: values.phone ?? '',
      product: values.product,
      project_idea: (values.project_idea ?? '').trim(),
    };
    // Left out when empty, so that the server says it is required rather than out of range.
    const cost = (values.estimated_cost ?? '').replace(/[\s,.]/g, '');
    if (cost) body.estimated_cost = /^\d+$/.test(cost) ? Number(cost) : cost;
    for (const k of ['given_name_ar', 'family_name_ar', 'given_name_lat', 'family_name_lat', 'education']) {
      if (values[k]?.trim()) body[k] = values[k].trim();
    }
    void run(async () => setDone(await microcreditApi.preRegister(body)));
  };
  if (done) {
    return (
      <div class="mca-done" data-testid="mca-registered">
        <p>{t('mca.registered')}</p>
        <p class="mca-code" dir="ltr" data-testid="mca-tracking-code">
          <bdi>{done.tracking_code}</bdi>
        </p>
        <p class="field__hint">{t('mca.code_hint')}</p>
        <Preview status={done} />
        <a class="btn" href={href('/microcredit/apply/status', { code: done.tracking_code })} data-testid="mca-follow">
          {t('mca.follow')}
        </a>
      </div>
    );
  }
  return (
    <form class="form mca-form" onSubmit={submit} noValidate data-testid="mca-form">
      <fieldset class="mca-group">
        <legend class="field__label">{t('mca.identity')}</legend>
        <p class="field__hint">{t('mca.names_hint')}</p>
        <div class="form-grid">
          {text('given_name_ar', 'mca.given_name_ar', 'text', 'rtl')}
          {text('family_name_ar', 'mca.family_name_ar', 'text', 'rtl')}
          {text('given_name_lat', 'mca.given_name_lat', 'text', 'ltr')}
          {text('family_name_lat', 'mca.family_name_lat', 'text', 'ltr')}
          {text('birth_date', 'mca.birth_date', 'date')}
          {text('national_id', 'mca.national_id', 'text', 'ltr')}
          {text('phone', 'mca.phone', 'tel', 'ltr')}
          <Field name="sex" label="mca.sex" errors={errors}>
            <select id="mca-sex" class="input" value={values.sex ?? ''} data-testid="mca-sex" onChange={(e) => set('sex', e.currentTarget.value)}>
              <option value="">{t('mca.choose')}</option>
              <option value="F">{t('mca.sex.F')}</option>
              <option value="M">{t('mca.sex.M')}</option>
            </select>
          </Field>
          <Field name="education" label="mca.education" errors={errors}>
            <select id="mca-education" class="input" value={values.education ?? ''} data-testid="mca-education" onChange={(e) => set('education', e.currentTarget.value)}>
              <option value="">{t('mca.choose')}</option>
              {EDUCATIONS.map((x) => (
                <option value={x} key={x}>
                  {t(`mca.education.${x}` as MessageKey)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <CommunePicker value={commune} onChange={setCommune} invalid={errors.commune_code ?? errors.wilaya_code} />
        {wilaya && (
          <p class="field__hint" data-testid="mca-wilaya">
            {t('mca.wilaya')}: <bdi>{wilaya}</bdi>
          </p>
        )}
      </fieldset>
      <fieldset class="mca-group">
        <legend class="field__label">{t('mca.project')}</legend>
        <div class="mca-products">
          {PRODUCTS.map((p) => (
            <label class="sim-check" key={p}>
              <input type="radio" name="product" value={p} checked={values.product === p} data-testid={`mca-product-${p}`} onChange={() => set('product', p)} />
              <span>
                {t(`mca.product.${p}` as MessageKey)}
                <span class="field__hint"> — {t(`mca.product_hint.${p}` as MessageKey)}</span>
              </span>
            </label>
          ))}
          {errors.product && <p class="field__error">{errors.product}</p>}
        </div>
        <Field name="project_idea" label="mca.project_idea" errors={errors}>
          <textarea id="mca-project_idea" class="input" dir="auto" rows={4} value={values.project_idea ?? ''} data-testid="mca-project_idea" onInput={(e) => set('project_idea', e.currentTarget.value)} />
        </Field>
        {text('estimated_cost', 'mca.estimated_cost', 'text', 'ltr')}
      </fieldset>
      <ProblemNotice problem={problem} />
      <button class="btn" type="submit" disabled={busy} data-testid="mca-submit">
        {busy ? t('mca.sending') : t('mca.submit')}
      </button>
    </form>
  );
}

function StatusView({ initialCode }: { initialCode: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [code, setCode] = useState(initialCode);
  const [status, setStatus] = useState<McPreStatus | null>(null);
  const { problem, run } = useSubmit();
  useEffect(() => {
    if (initialCode) void run(async () => setStatus(await microcreditApi.preStatus(initialCode)));
  }, [initialCode]);
  const show = (e: Event) => {
    e.preventDefault();
    navigate('/microcredit/apply/status', { code: code.trim() }, true);
  };
  return (
    <>
      <form class="form mca-code-form" onSubmit={show} noValidate>
        <Field name="tracking_code" label="mca.code" errors={{}}>
          <input id="mca-tracking_code" class="input" dir="ltr" value={code} data-testid="mca-code" onInput={(e) => setCode(e.currentTarget.value)} />
        </Field>
        <button class="btn" type="submit" data-testid="mca-show">
          {t('mca.show')}
        </button>
      </form>
      {status && (
        <div class="mca-status" data-testid="mca-status">
          <p>
            {t('mca.status')}: <strong data-testid="mca-status-value">{i18n.t(`mca.status.${status.status}` as MessageKey)}</strong>
          </p>
          <p>
            {t('mca.registered_on')}: {i18n.date(status.created_at)} · {t(`mca.product.${status.product}` as MessageKey)} ·{' '}
            <bdi>{i18n.num(status.estimated_cost)}</bdi> {t('mca.dinars')}
          </p>
          <Preview status={status} />
          <h2>{t('mca.notes')}</h2>
          {status.public_notes.length === 0 ? (
            <p>{t('mca.no_notes')}</p>
          ) : (
            <ul data-testid="mca-notes">
              {status.public_notes.map((n, i) => (
                <li key={i} dir="auto">
                  {n.body}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ProblemNotice problem={problem} />
    </>
  );
}

export function MicrocreditApplyPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const onStatus = route.path === '/microcredit/apply/status';
  return (
    <div class="login-page mca-page">
      <div class="login-page__lang">
        <LangSwitch />
      </div>
      <main class="login-card mca-card" id="main" data-testid="microcredit-apply-page">
        <Brand size="large" />
        <h1 class="login-card__title">{onStatus ? t('mca.status_title') : t('mca.title')}</h1>
        {!onStatus && <p class="login-card__intro">{t('mca.intro')}</p>}
        <nav class="emp-tabs">
          <a href={href('/microcredit/apply')} aria-current={onStatus ? undefined : 'page'}>
            {t('mca.new')}
          </a>
          <a href={href('/microcredit/apply/status')} aria-current={onStatus ? 'page' : undefined} data-testid="mca-tab-status">
            {t('mca.follow')}
          </a>
        </nav>
        {onStatus ? <StatusView key={route.params.get('code') ?? ''} initialCode={route.params.get('code') ?? ''} /> : <ApplyForm />}
      </main>
    </div>
  );
}
