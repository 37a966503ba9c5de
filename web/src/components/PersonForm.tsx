import { useI18n } from '../i18n';
import { PERSON_FIELD_BY_NAME } from '../registry';
import { FieldInput } from './RegistryFields';
import type { FieldErrors, FormValues } from './RegistryFields';

const MAIN = [
  'relationship', 'given_name_ar', 'family_name_ar', 'given_name_lat', 'family_name_lat', 'sex', 'birth_date',
  'national_id', 'phone', 'marital_status', 'schooling', 'disability_type', 'disability_percent',
];
const MORE = [
  'father_name_ar', 'mother_name_ar', 'birth_commune_code', 'education_level', 'occupation', 'employment_status',
  'social_security_fund', 'social_security_number', 'family_allowances', 'able_to_work', 'in_institution',
];

interface Props {
  idPrefix: string;
  values: FormValues;
  /** Errors by field name. */
  errors: FieldErrors;
  onChange: (name: string, value: string) => void;
  /** Fields not offered (e.g. relationship when it is implied). */
  omit?: readonly string[];
}

/** The fields of one person: the common ones in a grid, the others under "more details". */
export function PersonForm({ idPrefix, values, errors, onChange, omit = [] }: Props) {
  const { t } = useI18n();
  const render = (names: string[]) =>
    names
      .filter((n) => !omit.includes(n))
      .map((n) => {
        const def = PERSON_FIELD_BY_NAME.get(n)!;
        return (
          <FieldInput
            key={n}
            def={def}
            idPrefix={idPrefix}
            value={values[n] ?? ''}
            error={errors[n]}
            noEmpty={n === 'relationship' || n === 'sex'}
            onChange={(v) => onChange(n, v)}
          />
        );
      });
  const moreHasError = MORE.some((n) => errors[n]);
  return (
    <div class="person-form">
      <div class="form-grid">{render(MAIN)}</div>
      <details class="person-form__more" open={moreHasError || MORE.some((n) => values[n])}>
        <summary>{t('form.more_details')}</summary>
        <div class="form-grid">{render(MORE)}</div>
      </details>
    </div>
  );
}

export function emptyPerson(relationship: string): FormValues {
  return { relationship, sex: 'M' };
}
