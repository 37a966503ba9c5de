import { useMemo, useState } from 'preact/hooks';
import { ApiError, programsApi } from '../api';
import type { ProgramDefinition, ProgramParameterSet, StoredProgram } from '../api';
import { ErrorNotice, FieldError, Loading } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { RuleEditor } from '../components/RuleEditor';
import { hasText, useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { parseDecimal } from '../numbers';
import { href, navigate } from '../router';
import type { Route } from '../router';
import { programName } from './ProgrammesPage';

// A programme's editor (#/programmes/CODE, or #/programmes/new?from=CODE for a copy or a blank one):
// names and kind, budget, incompatible programmes, the eligibility conditions, the entitlement lines and
// one-offs — each rule checked as it is typed — and the dated parameter sets as key/value tables. Saving
// sends the version the editor started from; the server's problems appear next to their fields
// (eligibility[1].rule, parameter_sets[0].params.asd.floor…).

const KINDS = ['cash', 'in_kind', 'service', 'insurance'] as const;
const UNITS = ['household', 'person'] as const;
const FREQUENCIES = ['monthly', 'one_off', 'yearly'] as const;
const COUNTRIES = [
  ['MA', 'MAD'],
  ['DZ', 'DZD'],
] as const;

/** A parameter set as the editor holds it: rows of text, numbers only when sent. */
interface SetRows {
  key: number;
  from: string;
  rows: { key: number; name: string; value: string }[];
}

let nextKey = 0;

function toRows(sets: ProgramParameterSet[]): SetRows[] {
  return sets.map((s) => ({
    key: nextKey++,
    from: s.from,
    rows: Object.entries(s.params).map(([name, value]) => ({ key: nextKey++, name, value: String(value) })),
  }));
}

/** The sets as the server reads them; rows whose value is not a number are left out (their own field says so). */
function fromRows(sets: SetRows[]): ProgramParameterSet[] {
  return sets.map((s) => {
    const params: Record<string, number> = {};
    for (const r of s.rows) {
      const v = parseDecimal(r.value);
      if (r.name.trim() !== '' && r.value.trim() !== '' && Number.isFinite(v)) params[r.name.trim()] = v;
    }
    return { from: s.from, params };
  });
}

const BLANK: ProgramDefinition = {
  code: '',
  name_ar: '',
  name_fr: '',
  name_en: '',
  country: 'MA',
  currency: 'MAD',
  kind: 'cash',
  unit: 'household',
  frequency: 'monthly',
  budget_minor: null,
  incompatible: [],
  public: false,
  eligibility: [{ reason: '', rule: '', reason_params: [] }],
  lines: [{ label: '', rule: '' }],
  one_offs: [],
  parameter_sets: [{ from: `${new Date().getFullYear()}-01-01`, params: {} }],
};

interface Loaded {
  def: ProgramDefinition;
  sets: SetRows[];
  version: number;
  builtin: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

function loadedFrom(p: StoredProgram | ProgramDefinition, fresh: boolean): Loaded {
  const stored = p as StoredProgram;
  const { version, builtin, updated_at, updated_by, ...def } = stored;
  return {
    // A copy is not offered to citizens until someone decides it, whatever the programme it copies.
    def: fresh ? { ...def, code: '', public: false } : def,
    sets: toRows(def.parameter_sets),
    version: fresh ? 0 : (version ?? 0),
    builtin: fresh ? false : Boolean(builtin),
    updatedAt: fresh ? null : (updated_at ?? null),
    updatedBy: fresh ? null : (updated_by ?? null),
  };
}

/** A catalogue code's text when it has one (the built-in labels and reasons), shown beside the code. */
function CodeText({ code, params = [] }: { code: string; params?: string[] }) {
  const { t } = useI18n();
  if (!code || !hasText(code)) return null;
  // The values a reason quotes are known only for a household: shown as an ellipsis.
  return <p class="field__hint prog-code-text">{t(code as MessageKey, Object.fromEntries(params.map((p) => [p, '…'])))}</p>;
}

export function ProgrammeEditorPage({ route, code }: { route: Route; code: string }) {
  const i18n = useI18n();
  const { t, lang, num, dateTime } = i18n;
  const isNew = code === 'new';
  const from = route.params.get('from') ?? '';
  // The programme a new one is copied from is in the URL (?from=CODE): the copy of a programme no longer
  // asked for is aborted, so it never replaces the one asked for after it. The form edits the loaded
  // definition in place (it holds no text the server writes): not read again after a change of
  // language, which would throw the edits away.
  const { data: state, setData: setState, error: loadError, shownCheck } = useLoaded(
    (signal) => (isNew ? (from ? programsApi.get(from, signal) : Promise.resolve(BLANK)) : programsApi.get(code, signal)).then((p) => loadedFrom(p, isNew)),
    `${code}/${from}`,
    true,
    false,
  );
  const { data: othersLoaded } = useLoaded(() => programsApi.list().then((r) => r.items), 'programmes', false);
  const others = othersLoaded ?? [];
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const paramSets = useMemo(() => (state ? fromRows(state.sets) : []), [state?.sets]);
  // The rules are checked against the sets whose date is complete (one being typed would refuse the check).
  const checkSets = useMemo(() => paramSets.filter((s) => /^\d{4}-\d{2}-\d{2}$/.test(s.from)), [paramSets]);

  if (loadError !== null) return <ErrorNotice error={loadError} />;
  if (state === null) return <Loading />;
  const { def } = state;
  const set = (patch: Partial<ProgramDefinition>) => {
    setSaved(false);
    setState({ ...state, def: { ...def, ...patch } });
  };
  const setSets = (sets: SetRows[]) => {
    setSaved(false);
    setState({ ...state, sets });
  };
  const replace = <T,>(list: T[], i: number, item: T) => list.map((x, k) => (k === i ? item : x));

  // A save is not aborted when the analyst moves on: its answer (the programme saved, and for a new one
  // the way to it) or its error is used only while what it was made on is still shown. A copy created
  // answered late replaced the copy asked after it (the same editor, key "new"), and took the analyst
  // away from the programme opened meanwhile. The programme created is in the list.
  const save = async (e: Event) => {
    e.preventDefault();
    const stillShown = shownCheck();
    setBusy(true);
    setSaveError(null);
    setSaved(false);
    const body: ProgramDefinition = { ...def, parameter_sets: paramSets };
    try {
      const result = isNew ? await programsApi.create(body) : await programsApi.update(body, state.version);
      if (!stillShown()) return;
      setState(loadedFrom(result, false));
      setSaved(true);
      if (isNew) navigate(`/programmes/${result.code}`);
    } catch (err) {
      if (stillShown()) setSaveError(err);
    } finally {
      setBusy(false);
    }
  };

  const title = isNew ? t('prog.new') : `${def.code} — ${programName(def, lang)}`;
  const stale = saveError instanceof ApiError && saveError.status === 409 && !isNew;
  return (
    <div class="page programme-editor" data-testid="programme-editor">
      <header class="page__header">
        <p>
          <a href={href('/programmes')}>{t('prog.back')}</a>
        </p>
        <h1 class="page__title">{title}</h1>
        <p class="page__intro" data-testid="programme-version">
          {state.version > 0
            ? t('prog.version_by', { version: num(state.version), by: state.updatedBy ?? '', at: state.updatedAt ? dateTime(state.updatedAt) : '' })
            : state.builtin
              ? t('prog.template_unsaved')
              : t('prog.unsaved')}
        </p>
      </header>
      <form class="form" onSubmit={save} noValidate>
        <section class="card" aria-labelledby="prog-general">
          <h2 class="section__title" id="prog-general">
            {t('prog.general')}
          </h2>
          <div class="form-grid">
            <div class="field">
              <label class="field__label" for="prog-code">
                {t('prog.code')}
              </label>
              <input id="prog-code" class="input" dir="ltr" value={def.code} disabled={!isNew} data-testid="prog-code" onInput={(e) => set({ code: e.currentTarget.value.toUpperCase() })} />
              <FieldError error={saveError} field="code" />
            </div>
            {(['name_ar', 'name_fr', 'name_en'] as const).map((k) => (
              <div class="field" key={k}>
                <label class="field__label" for={`prog-${k}`}>
                  {t(`prog.${k}` as MessageKey)}
                </label>
                <input id={`prog-${k}`} class="input" dir={k === 'name_ar' ? 'rtl' : 'ltr'} value={def[k]} data-testid={`prog-${k}`} onInput={(e) => set({ [k]: e.currentTarget.value })} />
                <FieldError error={saveError} field={k} />
              </div>
            ))}
            <div class="field">
              <label class="field__label" for="prog-country">
                {t('prog.country')}
              </label>
              <select
                id="prog-country"
                class="input"
                value={def.country}
                onChange={(e) => {
                  const c = COUNTRIES.find(([country]) => country === e.currentTarget.value);
                  set({ country: e.currentTarget.value, currency: c ? c[1] : def.currency });
                }}
              >
                {COUNTRIES.map(([c]) => (
                  <option key={c} value={c}>
                    {t(`sim.country.${c}` as MessageKey)}
                  </option>
                ))}
              </select>
              <p class="field__hint">
                {t('prog.currency')}: <bdi dir="ltr">{def.currency}</bdi>
              </p>
              <FieldError error={saveError} field="currency" />
            </div>
            {(
              [
                ['kind', KINDS],
                ['unit', UNITS],
                ['frequency', FREQUENCIES],
              ] as const
            ).map(([k, values]) => (
              <div class="field" key={k}>
                <label class="field__label" for={`prog-${k}`}>
                  {t(`prog.${k}` as MessageKey)}
                </label>
                <select id={`prog-${k}`} class="input" value={def[k]} data-testid={`prog-${k}`} onChange={(e) => set({ [k]: e.currentTarget.value })}>
                  {values.map((v) => (
                    <option key={v} value={v}>
                      {t(`prog.${k}.${v}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <div class="field">
              <label class="field__label" for="prog-budget">
                {t('prog.budget_year', { currency: def.currency })}
              </label>
              <input
                id="prog-budget"
                class="input"
                dir="ltr"
                inputMode="decimal"
                value={def.budget_minor === null ? '' : String(def.budget_minor / 100)}
                data-testid="prog-budget"
                onInput={(e) => {
                  const v = e.currentTarget.value.trim();
                  const n = parseDecimal(v);
                  set({ budget_minor: v === '' || !Number.isFinite(n) ? null : Math.round(n * 100) });
                }}
              />
              <FieldError error={saveError} field="budget_minor" />
            </div>
          </div>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={def.public}
              data-testid="prog-public"
              onChange={(e) => set({ public: e.currentTarget.checked })}
            />
            {t('prog.public')}
          </label>
          <p class="field__hint">{t('prog.public_hint')}</p>
          <fieldset class="field prog-fieldset">
            <legend class="field__label">{t('prog.incompatible')}</legend>
            <div class="prog-incompatible">
              {others
                .filter((p) => p.code !== def.code)
                .map((p) => (
                  <label class="checkbox" key={p.code}>
                    <input
                      type="checkbox"
                      checked={def.incompatible.includes(p.code)}
                      onChange={(e) =>
                        set({ incompatible: e.currentTarget.checked ? [...def.incompatible, p.code] : def.incompatible.filter((c) => c !== p.code) })
                      }
                    />
                    <bdi dir="ltr">{p.code}</bdi> — {programName(p, lang)}
                  </label>
                ))}
            </div>
            {def.incompatible.map((_, i) => (
              <FieldError key={i} error={saveError} field={`incompatible[${i}]`} />
            ))}
          </fieldset>
        </section>

        <section class="card" aria-labelledby="prog-eligibility">
          <h2 class="section__title" id="prog-eligibility">
            {t('prog.eligibility')}
          </h2>
          <p class="page__intro">{t('prog.eligibility_intro')}</p>
          {def.eligibility.map((c, i) => (
            <div class="prog-item" key={i} data-testid="prog-condition">
              <div class="field">
                <label class="field__label" for={`cond-${i}-reason`}>
                  {t('prog.reason')}
                </label>
                <input id={`cond-${i}-reason`} class="input" dir="ltr" value={c.reason} onInput={(e) => set({ eligibility: replace(def.eligibility, i, { ...c, reason: e.currentTarget.value }) })} />
                <CodeText code={c.reason} params={c.reason_params.map((p) => p.name)} />
                <FieldError error={saveError} field={`eligibility[${i}].reason`} />
              </div>
              <RuleEditor
                id={`cond-${i}`}
                label={t('prog.condition_rule')}
                type="bool"
                value={c.rule}
                parameterSets={checkSets}
                saveError={saveError}
                field={`eligibility[${i}].rule`}
                onChange={(rule) => set({ eligibility: replace(def.eligibility, i, { ...c, rule }) })}
              />
              {c.reason_params.map((p, k) => (
                <div class="prog-subitem" key={k}>
                  <div class="field">
                    <label class="field__label" for={`cond-${i}-param-${k}-name`}>
                      {t('prog.reason_param')}
                    </label>
                    <input
                      id={`cond-${i}-param-${k}-name`}
                      class="input"
                      dir="ltr"
                      value={p.name}
                      onInput={(e) => set({ eligibility: replace(def.eligibility, i, { ...c, reason_params: replace(c.reason_params, k, { ...p, name: e.currentTarget.value }) }) })}
                    />
                  </div>
                  <RuleEditor
                    id={`cond-${i}-param-${k}`}
                    label={t('prog.reason_param_rule')}
                    type="decimal"
                    value={p.rule}
                    parameterSets={checkSets}
                    saveError={saveError}
                    field={`eligibility[${i}].reason_params[${k}].rule`}
                    onChange={(rule) => set({ eligibility: replace(def.eligibility, i, { ...c, reason_params: replace(c.reason_params, k, { ...p, rule }) }) })}
                  />
                </div>
              ))}
              <div class="prog-actions">
                <button type="button" class="btn btn--ghost btn--small" onClick={() => set({ eligibility: replace(def.eligibility, i, { ...c, reason_params: [...c.reason_params, { name: '', rule: '' }] }) })}>
                  {t('prog.add_reason_param')}
                </button>
                <button type="button" class="btn btn--ghost btn--small" onClick={() => set({ eligibility: def.eligibility.filter((_, k) => k !== i) })}>
                  {t('prog.remove')}
                </button>
              </div>
            </div>
          ))}
          <button type="button" class="btn btn--secondary btn--small" onClick={() => set({ eligibility: [...def.eligibility, { reason: '', rule: '', reason_params: [] }] })}>
            {t('prog.add_condition')}
          </button>
        </section>

        <section class="card" aria-labelledby="prog-lines">
          <h2 class="section__title" id="prog-lines">
            {t('prog.lines')}
          </h2>
          <p class="page__intro">{t('prog.lines_intro')}</p>
          {def.lines.map((l, i) => (
            <div class="prog-item" key={i} data-testid="prog-line">
              <div class="field">
                <label class="field__label" for={`line-${i}-label`}>
                  {t('prog.label')}
                </label>
                <input id={`line-${i}-label`} class="input" dir="ltr" value={l.label} onInput={(e) => set({ lines: replace(def.lines, i, { ...l, label: e.currentTarget.value }) })} />
                <CodeText code={l.label} />
                <FieldError error={saveError} field={`lines[${i}].label`} />
              </div>
              <RuleEditor
                id={`line-${i}`}
                label={t('prog.amount_rule')}
                type="int"
                value={l.rule}
                parameterSets={checkSets}
                saveError={saveError}
                field={`lines[${i}].rule`}
                onChange={(rule) => set({ lines: replace(def.lines, i, { ...l, rule }) })}
              />
              <div class="prog-actions">
                <button type="button" class="btn btn--ghost btn--small" onClick={() => set({ lines: def.lines.filter((_, k) => k !== i) })}>
                  {t('prog.remove')}
                </button>
              </div>
            </div>
          ))}
          <button type="button" class="btn btn--secondary btn--small" onClick={() => set({ lines: [...def.lines, { label: '', rule: '' }] })}>
            {t('prog.add_line')}
          </button>

          <h3 class="prog-subtitle">{t('prog.one_offs')}</h3>
          {def.one_offs.map((o, i) => (
            <div class="prog-item" key={i} data-testid="prog-one-off">
              <div class="form-grid">
                <div class="field">
                  <label class="field__label" for={`oneoff-${i}-label`}>
                    {t('prog.label')}
                  </label>
                  <input id={`oneoff-${i}-label`} class="input" dir="ltr" value={o.label} onInput={(e) => set({ one_offs: replace(def.one_offs, i, { ...o, label: e.currentTarget.value }) })} />
                  <CodeText code={o.label} />
                </div>
                <div class="field">
                  <label class="field__label" for={`oneoff-${i}-month`}>
                    {t('prog.month')}
                  </label>
                  <select id={`oneoff-${i}-month`} class="input" value={String(o.month)} onChange={(e) => set({ one_offs: replace(def.one_offs, i, { ...o, month: Number(e.currentTarget.value) }) })}>
                    <option value="0">{t('prog.every_month')}</option>
                    {Array.from({ length: 12 }, (_, m) => (
                      <option key={m} value={String(m + 1)}>
                        {new Intl.DateTimeFormat(i18n.lang === 'ar' ? 'ar-MA' : i18n.lang, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, m, 1)))}
                      </option>
                    ))}
                  </select>
                  <FieldError error={saveError} field={`one_offs[${i}].month`} />
                </div>
              </div>
              <RuleEditor
                id={`oneoff-${i}`}
                label={t('prog.amount_rule')}
                type="int"
                value={o.rule}
                parameterSets={checkSets}
                saveError={saveError}
                field={`one_offs[${i}].rule`}
                onChange={(rule) => set({ one_offs: replace(def.one_offs, i, { ...o, rule }) })}
              />
              <div class="prog-actions">
                <button type="button" class="btn btn--ghost btn--small" onClick={() => set({ one_offs: def.one_offs.filter((_, k) => k !== i) })}>
                  {t('prog.remove')}
                </button>
              </div>
            </div>
          ))}
          <button type="button" class="btn btn--secondary btn--small" onClick={() => set({ one_offs: [...def.one_offs, { label: '', rule: '', month: 0 }] })}>
            {t('prog.add_one_off')}
          </button>
        </section>

        <ParameterSets sets={state.sets} onChange={setSets} saveError={saveError} />

        {saveError !== null && <ErrorNotice error={saveError} />}
        {stale && (
          <p>
            <button type="button" class="btn btn--secondary" onClick={() => window.location.reload()}>
              {t('prog.reload')}
            </button>
          </p>
        )}
        {saved && (
          <div class="notice notice--info" role="status" data-testid="programme-saved">
            {t('prog.saved', { version: num(state.version) })}
          </div>
        )}
        <button type="submit" class="btn btn--primary" disabled={busy} data-testid="programme-save">
          {busy ? t('prog.saving') : t('prog.save')}
        </button>
      </form>
    </div>
  );
}

function ParameterSets({ sets, onChange, saveError }: { sets: SetRows[]; onChange: (sets: SetRows[]) => void; saveError: unknown }) {
  const { t } = useI18n();
  const update = (i: number, s: SetRows) => onChange(sets.map((x, k) => (k === i ? s : x)));
  return (
    <section class="card" aria-labelledby="prog-params">
      <h2 class="section__title" id="prog-params">
        {t('prog.parameter_sets')}
      </h2>
      <p class="page__intro">{t('prog.parameter_sets_intro')}</p>
      {sets.map((s, i) => (
        <fieldset class="prog-set" key={s.key} data-testid="prog-set">
          <div class="field">
            <label class="field__label" for={`set-${i}-from`}>
              {t('prog.set_from')}
            </label>
            <input id={`set-${i}-from`} class="input" type="date" dir="ltr" value={s.from} data-testid={`set-${i}-from`} onInput={(e) => update(i, { ...s, from: e.currentTarget.value })} />
            <FieldError error={saveError} field={`parameter_sets[${i}].from`} />
          </div>
          <table class="table prog-params">
            <thead>
              <tr>
                <th scope="col">{t('prog.param_name')}</th>
                <th scope="col">{t('prog.param_value')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('prog.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {s.rows.map((r, k) => (
                <tr key={r.key}>
                  <td>
                    <input
                      class="input"
                      dir="ltr"
                      aria-label={t('prog.param_name')}
                      value={r.name}
                      onInput={(e) => update(i, { ...s, rows: s.rows.map((x) => (x.key === r.key ? { ...x, name: e.currentTarget.value } : x)) })}
                    />
                  </td>
                  <td>
                    <input
                      class="input"
                      dir="ltr"
                      inputMode="decimal"
                      aria-label={t('prog.param_value')}
                      aria-invalid={r.value.trim() !== '' && !Number.isFinite(parseDecimal(r.value))}
                      value={r.value}
                      data-testid={`set-${i}-param-${r.name}`}
                      onInput={(e) => update(i, { ...s, rows: s.rows.map((x) => (x.key === r.key ? { ...x, value: e.currentTarget.value } : x)) })}
                    />
                    <FieldError error={saveError} field={`parameter_sets[${i}].params.${r.name}`} />
                  </td>
                  <td>
                    <button type="button" class="btn btn--ghost btn--small" onClick={() => update(i, { ...s, rows: s.rows.filter((_, x) => x !== k) })}>
                      {t('prog.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="prog-actions">
            <button type="button" class="btn btn--ghost btn--small" onClick={() => update(i, { ...s, rows: [...s.rows, { key: nextKey++, name: '', value: '' }] })}>
              {t('prog.add_param')}
            </button>
            <button type="button" class="btn btn--ghost btn--small" onClick={() => onChange(sets.filter((_, k) => k !== i))}>
              {t('prog.remove_set')}
            </button>
          </div>
        </fieldset>
      ))}
      <FieldError error={saveError} field="parameter_sets" />
      <button
        type="button"
        class="btn btn--secondary btn--small"
        data-testid="prog-add-set"
        onClick={() => {
          // A new set starts as a copy of the last one: a decree usually changes a few amounts.
          const last = sets[sets.length - 1];
          onChange([...sets, { key: nextKey++, from: '', rows: (last?.rows ?? []).map((r) => ({ ...r, key: nextKey++ })) }]);
        }}
      >
        {t('prog.add_set')}
      </button>
    </section>
  );
}
