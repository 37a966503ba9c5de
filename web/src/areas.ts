import type { Area, AreaLevel, Country } from './api';
import type { Lang, MessageKey } from './i18n';

// Knowledge of the two countries' administrative hierarchies, kept out of the components.
//   Morocco: region (12) → prefecture/province (75) → commune (1,503)
//   Algeria: wilaya (level "province", no parent) → commune (1,541)

export const COUNTRIES: readonly Country[] = ['MA', 'DZ'];

const LEVELS: Record<Country, readonly AreaLevel[]> = {
  MA: ['region', 'province', 'commune'],
  DZ: ['province', 'commune'],
};

export function levelsOf(country: Country): readonly AreaLevel[] {
  return LEVELS[country];
}

export function topLevel(country: Country): AreaLevel {
  return LEVELS[country][0]!;
}

/** The level listed under an area of `level` (undefined for communes, the leaves). */
export function childLevel(country: Country, level: AreaLevel): AreaLevel | undefined {
  const levels = LEVELS[country];
  const i = levels.indexOf(level);
  return i >= 0 ? levels[i + 1] : undefined;
}

export function isLevelOf(country: Country, value: string | null): value is AreaLevel {
  return value !== null && (LEVELS[country] as readonly string[]).includes(value);
}

export function levelKey(country: Country, level: AreaLevel): MessageKey {
  return `level.${country}.${level}` as MessageKey;
}

export function levelsKey(country: Country, level: AreaLevel): MessageKey {
  return `levels.${country}.${level}` as MessageKey;
}

/** The area's name in the interface language: Arabic in ar, French in fr and en. */
export function areaName(area: Pick<Area, 'name_ar' | 'name_fr'>, lang: Lang): string {
  return (lang === 'ar' ? area.name_ar || area.name_fr : area.name_fr || area.name_ar) ?? '';
}

/** The name in the other script, shown beside the main one. */
export function otherName(area: Pick<Area, 'name_ar' | 'name_fr'>, lang: Lang): { text: string; lang: 'ar' | 'fr' } {
  return lang === 'ar' ? { text: area.name_fr, lang: 'fr' } : { text: area.name_ar, lang: 'ar' };
}

export function countryOfCode(code: string | null | undefined): Country | null {
  if (!code) return null;
  if (code.startsWith('DZ')) return 'DZ';
  if (code.startsWith('MA')) return 'MA';
  return null;
}

/**
 * Folds text for a forgiving filter: lower case, no Latin accents, no Arabic diacritics or tatweel,
 * and the usual Arabic letter variants unified (أ إ آ → ا, ة → ه, ى → ي).
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/[-'’_.]/g, ' ')
    .replace(/\s+/g, ' ')
    .toLowerCase()
    .trim();
}

export function matchesFilter(area: Area, folded: string): boolean {
  if (!folded) return true;
  const hay = foldForSearch(`${area.code} ${area.name_fr} ${area.name_ar}`);
  return folded.split(' ').every((word) => hay.includes(word));
}

/** Accepts YYYY-MM-DD only (the API's as_of format). */
export function validDate(value: string | null): string | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? undefined : value;
}

const KINDS = ['prefecture', 'province', 'prefecture_of_arrondissements', 'urban', 'rural', 'wilaya'] as const;

/** The catalogue key for an area's finer type, when it is one we know. */
export function kindKey(kind: string | null | undefined): MessageKey | undefined {
  return kind && (KINDS as readonly string[]).includes(kind) ? (`kind.${kind}` as MessageKey) : undefined;
}
