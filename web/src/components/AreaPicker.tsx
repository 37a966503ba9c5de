import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Area, AreaLevel, Country } from '../api';
import { areaName, countryOfCode, levelKey, levelsOf, topLevel } from '../areas';
import { useI18n } from '../i18n';

// Cascading choice of an area: region → province → commune in Morocco, wilaya → commune in Algeria.
// Levels at or above the user's own scope are fixed (shown, not chosen). The value is the deepest
// code chosen, or '' for "all"; with `communeOnly`, only a commune counts as a value.

interface Props {
  idPrefix: string;
  value: string;
  onChange: (code: string) => void;
  /** The user's scope (area code), or null for national users. */
  scope: string | null;
  communeOnly?: boolean;
  error?: string | undefined;
  label: string;
}

const MAX = 1000;
const cache = new Map<string, Promise<Area[]>>();

function children(country: Country, level: AreaLevel, parent: string | undefined): Promise<Area[]> {
  const key = `${country}|${level}|${parent ?? ''}`;
  let p = cache.get(key);
  if (!p) {
    p = api
      .areas({ country, level, ...(parent ? { parent } : {}), limit: MAX })
      .then((page) => page.items)
      .catch((e) => {
        cache.delete(key);
        throw e;
      });
    cache.set(key, p);
  }
  return p;
}

/** The chain of codes from the top level down to `code` (the code's ancestors and itself). */
function chainOf(code: string): string[] {
  // MA-03.231.01.0 → [MA-03, MA-03.231, MA-03.231.01.0]
  const parts = code.split('.');
  if (code.startsWith('MA')) {
    if (parts.length >= 3) return [parts[0]!, `${parts[0]}.${parts[1]}`, code];
    if (parts.length === 2) return [parts[0]!, code];
    return [code];
  }
  // DZ-1607 (commune) is under DZ-16 (wilaya).
  return code.length > 5 ? [code.slice(0, 5), code] : [code];
}

export function AreaPicker({ idPrefix, value, onChange, scope, communeOnly, error, label }: Props) {
  const { t, lang } = useI18n();
  const country: Country = countryOfCode(value) ?? countryOfCode(scope) ?? 'MA';
  const scopeChain = scope ? chainOf(scope) : [];
  const [chain, setChain] = useState<string[]>(() => (value ? chainOf(value) : scopeChain));
  const [options, setOptions] = useState<(Area[] | null)[]>([]);
  const [fixed, setFixed] = useState<Record<string, Area>>({});
  const [countryChoice, setCountryChoice] = useState<Country>(country);

  // Follow the value when it changes from outside (URL, reset).
  useEffect(() => {
    const deepest = chain[chain.length - 1] ?? '';
    if (value && value !== deepest) setChain(chainOf(value));
    else if (!value && !communeOnly && chain.length > scopeChain.length) setChain(scopeChain);
  }, [value]);

  // Names of the fixed levels (the user's scope).
  useEffect(() => {
    if (!scope) return;
    api
      .area(scope)
      .then((d) => {
        const m: Record<string, Area> = {};
        for (const a of [...d.parents, d.area]) m[a.code] = a;
        setFixed(m);
      })
      .catch(() => {});
  }, [scope]);

  const activeCountry = scope ? country : countryChoice;
  const activeLevels = levelsOf(activeCountry);

  // Options of each level below the scope: children of the level above.
  useEffect(() => {
    let cancelled = false;
    const next: (Area[] | null)[] = activeLevels.map(() => null);
    setOptions(next.slice());
    activeLevels.forEach((level, i) => {
      if (i < scopeChain.length) return;
      const parent = i === 0 ? undefined : chain[i - 1];
      if (i > 0 && !parent) return;
      children(activeCountry, level, parent)
        .then((items) => {
          if (cancelled) return;
          setOptions((prev) => {
            const copy = prev.slice();
            copy[i] = items;
            return copy;
          });
        })
        .catch(() => {});
    });
    return () => {
      cancelled = true;
    };
  }, [activeCountry, chain.join('|')]);

  // Search by name on the server (Arabic or French, any case or accents): "fes" or "فاس" finds Fès.
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Area[] | null>(null);
  useEffect(() => {
    const q = search.trim();
    if (q.length < 2) {
      setFound(null);
      return undefined;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api
        .areas({ q, level: 'commune', ...(scope ? { country: countryOfCode(scope) ?? 'MA' } : {}), limit: 30 }, ctrl.signal)
        .then((page) => setFound(page.items.filter((a) => !scope || a.code.startsWith(scope))))
        .catch(() => !ctrl.signal.aborted && setFound([]));
    }, 250);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [search, scope]);
  const pick = (a: Area) => {
    if (!scope) setCountryChoice(a.country);
    setChain(chainOf(a.code));
    setSearch('');
    setFound(null);
    onChange(a.code);
  };

  const choose = (i: number, code: string) => {
    const next = chain.slice(0, i);
    if (code) next.push(code);
    setChain(next);
    const deepest = next[next.length - 1] ?? '';
    const isCommune = next.length === activeLevels.length && code !== '';
    onChange(communeOnly ? (isCommune ? deepest : '') : next.length > scopeChain.length || !scope ? deepest : scope ?? '');
  };

  return (
    <fieldset class={`area-picker${error ? ' field--invalid' : ''}`} data-testid={`area-picker-${idPrefix}`}>
      <legend class="field__label">{label}</legend>
      <div class="area-picker__search">
        <label class="area-picker__level" for={`${idPrefix}-search`}>
          {t('picker.search')}
        </label>
        <input
          id={`${idPrefix}-search`}
          class="input input--search"
          type="search"
          dir="auto"
          autoComplete="off"
          placeholder={t('picker.search_placeholder')}
          value={search}
          data-testid={`${idPrefix}-search`}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
        {found && (
          <ul class="area-picker__found" data-testid={`${idPrefix}-found`}>
            {found.length === 0 && <li class="muted">{t('picker.no_match')}</li>}
            {found.map((a) => (
              <li key={a.code}>
                <button type="button" class="btn btn--ghost btn--small" data-code={a.code} onClick={() => pick(a)}>
                  <bdi>{areaName(a, lang)}</bdi> <bdi class="code muted" dir="ltr">{a.code}</bdi>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="area-picker__levels">
        {!scope && (
          <div class="field">
            <label class="area-picker__level" for={`${idPrefix}-country`}>
              {t('areas.country')}
            </label>
            <select
              id={`${idPrefix}-country`}
              class="input"
              value={activeCountry}
              onChange={(e) => {
                setCountryChoice(e.currentTarget.value as Country);
                setChain([]);
                onChange('');
              }}
            >
              {(['MA', 'DZ'] as const).map((c) => (
                <option key={c} value={c}>
                  {t(`country.${c}`)}
                </option>
              ))}
            </select>
          </div>
        )}
        {activeLevels.map((level, i) => {
          const id = `${idPrefix}-${level}`;
          if (i < scopeChain.length) {
            const code = scopeChain[i]!;
            const a = fixed[code];
            return (
              <div class="field" key={level}>
                <span class="area-picker__level">{t(levelKey(activeCountry, level))}</span>
                <span class="area-picker__fixed">
                  {a ? areaName(a, lang) : ''} <bdi class="code muted" dir="ltr">{code}</bdi>
                </span>
              </div>
            );
          }
          const opts = options[i];
          const disabled = i > 0 && !chain[i - 1];
          return (
            <div class="field" key={level}>
              <label class="area-picker__level" for={id}>
                {t(levelKey(activeCountry, level))}
              </label>
              <select
                id={id}
                class="input"
                data-testid={`${idPrefix}-${level}`}
                disabled={disabled || !opts}
                aria-invalid={error && i === activeLevels.length - 1 ? 'true' : undefined}
                value={chain[i] ?? ''}
                onChange={(e) => choose(i, e.currentTarget.value)}
              >
                <option value="">{communeOnly && i === activeLevels.length - 1 ? t('picker.choose') : t('picker.all')}</option>
                {(opts ?? []).map((a) => (
                  <option key={a.code} value={a.code}>
                    {areaName(a, lang)} · {a.code}
                  </option>
                ))}
              </select>
            </div>
          );
        })}
      </div>
      {error && (
        <p class="field__error" data-testid={`error-${idPrefix}-area`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The name of an area code, fetched once per code (for tables). */
const nameCache = new Map<string, Promise<Area | null>>();
export function useAreaName(code: string | null | undefined): Area | null {
  const [area, setArea] = useState<Area | null>(null);
  useEffect(() => {
    setArea(null);
    if (!code) return;
    let p = nameCache.get(code);
    if (!p) {
      p = api
        .area(code)
        .then((d) => d.area)
        .catch(() => null);
      nameCache.set(code, p);
    }
    let live = true;
    void p.then((a) => live && setArea(a));
    return () => {
      live = false;
    };
  }, [code]);
  return area;
}

/** The top-level areas of `country` (Morocco's regions, Algeria's wilayas) by code, for naming what a
 *  result lists by region code (a cycle's totals, a targeting simulation): read once and shared with the
 *  picker's own list; empty until they come, or when they cannot be read (codes are shown then). */
export function useRegions(country: Country | null): Map<string, Area> {
  const [regions, setRegions] = useState<Map<string, Area>>(() => new Map());
  useEffect(() => {
    setRegions(new Map());
    if (!country) return undefined;
    let live = true;
    children(country, topLevel(country), undefined).then(
      (items) => live && setRegions(new Map(items.map((a) => [a.code, a]))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [country]);
  return regions;
}

/** An area's name in the page's language, then its code (muted); the code alone while the name is not
 *  known. */
export function AreaText({ code, area }: { code: string | null | undefined; area: Area | null | undefined }) {
  const { lang, t } = useI18n();
  if (!code) return <>{t('common.none')}</>;
  return (
    <span class="area-label">
      {area ? <span>{areaName(area, lang)} </span> : null}
      <bdi class="code muted" dir="ltr">
        {code}
      </bdi>
    </span>
  );
}

/** An area code named (fetched once per code): for a table's communes. */
export function AreaLabel({ code }: { code: string | null | undefined }) {
  return <AreaText code={code} area={useAreaName(code)} />;
}
