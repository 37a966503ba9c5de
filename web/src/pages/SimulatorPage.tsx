import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, programsApi } from '../api';
import type { AmountLine, Program, Simulation, SimulationMember, SimulationRequest } from '../api';
import { Brand } from '../components/Brand';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { LangSwitch } from '../components/LangSwitch';
import { FieldInput, toApiValue } from '../components/RegistryFields';
import type { FieldErrors, FormValues } from '../components/RegistryFields';
import { hasText, langInfo, useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { parseDecimal } from '../numbers';
import { PERSON_FIELD_BY_NAME } from '../registry';

// The public programme simulator (#/simulator): anyone, without an account, describes a household and
// sees whether a programme would cover it and for how much. Nothing is stored; the server computes
// everything (POST /api/v1/programs/{code}/simulate) and renders its labels and reasons in the page's
// language.

const MEMBER_FIELDS = ['relationship', 'sex', 'birth_date', 'marital_status', 'schooling', 'disability_percent'] as const;
const MEMBER_FLAGS = ['able_to_work', 'in_institution'] as const;

interface Member {
  key: number;
  values: FormValues;
}

type Problem = { kind: 'fields'; errors: FieldErrors; top: string | null } | { kind: 'throttled'; seconds: number } | { kind: 'other'; error: unknown };

let nextKey = 0;
const newMember = (relationship: string): Member => ({
  key: nextKey++,
  values: { relationship, sex: relationship === 'head' ? 'F' : 'M', able_to_work: 'true', in_institution: 'false' },
});

const FIRST_YEAR = 2023;
const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];

function currentMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** The form key of a field the server names: "household.members[1].birth_date" → "m1.birth_date". */
export function simFieldKey(field: string | null): string | null {
  if (!field) return null;
  const m = /^household\.members\[(\d+)\]\.(\w+)$/.exec(field);
  if (m) return `m${m[1]}.${m[2]}`;
  return field.replace(/^household\./, '');
}

export function SimulatorPage() {
  const i18n = useI18n();
  const { t, lang, num, dir } = i18n;
  const [programs, setPrograms] = useState<Program[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const [period, setPeriod] = useState(currentMonth);
  const [index, setIndex] = useState('');
  const [flag, setFlag] = useState(false);
  const [members, setMembers] = useState<Member[]>(() => [newMember('head')]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [result, setResult] = useState<Simulation | null>(null);

  // The answer is for the programme, period and household it was asked for: any change clears it, and
  // an answer asked before the change is not shown when it comes. The ASD answer, in MAD, stayed on
  // screen under AFS. Cleared before the page is painted with the new choice.
  const asked = useRef(0);
  useLayoutEffect(() => {
    asked.current += 1;
    setResult(null);
  }, [code, period, index, flag, members]);

  const load = () => {
    setLoadError(null);
    programsApi
      .list()
      .then((r) => {
        setPrograms(r.items);
        setCode((c) => c || r.items[0]?.code || '');
      })
      .catch(setLoadError);
  };
  useEffect(load, []);

  const program = programs?.find((p) => p.code === code);
  const country = program?.country ?? 'MA';
  const programName = (p: Program) => (lang === 'ar' ? p.name_ar : lang === 'fr' ? p.name_fr : p.name_en);
  const money = (amount: number, currency: string) => num(amount, { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 2 });
  const errors = problem?.kind === 'fields' ? problem.errors : {};
  // The browser's month picker speaks the browser's language, not the page's: month names come from Intl.
  const monthFormat = new Intl.DateTimeFormat(langInfo(lang).intl, { month: 'long', timeZone: 'UTC' });
  const monthName = (m: string) => monthFormat.format(new Date(Date.UTC(2000, Number(m) - 1, 1)));
  // The programmes' rules start in December 2023 (ASD); next year is offered for a coming change.
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: thisYear + 2 - FIRST_YEAR }, (_, k) => String(FIRST_YEAR + k));

  // The server names the field by its path ("household.members[1].birth_date"); under the field the
  // message reads better with the field's own label, rendered from the reason's code in the page's
  // language. A reason the page has no text for keeps the server's message.
  const localMessage = (reason: string, params: Record<string, string>): string | null => {
    if (!reason || !hasText(reason) || !params['field']) return null;
    const short = params['field'].replace(/^.*[.\]]/, '');
    // What was typed ("2019-02-30") is isolated so that a right-to-left sentence does not reorder it.
    const shown: Record<string, string> = { ...params, field: short };
    if (params['value'] !== undefined && dir === 'rtl') shown['value'] = `\u2068${params['value']}\u2069`;
    return t(reason as MessageKey, shown);
  };

  const setMember = (key: number, name: string, value: string) =>
    setMembers((ms) => ms.map((m) => (m.key === key ? { ...m, values: { ...m.values, [name]: value } } : m)));

  async function submit(e: Event) {
    e.preventDefault();
    if (!program || busy) return;
    const payloadMembers = members.map((m) => {
      const out: Record<string, unknown> = {};
      for (const name of MEMBER_FIELDS) {
        const v = toApiValue(PERSON_FIELD_BY_NAME.get(name)!, m.values[name]);
        if (v !== undefined) out[name] = v;
      }
      for (const name of MEMBER_FLAGS) out[name] = m.values[name] === 'true';
      return out as unknown as SimulationMember;
    });
    // A number typed with a decimal comma or in Arabic-Indic digits is read; anything else goes as typed,
    // for the server to name.
    const typed = index.trim();
    const idx = typed === '' ? undefined : Number.isFinite(parseDecimal(typed)) ? parseDecimal(typed) : (typed as unknown as number);
    await ask(program.code, {
      period,
      household: {
        country,
        ...(idx === undefined ? {} : { socio_economic_index: idx }),
        ...(country === 'MA' ? { receives_family_allowance: flag } : { has_proven_income: flag }),
        members: payloadMembers,
      },
    });
  }

  // The server writes the answer's labels and reasons in the language it is asked in: after a switch,
  // the simulation shown (or on its way, or refused field by field) is asked again in the new language,
  // its answer replacing the one in the language before. The form has not changed since: a change
  // clears the answer.
  const lastAsked = useRef<{ code: string; body: SimulationRequest } | null>(null);
  const askedIn = useRef(lang);
  useEffect(() => {
    if (askedIn.current === lang) return;
    askedIn.current = lang;
    const last = lastAsked.current;
    if (last && (result !== null || busy || problem?.kind === 'fields')) void ask(last.code, last.body);
  }, [lang]);

  async function ask(programCode: string, body: SimulationRequest) {
    const mine = ++asked.current;
    lastAsked.current = { code: programCode, body };
    setBusy(true);
    setProblem(null);
    try {
      const sim = await programsApi.simulate(programCode, body);
      if (asked.current === mine) setResult(sim);
    } catch (err) {
      if (asked.current !== mine) return;
      setResult(null);
      if (err instanceof ApiError && err.status === 429) {
        setProblem({ kind: 'throttled', seconds: err.retryAfter ?? 60 });
      } else if (err instanceof ApiError && err.status === 400 && err.message) {
        const found: FieldErrors = {};
        const all = err.problems.length ? err.problems : [{ field: err.field, message: err.message, reason: err.reason ?? '', params: err.params }];
        let top: string | null = null;
        for (const p of all) {
          const k = simFieldKey(p.field);
          const text = localMessage(p.reason, p.params) ?? p.message;
          if (k && !(k in found)) found[k] = text;
          else top ??= text;
        }
        // A field the form does not show (or none): the message goes on top, so it is never lost.
        const shown = new Set(['period', 'socio_economic_index', ...members.flatMap((_, i) => MEMBER_FIELDS.map((n) => `m${i}.${n}`))]);
        for (const [k, msg] of Object.entries(found)) if (!shown.has(k)) top ??= msg;
        setProblem({ kind: 'fields', errors: found, top });
      } else {
        setProblem({ kind: 'other', error: err });
      }
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (key: string) =>
    errors[key] ? (
      <p class="field__error" dir="auto" id={`sim-${key}-error`} data-testid={`error-sim-${key}`}>
        {errors[key]}
      </p>
    ) : null;

  const lines = (items: AmountLine[], currency: string, testid: string) => (
    <table class="sim-lines" data-testid={testid}>
      <tbody>
        {items.map((l) => (
          <tr key={l.code}>
            <th scope="row">{l.label}</th>
            <td class="sim-lines__amount">
              <bdi>{money(l.amount, currency)}</bdi>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <div class="login-page sim-page">
      <div class="login-page__lang">
        <LangSwitch />
      </div>
      <main class="login-card sim-card" id="main" data-testid="simulator-page">
        <Brand size="large" />
        <h1 class="login-card__title">{t('sim.title')}</h1>
        <p class="login-card__intro">{t('sim.intro')}</p>

        {loadError !== null && <ErrorNotice error={loadError} onRetry={load} />}
        {programs === null && loadError === null && <Loading />}
        {programs !== null && (
          <form class="form" onSubmit={submit} noValidate>
            <div class="form-grid">
              <div class="field sim-program">
                <label class="field__label" for="sim-program">
                  {t('sim.program')}
                </label>
                <select id="sim-program" class="input" value={code} data-testid="sim-program" onChange={(e) => setCode(e.currentTarget.value)}>
                  {programs.map((p) => (
                    <option key={p.code} value={p.code}>
                      {programName(p)} ({t(`sim.country.${p.country}` as MessageKey)})
                    </option>
                  ))}
                </select>
              </div>
              <fieldset class={`field sim-period${errors['period'] ? ' field--invalid' : ''}`}>
                <legend class="field__label">{t('sim.period')}</legend>
                <div class="sim-period__inputs">
                  <select
                    class="input"
                    aria-label={t('sim.period_month')}
                    value={period.slice(5, 7)}
                    data-testid="sim-period-month"
                    aria-invalid={errors['period'] ? 'true' : undefined}
                    aria-describedby={errors['period'] ? 'sim-period-error' : undefined}
                    onChange={(e) => setPeriod(`${period.slice(0, 4)}-${e.currentTarget.value}`)}
                  >
                    {MONTHS.map((m) => (
                      <option key={m} value={m}>
                        {monthName(m)}
                      </option>
                    ))}
                  </select>
                  <select
                    class="input"
                    aria-label={t('sim.period_year')}
                    dir="ltr"
                    value={period.slice(0, 4)}
                    data-testid="sim-period-year"
                    onChange={(e) => setPeriod(`${e.currentTarget.value}-${period.slice(5, 7)}`)}
                  >
                    {years.map((y) => (
                      <option key={y} value={y}>
                        {y}
                      </option>
                    ))}
                  </select>
                </div>
                {fieldError('period')}
              </fieldset>
              <div class={`field${errors['socio_economic_index'] ? ' field--invalid' : ''}`}>
                <label class="field__label" for="sim-index">
                  {t('sim.index')}
                </label>
                <input
                  id="sim-index"
                  class="input"
                  type="text"
                  inputMode="decimal"
                  dir="ltr"
                  autoComplete="off"
                  value={index}
                  data-testid="sim-index"
                  aria-invalid={errors['socio_economic_index'] ? 'true' : undefined}
                  aria-describedby={errors['socio_economic_index'] ? 'sim-socio_economic_index-error' : 'sim-index-hint'}
                  onInput={(e) => setIndex(e.currentTarget.value)}
                />
                <p class="field__hint" id="sim-index-hint">
                  {t('sim.index_hint')}
                </p>
                {fieldError('socio_economic_index')}
              </div>
            </div>
            <label class="sim-check">
              <input type="checkbox" checked={flag} data-testid="sim-flag" onChange={(e) => setFlag(e.currentTarget.checked)} />
              {country === 'MA' ? t('sim.receives_family_allowance') : t('sim.has_proven_income')}
            </label>

            <fieldset class="sim-members">
              <legend>{t('sim.members')}</legend>
              {members.map((m, i) => (
                <div class="sim-member" key={m.key} data-testid="sim-member" role="group" aria-label={t('sim.member_n', { n: num(i + 1) })}>
                  <div class="sim-member__head">
                    <h2 class="sim-member__title">{t('sim.member_n', { n: num(i + 1) })}</h2>
                    {members.length > 1 && (
                      <button
                        type="button"
                        class="btn btn--ghost btn--small"
                        data-testid="sim-remove-member"
                        aria-label={t('sim.remove_member_n', { n: num(i + 1) })}
                        onClick={() => setMembers((ms) => ms.filter((x) => x.key !== m.key))}
                      >
                        {t('sim.remove_member')}
                      </button>
                    )}
                  </div>
                  <div class="form-grid">
                    {MEMBER_FIELDS.map((name) => (
                      <FieldInput
                        key={name}
                        def={{ ...PERSON_FIELD_BY_NAME.get(name)!, required: name === 'relationship' || name === 'sex' }}
                        idPrefix={`sim-m${i}`}
                        value={m.values[name] ?? ''}
                        error={errors[`m${i}.${name}`]}
                        noEmpty={name === 'relationship' || name === 'sex'}
                        onChange={(v) => setMember(m.key, name, v)}
                      />
                    ))}
                  </div>
                  <div class="sim-flags">
                    {MEMBER_FLAGS.map((name) => (
                      <label class="sim-check" key={name}>
                        <input
                          type="checkbox"
                          checked={m.values[name] === 'true'}
                          data-testid={`field-sim-m${i}-${name}`}
                          onChange={(e) => setMember(m.key, name, String(e.currentTarget.checked))}
                        />
                        {t(`sim.${name}` as MessageKey)}
                      </label>
                    ))}
                  </div>
                </div>
              ))}
              <button
                type="button"
                class="btn"
                data-testid="sim-add-member"
                disabled={members.length >= 30}
                onClick={() => setMembers((ms) => [...ms, newMember('child')])}
              >
                {t('sim.add_member')}
              </button>
            </fieldset>

            {problem?.kind === 'fields' && (
              <div class="notice notice--error" role="alert" data-testid="sim-error">
                {problem.top ?? t('sim.fix_fields')}
              </div>
            )}
            {problem?.kind === 'throttled' && (
              <div class="notice notice--warning" role="alert" data-testid="sim-error">
                {t('sim.throttled', { delay: i18n.duration(problem.seconds) })}
              </div>
            )}
            {problem?.kind === 'other' && <ErrorNotice error={problem.error} />}

            <button type="submit" class="btn btn--primary btn--block" disabled={busy || !program} data-testid="sim-submit">
              {busy ? t('sim.submitting') : t('sim.submit')}
            </button>
          </form>
        )}

        {result && (
          <section class="sim-result" aria-live="polite" data-testid="sim-result">
            <h2 class="sim-result__title">{t('sim.result')}</h2>
            <p class={`sim-result__verdict ${result.eligible ? 'sim-result__verdict--yes' : 'sim-result__verdict--no'}`} data-testid="sim-verdict">
              {result.eligible ? t('sim.eligible') : t('sim.not_eligible')}
            </p>
            <p class="sim-result__amount">
              {t('sim.monthly_amount')}{' '}
              <strong data-testid="sim-amount">
                <bdi>{money(result.monthly_amount, result.currency)}</bdi>
              </strong>
            </p>
            {result.lines.length > 0 && lines(result.lines, result.currency, 'sim-lines')}
            {result.one_off.length > 0 && (
              <>
                <h3 class="sim-result__sub">{t('sim.one_off')}</h3>
                {lines(result.one_off, result.currency, 'sim-one-off')}
              </>
            )}
            {result.reasons.length > 0 && (
              <>
                <h3 class="sim-result__sub">{t('sim.reasons')}</h3>
                <ul class="sim-result__reasons" data-testid="sim-reasons">
                  {result.reasons.map((r, k) => (
                    <li key={k} dir="auto">
                      {r.text}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <p class="login-card__notice">{t('sim.disclaimer')}</p>
          </section>
        )}

        <p class="login-card__notice">
          <a href="#/" data-testid="sim-back">
            {t('sim.back_to_login')}
          </a>
        </p>
      </main>
    </div>
  );
}
