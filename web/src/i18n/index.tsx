import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useCallback, useContext, useMemo, useState } from 'preact/hooks';
import { setApiLanguage } from '../api/client';
import { ar } from './ar';
import type { Catalog, MessageKey as UiKey } from './ar';
import { en } from './en';
import { fr } from './fr';
// The server's catalogues (error reasons, field names, stored summaries), imported as they are: a
// server code renders through the same `t` as the page's own words, in the page's language.
import serverAr from '../../../src/i18n/messages/ar.json';
import serverEn from '../../../src/i18n/messages/en.json';
import serverFr from '../../../src/i18n/messages/fr.json';

/** A code of the server's catalogue (src/i18n/messages/*.json), e.g. "field.required". */
export type ServerCode = keyof typeof serverEn;
/** Every key `t` accepts: the page's own words and the server's codes. */
export type MessageKey = UiKey | ServerCode;

// The type checker fails the build when ar or fr lacks a code that en has (and i18n_test fails when
// the server's sources use a code that en lacks), so no server code reaches the page without its text.
const SERVER: Record<'ar' | 'fr' | 'en', Record<ServerCode, string>> = { ar: serverAr, fr: serverFr, en: serverEn };

export type Lang = 'ar' | 'fr' | 'en';

export interface LangInfo {
  code: Lang;
  /** The language's name written in that language (shown in the switch). */
  endonym: string;
  dir: 'rtl' | 'ltr';
  /** BCP 47 tag given to Intl for numbers and dates (Western digits are the norm in the Maghreb). */
  intl: string;
}

export const LANGS: readonly LangInfo[] = [
  { code: 'ar', endonym: 'العربية', dir: 'rtl', intl: 'ar-MA-u-nu-latn' },
  { code: 'fr', endonym: 'Français', dir: 'ltr', intl: 'fr-FR' },
  { code: 'en', endonym: 'English', dir: 'ltr', intl: 'en-GB' },
];

export const DEFAULT_LANG: Lang = 'ar';
const STORAGE_KEY = 'sanad.lang';
const CATALOGS: Record<Lang, Catalog> = { ar, fr, en };

/** The text of `key` in `lang`: the page's catalogue first, then the server's; undefined when neither has it. */
export function lookup(lang: Lang, key: string): string | undefined {
  return (CATALOGS[lang] as Record<string, string>)[key] ?? (SERVER[lang] as Record<string, string>)[key];
}

/** Whether the catalogues have a text for `key` (a reason the server sent, a field name...). Every
 *  language has the same keys (the type checker sees to it), so one language answers for all. */
export function hasText(key: string): boolean {
  return lookup('en', key) !== undefined;
}

export function langInfo(lang: Lang): LangInfo {
  return LANGS.find((l) => l.code === lang) ?? LANGS[0]!;
}

function isLang(value: unknown): value is Lang {
  return value === 'ar' || value === 'fr' || value === 'en';
}

/** The remembered choice, or Arabic. */
export function loadLang(): Lang {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // Storage may be disabled (privacy settings): fall back to the default.
  }
  return DEFAULT_LANG;
}

function saveLang(lang: Lang): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, but the page still switches.
  }
}

/** Sets <html lang dir> and the document title; called before the first render and on every switch. */
export function applyLang(lang: Lang): void {
  const info = langInfo(lang);
  const root = document.documentElement;
  root.lang = lang;
  root.dir = info.dir;
  document.title = `${CATALOGS[lang]['app.name']} · ${CATALOGS[lang]['app.tagline']}`;
}

export type Params = Record<string, string | number>;

export interface I18n {
  lang: Lang;
  dir: 'rtl' | 'ltr';
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Params) => string;
  /** Integer or decimal in the locale's digits and separators. */
  num: (value: number, options?: Intl.NumberFormatOptions) => string;
  /** A calendar date given as YYYY-MM-DD (or a full ISO timestamp), in the locale's long form. */
  date: (iso: string) => string;
  /** A timestamp (ISO 8601) as date and time, in the browser's time zone. */
  dateTime: (iso: string) => string;
  /** A delay in seconds as words ("5 minutes", "٣٠ ثانية"...), rounded up to minutes from two minutes on. */
  duration: (seconds: number) => string;
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text = lookup(lang, key) ?? lookup(DEFAULT_LANG, key) ?? key;
  if (!params) return text;
  // {name} is the value; {name:code} names a field or a kind: rendered through `<name>_name.<value>`
  // when a catalogue has it, as the server does (src/i18n/catalogue.cpp); {name:decimal} and {name:money}
  // are numbers written as the server writes them (src/i18n/number_format.h); {name:fields} is a list
  // "a, b" of fields, each by its label, joined with the language's comma; {n:plural:one=…;other=…} a
  // count's form.
  return text.replace(/\{(\w+)(?::(code|decimal|money|fields|plural:[^}]*))?\}/g, (whole, name: string, kind?: string) => {
    if (!(name in params)) return whole;
    const value = String(params[name]);
    // A registry field the server names ({field:code} = "rooms") has its label in the page's catalogue.
    if (kind === 'code') return lookup(lang, `${name}_name.${value}`) ?? (name === 'field' ? lookup(lang, `field.${value}`) : undefined) ?? value;
    if (kind === 'decimal' || kind === 'money') return isolate(lang, numberText(lang, kind, value, params['currency']));
    if (kind?.startsWith('plural:')) return pluralForm(lang, kind.slice('plural:'.length), value);
    if (kind === 'fields') {
      return value
        .split(', ')
        .map((f) => lookup(lang, `field_name.${f}`) ?? isolate(lang, f))
        .join(langInfo(lang).dir === 'rtl' ? '\u060c ' : ', ');
    }
    return isolate(lang, value);
  });
}

// A count's form among "one=# ligne;other=# lignes" by the language's plural rules (Arabic has six), its
// value where "#" is; the server picks the same (src/i18n/catalogue.cpp). The value may come formatted
// ("1 234"): its digits are the count.
function pluralForm(lang: Lang, forms: string, value: string): string {
  const whole = /^-?[\d\s.,\u00a0\u202f]+$/.test(value) ? Number(value.replace(/[^\d-]/g, '')) : NaN;
  const category = Number.isInteger(whole) ? cached(`plural/${lang}`, () => new Intl.PluralRules(langInfo(lang).intl)).select(whole) : 'other';
  const table = new Map(
    forms.split(';').map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] as const),
  );
  return (table.get(category) ?? table.get('other') ?? '#').replace(/#/g, isolate(lang, value));
}

// An index to at most 7 decimals (the decrees' thresholds have up to 7), an amount in minor units as
// money in the text's `currency`; anything that is not a plain number is shown as it is.
function numberText(lang: Lang, kind: 'decimal' | 'money', value: string, currency: unknown): string {
  if (!(kind === 'decimal' ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/).test(value)) return value;
  const intl = langInfo(lang).intl;
  if (kind === 'decimal') return cached(`decimal/${lang}`, () => new Intl.NumberFormat(intl, { maximumFractionDigits: 7 })).format(Number(value));
  const code = typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : '';
  const money: Intl.NumberFormatOptions = { minimumFractionDigits: 2, maximumFractionDigits: 2, ...(code ? { style: 'currency', currency: code } : {}) };
  return cached(`money/${lang}/${code}`, () => new Intl.NumberFormat(intl, money)).format(Number(value) / 100);
}

// Intl objects are costly to build and are asked for once per placeholder of every text rendered: one of
// each per language (and currency), kept.
const intlObjects = new Map<string, Intl.NumberFormat | Intl.PluralRules>();
function cached<T extends Intl.NumberFormat | Intl.PluralRules>(key: string, make: () => T): T {
  let made = intlObjects.get(key) as T | undefined;
  if (!made) {
    made = make();
    intlObjects.set(key, made);
  }
  return made;
}

// A value with Latin letters or digits inside a right-to-left sentence (a reference "H000000012", an
// address "249 Rue 87", a period "2026-12", a date "2026-13-45", a number) is isolated (U+2068 … U+2069),
// so that the bidirectional algorithm neither reorders it nor the Arabic around it: digits after an
// Arabic letter take the sentence's direction, and "النتائج لشهر 2026-12" read 12-2026. A value the caller
// isolated already is left as it is.
function isolate(lang: Lang, value: string): string {
  if (langInfo(lang).dir !== 'rtl' || value.startsWith('\u2068') || !/[A-Za-z0-9]/.test(value)) return value;
  return `\u2068${value}\u2069`;
}

function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  const info = langInfo(lang);
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const num = (value: number, options?: Intl.NumberFormatOptions): string => {
    const cacheKey = options ? JSON.stringify(options) : '';
    let f = numberFormats.get(cacheKey);
    if (!f) {
      f = new Intl.NumberFormat(info.intl, options);
      numberFormats.set(cacheKey, f);
    }
    return f.format(value);
  };
  const dateFormat = new Intl.DateTimeFormat(info.intl, { dateStyle: 'long', timeZone: 'UTC' });
  const date = (iso: string): string => {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso;
    const d = new Date(day);
    return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
  };
  const dateTimeFormat = new Intl.DateTimeFormat(info.intl, { dateStyle: 'medium', timeStyle: 'short' });
  const dateTime = (iso: string): string => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
  };
  const duration = (seconds: number): string => {
    const s = Math.max(0, Math.ceil(seconds));
    if (s < 120) return num(s, { style: 'unit', unit: 'second', unitDisplay: 'long' });
    if (s < 3600) return num(Math.ceil(s / 60), { style: 'unit', unit: 'minute', unitDisplay: 'long' });
    return num(Math.ceil(s / 3600), { style: 'unit', unit: 'hour', unitDisplay: 'long' });
  };
  return {
    lang,
    dir: info.dir,
    setLang,
    t: (key, params) => translate(lang, key, params),
    num,
    date,
    dateTime,
    duration,
  };
}

const I18nContext = createContext<I18n>(makeI18n(DEFAULT_LANG, () => {}));

export function I18nProvider({ children }: { children: ComponentChildren }) {
  // The API is asked in the page's language from the moment it is chosen, before anything renders in
  // it: a page's effects run before its parents', so a language set in App's effect came after the
  // pages had asked their data again, in the language before.
  const [lang, setLangState] = useState<Lang>(() => {
    const initial = loadLang();
    applyLang(initial);
    setApiLanguage(initial);
    return initial;
  });
  const setLang = useCallback((next: Lang) => {
    saveLang(next);
    applyLang(next);
    setApiLanguage(next);
    setLangState(next);
  }, []);
  const value = useMemo(() => makeI18n(lang, setLang), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
