import type { Household, Person } from './api';
import type { I18n, Lang, MessageKey } from './i18n';

// Knowledge of the registry's data, kept out of the components: the controlled vocabularies
// (src/registry_model/vocabulary.h), how household variables are grouped on screen, what a search box
// holds (a name, a national ID or a phone number), and who may do what.

export const VOCAB = {
  relationship: ['head', 'spouse', 'child', 'grandchild', 'parent', 'sibling', 'other'],
  sex: ['M', 'F'],
  marital_status: ['single', 'married', 'divorced', 'widowed'],
  schooling: ['not_applicable', 'none', 'primary', 'lower_secondary', 'upper_secondary', 'higher', 'out_of_school'],
  education_level: ['none', 'primary', 'lower_secondary', 'upper_secondary', 'higher'],
  disability_type: ['none', 'motor', 'visual', 'hearing', 'speech', 'intellectual', 'psychological', 'multiple', 'chronic_illness'],
  employment_status: ['not_applicable', 'employed', 'self_employed', 'unemployed', 'homemaker', 'student', 'retired', 'inactive'],
  occupation: [
    'farmer', 'agricultural_worker', 'herder', 'fisher', 'construction_worker', 'factory_worker', 'artisan', 'trader',
    'street_vendor', 'driver', 'domestic_worker', 'service_worker', 'private_employee', 'civil_servant', 'teacher',
    'health_worker', 'security_forces', 'manager_professional',
  ],
  social_security_fund: ['none', 'cnss', 'cnops', 'cmr', 'cnas', 'casnos', 'cnr'],
  dwelling_type: ['villa', 'apartment', 'modern_house', 'traditional_house', 'rural_house', 'shack', 'other'],
  tenure: ['owner', 'renter', 'free_lodging', 'other'],
  wall_material: ['concrete_brick', 'stone', 'earth', 'wood_sheet_metal', 'other'],
  roof_material: ['concrete_slab', 'tiles', 'sheet_metal', 'wood_reed', 'earth', 'other'],
  water_source: ['piped_inside', 'public_standpipe', 'well', 'spring_river', 'tanker_vendor'],
  electricity: ['grid', 'solar', 'none'],
  sanitation: ['public_sewer', 'septic_tank', 'pit_latrine', 'none'],
  registration_channel: ['online', 'service_centre'],
  currency: ['MAD', 'DZD'],
  status: ['active', 'exited', 'merged'],
  exit_reason: ['death', 'emigration', 'left_household', 'merged', 'duplicate', 'other'],
  remove_reason: ['death', 'emigration', 'left_household', 'other'],
} as const;

export type VocabName = keyof typeof VOCAB;

export type FieldKind = 'text' | 'int' | 'decimal' | 'bool' | 'date' | 'birth_date' | 'enum' | 'area' | 'national_id' | 'phone';

export interface FieldDef {
  name: string;
  kind: FieldKind;
  vocab?: VocabName;
  /** Money spent per month, in the household's currency. */
  money?: boolean;
  /** Set by the registry, never by a form. */
  system?: boolean;
  required?: boolean;
}

const f = (name: string, kind: FieldKind, extra: Partial<FieldDef> = {}): FieldDef => ({ name, kind, ...extra });
const e = (name: string, vocab: VocabName = name as VocabName, extra: Partial<FieldDef> = {}): FieldDef =>
  f(name, 'enum', { vocab, ...extra });

/** Household variables, grouped as on the household page and in the forms. */
export const HOUSEHOLD_GROUPS: readonly { id: string; fields: readonly FieldDef[] }[] = [
  { id: 'location', fields: [f('commune_code', 'area', { required: true }), f('urban', 'bool', { required: true }), f('address', 'text'), f('gps_lat', 'decimal'), f('gps_lon', 'decimal')] },
  { id: 'dwelling', fields: [e('dwelling_type'), e('tenure'), f('rooms', 'int'), e('wall_material'), e('roof_material')] },
  { id: 'utilities', fields: [e('water_source'), e('electricity'), e('sanitation')] },
  {
    id: 'spending',
    fields: [
      e('currency'),
      f('spend_electricity', 'int', { money: true }),
      f('spend_water', 'int', { money: true }),
      f('spend_butane', 'int', { money: true }),
      f('spend_telephone', 'int', { money: true }),
    ],
  },
  {
    id: 'assets',
    fields: [
      f('has_refrigerator', 'bool'),
      f('has_television', 'bool'),
      f('has_washing_machine', 'bool'),
      f('has_car', 'bool'),
      f('has_motorcycle', 'bool'),
      f('livestock_units', 'int'),
      f('land_hectares', 'decimal'),
    ],
  },
  { id: 'registration', fields: [f('ref', 'text', { system: true }), f('source_ref', 'text'), e('registration_channel'), f('registration_date', 'date')] },
  { id: 'status', fields: [e('status', 'status', { system: true }), e('exit_reason', 'exit_reason', { system: true }), f('version', 'int', { system: true })] },
];

export const HOUSEHOLD_FIELDS: readonly FieldDef[] = HOUSEHOLD_GROUPS.flatMap((g) => g.fields);

/** Person fields in form order. */
export const PERSON_FIELDS: readonly FieldDef[] = [
  e('relationship', 'relationship', { required: true }),
  f('given_name_ar', 'text'),
  f('family_name_ar', 'text'),
  f('given_name_lat', 'text'),
  f('family_name_lat', 'text'),
  f('father_name_ar', 'text'),
  f('mother_name_ar', 'text'),
  e('sex', 'sex', { required: true }),
  f('birth_date', 'birth_date', { required: true }),
  f('birth_commune_code', 'area'),
  f('national_id', 'national_id'),
  f('phone', 'phone'),
  e('marital_status'),
  e('schooling'),
  e('education_level'),
  e('disability_type'),
  f('disability_percent', 'int'),
  e('occupation'),
  e('employment_status'),
  e('social_security_fund'),
  f('social_security_number', 'text'),
  f('family_allowances', 'bool'),
  f('able_to_work', 'bool'),
  f('in_institution', 'bool'),
];

export const PERSON_FIELD_BY_NAME = new Map(PERSON_FIELDS.map((d) => [d.name, d]));
export const HOUSEHOLD_FIELD_BY_NAME = new Map(HOUSEHOLD_FIELDS.map((d) => [d.name, d]));

/** Catalogue key of an enumerated value: v.<vocabulary>.<value>. */
export function vocabKey(vocab: VocabName, value: string): MessageKey {
  return `v.${vocab}.${value}` as MessageKey;
}

export function fieldKey(name: string): MessageKey {
  return `field.${name}` as MessageKey;
}

/** A value as text for the reader: translated vocabularies, yes/no, numbers, dates; null → "—". */
export function formatValue(i18n: I18n, def: FieldDef | undefined, value: unknown, currency?: string | null): string {
  const { t, num, date } = i18n;
  if (value === null || value === undefined || value === '') return t('common.none');
  if (!def) return typeof value === 'object' ? JSON.stringify(value) : String(value);
  switch (def.kind) {
    case 'bool':
      return value === true || value === 1 || value === '1' ? t('common.yes') : t('common.no');
    case 'enum':
      return def.vocab && (VOCAB[def.vocab] as readonly string[]).includes(String(value)) ? t(vocabKey(def.vocab, String(value))) : String(value);
    case 'int':
    case 'decimal':
      if (typeof value !== 'number') return String(value);
      if (def.money && currency) return num(value, { style: 'currency', currency, maximumFractionDigits: 0 });
      return num(value);
    case 'date':
      return date(String(value));
    case 'birth_date':
      return /^\d{4}$/.test(String(value)) ? String(value) : date(String(value));
    default:
      return String(value);
  }
}

/** Full name in one script, or '' when the person has none in it. */
export function nameIn(p: Partial<Person>, script: 'ar' | 'lat'): string {
  const given = (script === 'ar' ? p.given_name_ar : p.given_name_lat) ?? '';
  const family = (script === 'ar' ? p.family_name_ar : p.family_name_lat) ?? '';
  return `${given} ${family}`.trim();
}

/** The name to show first: Arabic in ar, Latin otherwise, falling back on the other script. */
export function displayName(p: Partial<Person>, lang: Lang): string {
  const ar = nameIn(p, 'ar');
  const lat = nameIn(p, 'lat');
  return lang === 'ar' ? ar || lat : lat || ar;
}

/** Age in whole years on `on` (today by default), from YYYY-MM-DD or YYYY; null when unknown. */
export function ageOf(birth: string | null | undefined, on: Date = new Date()): number | null {
  if (!birth) return null;
  const m = /^(\d{4})(?:-(\d{2})-(\d{2}))?$/.exec(birth);
  if (!m) return null;
  const y = Number(m[1]);
  let age = on.getUTCFullYear() - y;
  if (m[2]) {
    const month = Number(m[2]);
    const day = Number(m[3]);
    const before = on.getUTCMonth() + 1 < month || (on.getUTCMonth() + 1 === month && on.getUTCDate() < day);
    if (before) age -= 1;
  }
  return age >= 0 ? age : null;
}

export function headOf(h: Household): Person | undefined {
  return h.members.find((m) => m.relationship === 'head' && m.status === 'active') ?? h.members.find((m) => m.relationship === 'head');
}

// ---------------------------------------------------------------------------------------------------
// Search box: what was typed.

export type QueryMode = 'name' | 'national_id' | 'phone' | 'empty';

/**
 * Moroccan phone numbers: +212 / 00212 / 0 followed by 5, 6 or 7 and eight digits; Algerian: +213 /
 * 00213 / 0 followed by 5, 6 or 7 and eight digits. National IDs: Moroccan CIN (one or two letters and
 * up to 7 digits) or Algerian NIN (18 digits); any other run of digits is taken as an ID too.
 */
export function detectQuery(raw: string): { mode: QueryMode; value: string } {
  const text = raw.trim();
  if (!text) return { mode: 'empty', value: '' };
  const compact = text.replace(/[\s\-./()]/g, '');
  if (/^(\+|00)\d{8,15}$/.test(compact) || /^0[5-7]\d{8}$/.test(compact)) {
    return { mode: 'phone', value: compact.startsWith('00') ? `+${compact.slice(2)}` : compact };
  }
  if (/^[A-Za-z]{1,2}\d{1,8}$/.test(compact) || /^\d+$/.test(compact)) {
    return { mode: 'national_id', value: compact.toUpperCase() };
  }
  return { mode: 'name', value: text };
}

// ---------------------------------------------------------------------------------------------------
// Roles (the server enforces the same rules; this only decides what to offer).

const PROPOSE = ['admin', 'regional_coordinator', 'social_worker', 'data_entry'];
const APPROVE = ['admin', 'regional_coordinator'];
const EXPORT = ['admin', 'regional_coordinator'];

export const canPropose = (roles: readonly string[]) => roles.some((r) => PROPOSE.includes(r));
export const canApprove = (roles: readonly string[]) => roles.some((r) => APPROVE.includes(r));
export const canExport = (roles: readonly string[]) => roles.some((r) => EXPORT.includes(r));

/** Maps the server's error field ("payload.members[1].birth_date") to a form path ("members.1.birth_date"). */
export function formPath(field: string | null): string | null {
  if (!field) return null;
  return field
    .replace(/^payload\./, '')
    .replace(/\[(\d+)\]/g, '.$1');
}
