import type { JSX } from 'preact';
import { useI18n } from '../i18n';
import { DateInput } from './DateInput';
import { parseDecimal } from '../numbers';
import { VOCAB, fieldKey, vocabKey } from '../registry';
import type { FieldDef } from '../registry';

// Inputs for registry fields. Form values are kept as strings (what the inputs hold) and converted to
// the API's types only when a payload is built, so that a half-typed number is never lost.

export type FormValues = Record<string, string>;
/** Error messages by form path ("household.rooms", "members.1.birth_date"). */
export type FieldErrors = Record<string, string>;

/** The API value of a form string, or undefined when the field is left empty. */
export function toApiValue(def: FieldDef, raw: string | undefined): unknown {
  const v = (raw ?? '').trim();
  if (v === '') return undefined;
  switch (def.kind) {
    case 'int':
    case 'decimal': {
      const n = parseDecimal(v);
      return Number.isFinite(n) ? n : v;
    }
    case 'bool':
      return v === 'true';
    default:
      return v;
  }
}

/** Form strings of a record (for editing): null → '', booleans → 'true'/'false'. */
export function toFormValues(defs: readonly FieldDef[], record: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const d of defs) {
    const v = record[d.name];
    out[d.name] = v === null || v === undefined ? '' : typeof v === 'boolean' ? String(v) : String(v);
  }
  return out;
}

/** The payload object of a form: only the non-empty, non-system fields. */
export function toPayload(defs: readonly FieldDef[], values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of defs) {
    if (d.system) continue;
    const v = toApiValue(d, values[d.name]);
    if (v !== undefined) out[d.name] = v;
  }
  return out;
}

interface FieldInputProps {
  def: FieldDef;
  /** Unique id prefix of the form ("hh", "m0"). */
  idPrefix: string;
  value: string;
  error?: string | undefined;
  onChange: (value: string) => void;
  /** Leave out the empty choice of selects (required fields that have a default). */
  noEmpty?: boolean;
}

const LTR_KINDS = new Set(['int', 'decimal', 'date', 'birth_date', 'area', 'national_id', 'phone']);

export function FieldInput({ def, idPrefix, value, error, onChange, noEmpty }: FieldInputProps) {
  const { t } = useI18n();
  const id = `${idPrefix}-${def.name}`;
  const errId = `${id}-error`;
  const common = {
    id,
    name: def.name,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? errId : undefined,
    'data-testid': `field-${idPrefix}-${def.name}`,
  };
  let control: JSX.Element;
  if (def.kind === 'enum' && def.vocab) {
    const vocab = def.vocab;
    control = (
      <select class="input" {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {!noEmpty && <option value="">{t('common.none')}</option>}
        {VOCAB[vocab].map((v) => (
          <option key={v} value={v}>
            {t(vocabKey(vocab, v))}
          </option>
        ))}
      </select>
    );
  } else if (def.kind === 'bool') {
    control = (
      <select class="input" {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {!noEmpty && <option value="">{t('common.none')}</option>}
        <option value="true">{t('common.yes')}</option>
        <option value="false">{t('common.no')}</option>
      </select>
    );
  } else if (def.kind === 'date') {
    control = <DateInput id={id} value={value} testid={common['data-testid']} invalid={!!error} describedBy={error ? errId : undefined} onChange={onChange} />;
  } else {
    const type = def.kind === 'int' || def.kind === 'decimal' ? 'text' : def.kind === 'phone' ? 'tel' : 'text';
    const placeholder =
      def.kind === 'birth_date' ? t('form.birth_date_placeholder') : def.kind === 'phone' ? '06XXXXXXXX' : def.kind === 'area' ? 'MA-03.231.01.0' : undefined;
    control = (
      <input
        class="input"
        {...common}
        type={type}
        inputMode={def.kind === 'int' ? 'numeric' : def.kind === 'decimal' ? 'decimal' : undefined}
        dir={LTR_KINDS.has(def.kind) ? 'ltr' : def.name.endsWith('_ar') ? 'rtl' : def.name.endsWith('_lat') ? 'ltr' : 'auto'}
        lang={def.name.endsWith('_ar') ? 'ar' : undefined}
        placeholder={placeholder}
        value={value}
        autoComplete="off"
        onInput={(e) => onChange(e.currentTarget.value)}
      />
    );
  }
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label class="field__label" for={id}>
        {t(fieldKey(def.name))}
        {def.required && <span class="field__required" aria-hidden="true"> *</span>}
      </label>
      {control}
      {error && (
        <p class="field__error" dir="auto" id={errId} data-testid={`error-${idPrefix}-${def.name}`}>
          {error}
        </p>
      )}
    </div>
  );
}
