import { useEffect, useState } from 'preact/hooks';
import { empowermentApi } from '../api';
import type { EmpowermentStatus, PublicCommune } from '../api';
import { Brand } from '../components/Brand';
import { EmpowermentApplyPanel } from './EmpowermentApplyPanel';
import { CommunePicker } from './ReportPage';
import { ErrorNotice } from '../components/ErrorNotice';
import { usePublicSubmit } from '../components/usePublicSubmit';
import type { SubmitProblem } from '../components/usePublicSubmit';
import { LangSwitch } from '../components/LangSwitch';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';

// The public pages of the empowerment platform, without an account and mobile first:
//   #/women           a woman registers (POST /api/v1/public/empowerment/registrations) and gets her code;
//   #/women/status    she reads her file's status by code and completes her file (GET/PATCH by code).
// The server checks everything and names every invalid field in the page's language.

const KINDS = ['auto_entrepreneur', 'cooperative_member'] as const;
const SECTORS = ['agriculture', 'crafts', 'food', 'textile', 'services', 'digital', 'other'] as const;
const EDUCATIONS = ['none', 'literacy', 'primary', 'secondary', 'higher', 'vocational'] as const;
const SITUATIONS = ['widow', 'divorced', 'head_of_household', 'disability'] as const;

type Values = Record<string, string>;
type Problem = SubmitProblem;

// Problems of list fields ("situations[2]") show under the list.
const useSubmit = () => usePublicSubmit((f) => f.replace(/\[\d+\]$/, ''));

function Field(props: { name: string; label: MessageKey; errors: Record<string, string>; children: preact.ComponentChildren; hint?: string }) {
  const { t } = useI18n();
  const error = props.errors[props.name];
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label class="field__label" for={`emp-${props.name}`}>
        {t(props.label)}
      </label>
      {props.children}
      {props.hint && <p class="field__hint">{props.hint}</p>}
      {error && (
        <p class="field__error" dir="auto" data-testid={`emp-error-${props.name}`}>
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
      <div class="notice notice--error" role="alert" data-testid="emp-error">
        {i18n.t('emp.fix_fields')}
      </div>
    );
  if (problem.kind === 'throttled')
    return (
      <div class="notice notice--warning" role="alert" data-testid="emp-error">
        {i18n.t('emp.throttled', { delay: i18n.duration(problem.seconds) })}
      </div>
    );
  return <ErrorNotice error={problem.error} />;
}

/** The fields she can give later (education, situations, skills, project idea). */
function CompletionFields({ values, set, errors }: { values: Values; set: (k: string, v: string) => void; errors: Record<string, string> }) {
  const { t } = useI18n();
  const situations = (values.situations ?? '').split(',').filter(Boolean);
  const toggle = (s: string) => set('situations', (situations.includes(s) ? situations.filter((x) => x !== s) : [...situations, s]).join(','));
  return (
    <>
      <Field name="education" label="emp.education" errors={errors}>
        <select id="emp-education" class="input" value={values.education ?? ''} data-testid="emp-education" onChange={(e) => set('education', e.currentTarget.value)}>
          <option value="">{t('emp.choose')}</option>
          {EDUCATIONS.map((e) => (
            <option value={e} key={e}>
              {t(`emp.education.${e}` as MessageKey)}
            </option>
          ))}
        </select>
      </Field>
      <fieldset class="emp-situations">
        <legend class="field__label">{t('emp.situations')}</legend>
        {SITUATIONS.map((s) => (
          <label class="sim-check" key={s}>
            <input type="checkbox" checked={situations.includes(s)} data-testid={`emp-situation-${s}`} onChange={() => toggle(s)} />
            {t(`emp.situation.${s}` as MessageKey)}
          </label>
        ))}
        {errors.situations && <p class="field__error">{errors.situations}</p>}
      </fieldset>
      <Field name="skills" label="emp.skills" errors={errors}>
        <input id="emp-skills" class="input" dir="auto" value={values.skills ?? ''} data-testid="emp-skills" onInput={(e) => set('skills', e.currentTarget.value)} />
      </Field>
      <Field name="project_idea" label="emp.project_idea" errors={errors}>
        <textarea id="emp-project_idea" class="input" dir="auto" rows={4} value={values.project_idea ?? ''} data-testid="emp-project_idea" onInput={(e) => set('project_idea', e.currentTarget.value)} />
      </Field>
    </>
  );
}

function completionBody(values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (values.education) body.education = values.education;
  // Only when she touched them: a completion that does not show her stored situations keeps them.
  if (values.situations !== undefined) body.situations = values.situations.split(',').filter(Boolean);
  const skills = (values.skills ?? '').split(/[,،]/).map((s) => s.trim()).filter(Boolean);
  if (skills.length) body.skills = skills;
  if (values.project_idea?.trim()) body.project_idea = values.project_idea.trim();
  return body;
}

function RegisterForm() {
  const { t } = useI18n();
  const [values, setValues] = useState<Values>({ kind: 'auto_entrepreneur' });
  // Her commune chosen by name from the public list (GET /api/v1/public/communes, no account).
  const [commune, setCommune] = useState<PublicCommune | null>(null);
  const [code, setCode] = useState<string | null>(null);
  const { busy, problem, run } = useSubmit();
  const set = (k: string, v: string) => setValues((old) => ({ ...old, [k]: v }));
  const errors = problem?.kind === 'fields' ? problem.errors : {};
  const text = (name: string, label: MessageKey, type = 'text', hint?: string) => (
    <Field name={name} label={label} errors={errors} hint={hint}>
      <input id={`emp-${name}`} class="input" type={type} dir="auto" value={values[name] ?? ''} data-testid={`emp-${name}`} onInput={(e) => set(name, e.currentTarget.value)} />
    </Field>
  );
  const submit = (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {
      kind: values.kind,
      given_name: values.given_name ?? '',
      family_name: values.family_name ?? '',
      birth_date: values.birth_date ?? '',
      phone: values.phone ?? '',
      commune_code: (values.commune_code ?? '').trim(),
      ...completionBody(values),
    };
    if (values.national_id) body.national_id = values.national_id;
    if (values.kind === 'auto_entrepreneur' && values.ae_number) body.auto_entrepreneur_number = values.ae_number;
    if (values.kind === 'cooperative_member') {
      body.cooperative = { name: values.cooperative_name ?? '', registration_number: values.cooperative_number ?? '', ...(values.sector ? { sector: values.sector } : {}) };
    }
    void run(async () => {
      const r = await empowermentApi.register(body);
      setCode(r.tracking_code);
    });
  };
  if (code) {
    return (
      <div class="emp-done" data-testid="emp-registered">
        <p>{t('emp.registered')}</p>
        <p class="emp-code" dir="ltr" data-testid="emp-tracking-code">
          <bdi>{code}</bdi>
        </p>
        <p class="field__hint">{t('emp.code_hint')}</p>
        <a class="btn" href={href('/women/status', { code })} data-testid="emp-follow">
          {t('emp.follow')}
        </a>
      </div>
    );
  }
  return (
    <form class="form emp-form" onSubmit={submit} noValidate data-testid="emp-form">
      <fieldset class="emp-kind">
        <legend class="field__label">{t('emp.kind')}</legend>
        {KINDS.map((k) => (
          <label class="sim-check" key={k}>
            <input type="radio" name="kind" value={k} checked={values.kind === k} data-testid={`emp-kind-${k}`} onChange={() => set('kind', k)} />
            {t(`emp.kind.${k}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      {values.kind === 'auto_entrepreneur' ? (
        text('ae_number', 'emp.ae_number')
      ) : (
        <>
          {text('cooperative_name', 'emp.cooperative_name')}
          {text('cooperative_number', 'emp.cooperative_number')}
          <Field name="sector" label="emp.sector" errors={errors}>
            <select id="emp-sector" class="input" value={values.sector ?? ''} onChange={(e) => set('sector', e.currentTarget.value)}>
              <option value="">{t('emp.choose')}</option>
              {SECTORS.map((s) => (
                <option value={s} key={s}>
                  {t(`emp.sector.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </Field>
          {errors.cooperative && <p class="field__error">{errors.cooperative}</p>}
        </>
      )}
      <div class="form-grid">
        {text('given_name', 'emp.given_name')}
        {text('family_name', 'emp.family_name')}
        {text('birth_date', 'emp.birth_date', 'date')}
        {text('phone', 'emp.phone', 'tel')}
        {text('national_id', 'emp.national_id')}
        <CommunePicker
          value={commune}
          onChange={(c) => {
            setCommune(c);
            set('commune_code', c?.code ?? '');
          }}
          invalid={errors.commune_code}
        />
      </div>
      <CompletionFields values={values} set={set} errors={errors} />
      <ProblemNotice problem={problem} />
      <button class="btn" type="submit" disabled={busy} data-testid="emp-submit">
        {busy ? t('emp.sending') : t('emp.submit')}
      </button>
    </form>
  );
}

function StatusView({ initialCode }: { initialCode: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [code, setCode] = useState(initialCode);
  const [status, setStatus] = useState<EmpowermentStatus | null>(null);
  const [values, setValues] = useState<Values>({});
  const [saved, setSaved] = useState(false);
  const { busy, problem, run } = useSubmit();
  const errors = problem?.kind === 'fields' ? problem.errors : {};
  const load = (c: string) =>
    run(async () => {
      setSaved(false);
      setStatus(await empowermentApi.status(c));
    });
  useEffect(() => {
    if (initialCode) void load(initialCode);
  }, [initialCode]);
  const show = (e: Event) => {
    e.preventDefault();
    navigate('/women/status', { code: code.trim() }, true);
  };
  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      setStatus(await empowermentApi.complete(initialCode, completionBody(values)));
      setSaved(true);
    });
  };
  return (
    <>
      <form class="form emp-code-form" onSubmit={show} noValidate>
        <Field name="tracking_code" label="emp.code" errors={{}}>
          <input id="emp-tracking_code" class="input" dir="ltr" value={code} data-testid="emp-code" onInput={(e) => setCode(e.currentTarget.value)} />
        </Field>
        <button class="btn" type="submit" data-testid="emp-show">
          {t('emp.show')}
        </button>
      </form>
      {status && (
        <div class="emp-status" data-testid="emp-status">
          <p>
            {t('emp.status')}: <strong data-testid="emp-status-value">{t(`emp.status.${status.status}` as MessageKey)}</strong>
          </p>
          <p>
            {t('emp.registered_on')}: {i18n.date(status.created_at)}
          </p>
          {status.missing.length > 0 && (
            <>
              <p>{t('emp.missing')}:</p>
              <ul data-testid="emp-missing">
                {status.missing.map((m) => (
                  <li key={m}>{t(`emp.missing.${m}` as MessageKey)}</li>
                ))}
              </ul>
            </>
          )}
          <h2>{t('emp.notes')}</h2>
          {status.public_notes.length === 0 ? (
            <p>{t('emp.no_notes')}</p>
          ) : (
            <ul data-testid="emp-notes">
              {status.public_notes.map((n, i) => (
                <li key={i} dir="auto">
                  {n.body}
                </li>
              ))}
            </ul>
          )}
          {saved && (
            <div class="notice notice--success" role="status" data-testid="emp-saved">
              {t('emp.saved')}
            </div>
          )}
          {status.status === 'complete' && <EmpowermentApplyPanel code={initialCode} />}
          <h2>{t('emp.complete_title')}</h2>
          <form class="form" onSubmit={save} noValidate>
            <CompletionFields values={values} set={(k, v) => setValues((o) => ({ ...o, [k]: v }))} errors={errors} />
            <button class="btn" type="submit" disabled={busy} data-testid="emp-save">
              {t('emp.save')}
            </button>
          </form>
        </div>
      )}
      <ProblemNotice problem={problem} />
    </>
  );
}

export function EmpowermentPublicPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const onStatus = route.path === '/women/status';
  return (
    <div class="login-page emp-page">
      <div class="login-page__lang">
        <LangSwitch />
      </div>
      <main class="login-card emp-card" id="main" data-testid="empowerment-page">
        <Brand size="large" />
        <h1 class="login-card__title">{onStatus ? t('emp.status_title') : t('emp.title')}</h1>
        {!onStatus && <p class="login-card__intro">{t('emp.intro')}</p>}
        <nav class="emp-tabs">
          <a href={href('/women')} aria-current={onStatus ? undefined : 'page'}>
            {t('emp.new_registration')}
          </a>
          <a href={href('/women/status')} aria-current={onStatus ? 'page' : undefined} data-testid="emp-tab-status">
            {t('emp.follow')}
          </a>
        </nav>
        {onStatus ? <StatusView key={route.params.get('code') ?? ''} initialCode={route.params.get('code') ?? ''} /> : <RegisterForm />}
      </main>
    </div>
  );
}
