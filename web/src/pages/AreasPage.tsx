import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import type { Area, AreaDetail, AreaLevel, Country } from '../api';
import {
  COUNTRIES,
  areaName,
  childLevel,
  countryOfCode,
  foldForSearch,
  isLevelOf,
  kindKey,
  levelKey,
  levelsKey,
  levelsOf,
  matchesFilter,
  otherName,
  topLevel,
  validDate,
} from '../areas';
import { DateInput } from '../components/DateInput';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';

const PAGE_SIZE = 100;
const MAX_PAGE = 1000;

/** What the URL says: #/areas?country=MA&as_of=2027-01-01&area=MA-04&level=commune */
interface AreasState {
  country: Country;
  asOf: string | undefined;
  area: string | undefined;
  level: AreaLevel | undefined;
}

function readState(route: Route, defaultCountry: Country): AreasState {
  const p = route.params;
  const area = p.get('area') || undefined;
  const country: Country =
    p.get('country') === 'DZ' || p.get('country') === 'MA'
      ? (p.get('country') as Country)
      : (countryOfCode(area) ?? defaultCountry);
  const level = p.get('level');
  return {
    country,
    asOf: validDate(p.get('as_of')),
    area,
    level: isLevelOf(country, level) ? level : undefined,
  };
}

function areasHref(s: Partial<AreasState> & { country: Country }): string {
  return href('/areas', { country: s.country, as_of: s.asOf, area: s.area, level: s.level });
}

function go(s: Partial<AreasState> & { country: Country }): void {
  navigate('/areas', { country: s.country, as_of: s.asOf, area: s.area, level: s.level });
}

export function AreasPage({ route, defaultCountry }: { route: Route; defaultCountry: Country }) {
  const { t, date } = useI18n();
  const state = readState(route, defaultCountry);
  const { country, asOf, area } = state;

  return (
    <div class="page" data-testid="areas-page">
      <header class="page__header">
        <h1 class="page__title">{t('areas.title')}</h1>
        <p class="page__intro">{t('areas.intro')}</p>
      </header>

      <div class="toolbar" role="group">
        <fieldset class="toolbar__group">
          <legend class="toolbar__label">{t('areas.country')}</legend>
          <div class="segmented">
            {COUNTRIES.map((c) => (
              <a
                key={c}
                class="segmented__item"
                href={areasHref({ country: c, asOf })}
                aria-current={c === country ? 'true' : undefined}
                data-testid={`country-${c}`}
              >
                {t(`country.${c}`)}
              </a>
            ))}
          </div>
        </fieldset>
        <div class="toolbar__group">
          <label class="toolbar__label" for="areas-as-of">
            {t('areas.as_of')}
          </label>
          <div class="toolbar__inline">
            <DateInput
              id="areas-as-of"
              value={asOf ?? ''}
              describedBy="areas-as-of-hint"
              testid="as-of"
              onChange={(iso) => go({ ...state, asOf: iso ? validDate(iso) : undefined })}
            />
            {asOf && (
              <button type="button" class="btn btn--ghost btn--small" onClick={() => go({ ...state, asOf: undefined })}>
                {t('areas.as_of_clear')}
              </button>
            )}
          </div>
          <p class="toolbar__hint" id="areas-as-of-hint">
            {asOf ? t('areas.as_of_active', { date: date(asOf) }) : t('areas.as_of_hint')}
          </p>
        </div>
      </div>

      {area ? (
        <AreaView key={`${area}|${asOf ?? ''}`} state={state} code={area} />
      ) : (
        <CountryView key={`${country}|${asOf ?? ''}|${state.level ?? ''}`} state={state} />
      )}
    </div>
  );
}

function Breadcrumb({ state, chain }: { state: AreasState; chain: Area[] }) {
  const { t, lang } = useI18n();
  return (
    <nav class="breadcrumb" aria-label={t('areas.breadcrumb')} data-testid="breadcrumb">
      <ol class="breadcrumb__list">
        <li class="breadcrumb__item">
          {chain.length === 0 ? (
            <span aria-current="page">{t(`country.${state.country}`)}</span>
          ) : (
            <a href={areasHref({ country: state.country, asOf: state.asOf })}>{t(`country.${state.country}`)}</a>
          )}
        </li>
        {chain.map((a, i) => (
          <li key={a.code} class="breadcrumb__item">
            {i === chain.length - 1 ? (
              <span aria-current="page">{areaName(a, lang)}</span>
            ) : (
              <a href={areasHref({ country: state.country, asOf: state.asOf, area: a.code })}>{areaName(a, lang)}</a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function CountryView({ state }: { state: AreasState }) {
  const { t } = useI18n();
  const level = state.level ?? topLevel(state.country);
  return (
    <>
      <Breadcrumb state={state} chain={[]} />
      <div class="tabs" role="group" aria-label={t('areas.by_level')}>
        {levelsOf(state.country).map((l) => (
          <a
            key={l}
            class="tabs__item"
            href={areasHref({
              country: state.country,
              asOf: state.asOf,
              level: l === topLevel(state.country) ? undefined : l,
            })}
            aria-current={l === level ? 'true' : undefined}
            data-testid={`level-${l}`}
          >
            {t(levelsKey(state.country, l))}
          </a>
        ))}
      </div>
      <AreaList state={state} level={level} parent={undefined} />
    </>
  );
}

function AreaView({ state, code }: { state: AreasState; code: string }) {
  const [detail, setDetail] = useState<AreaDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    api
      .area(code, state.asOf, ctrl.signal)
      .then(setDetail)
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(e);
      });
    return () => ctrl.abort();
  }, [code, state.asOf, attempt]);

  if (error) {
    return (
      <>
        <Breadcrumb state={state} chain={[]} />
        <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />
      </>
    );
  }
  if (!detail) return <Loading />;

  const { area, parents } = detail;
  const next = childLevel(area.country, area.level);
  return (
    <>
      <Breadcrumb state={state} chain={[...parents, area]} />
      <AreaCard area={area} parents={parents} state={state} />
      {next && <AreaList state={state} level={next} parent={area} />}
    </>
  );
}

function AreaCard({ area, parents, state }: { area: Area; parents: Area[]; state: AreasState }) {
  const { t, lang, num, date } = useI18n();
  const other = otherName(area, lang);
  const na = <span class="muted">{t('areas.detail.not_available')}</span>;
  const coord = (v: number) => `${num(v, { minimumFractionDigits: 4, maximumFractionDigits: 5 })}°`;
  return (
    <section class="card area-card" data-testid="area-detail" data-level={area.level} aria-labelledby="area-title">
      <div class="area-card__head">
        <span class="badge">{t(kindKey(area.kind) ?? levelKey(area.country, area.level))}</span>
        <h2 class="area-card__title" id="area-title" data-testid="area-title">
          {areaName(area, lang)}
        </h2>
        <p class="area-card__subtitle">
          <bdi lang={other.lang}>{other.text}</bdi>
        </p>
      </div>
      <dl class="facts">
        <div class="facts__item">
          <dt>{t('areas.detail.code')}</dt>
          <dd>
            <bdi class="code" dir="ltr" data-testid="detail-code">
              {area.code}
            </bdi>
          </dd>
        </div>
        <div class="facts__item">
          <dt>{t('areas.detail.level')}</dt>
          <dd>{t(levelKey(area.country, area.level))}</dd>
        </div>
        {kindKey(area.kind) && area.kind !== 'wilaya' && (
          <div class="facts__item">
            <dt>{t('areas.detail.kind')}</dt>
            <dd data-testid="detail-kind">{t(kindKey(area.kind)!)}</dd>
          </div>
        )}
        <div class="facts__item">
          <dt>{t('areas.detail.name_ar')}</dt>
          <dd>{area.name_ar ? <bdi lang="ar" data-testid="detail-name-ar">{area.name_ar}</bdi> : na}</dd>
        </div>
        <div class="facts__item">
          <dt>{t('areas.detail.name_fr')}</dt>
          <dd>{area.name_fr ? <bdi lang="fr" data-testid="detail-name-fr">{area.name_fr}</bdi> : na}</dd>
        </div>
        <div class="facts__item facts__item--wide">
          <dt>{t('areas.detail.parents')}</dt>
          <dd data-testid="detail-parents">
            {parents.length === 0 ? (
              t(`country.${area.country}`)
            ) : (
              <ol class="chain">
                <li>{t(`country.${area.country}`)}</li>
                {parents.map((p) => (
                  <li key={p.code}>
                    <a href={areasHref({ country: state.country, asOf: state.asOf, area: p.code })}>
                      {areaName(p, lang)}
                    </a>{' '}
                    <span class="muted">
                      ({t(levelKey(p.country, p.level))}
                      {t('common.list_separator')}
                      <bdi dir="ltr">{p.code}</bdi>)
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </dd>
        </div>
        <div class="facts__item">
          <dt>{t('areas.detail.coordinates')}</dt>
          <dd data-testid="detail-coordinates">
            {area.lat !== null && area.lon !== null ? (
              <span class="coords">
                <span class="muted">{t('areas.detail.latitude')}</span>
                <bdi dir="ltr">{coord(area.lat)}</bdi>
                <span class="muted">{t('areas.detail.longitude')}</span>
                <bdi dir="ltr">{coord(area.lon)}</bdi>
              </span>
            ) : (
              na
            )}
          </dd>
        </div>
        <div class="facts__item">
          <dt>{t('areas.detail.population')}</dt>
          <dd data-testid="detail-population">
            {area.population !== null && area.population !== undefined ? num(area.population) : na}
          </dd>
        </div>
        {area.households !== null && area.households !== undefined && (
          <div class="facts__item">
            <dt>{t('areas.detail.households')}</dt>
            <dd>{num(area.households)}</dd>
          </div>
        )}
        {area.valid_from && (
          <div class="facts__item">
            <dt>{t('areas.detail.valid_from')}</dt>
            <dd>{date(area.valid_from)}</dd>
          </div>
        )}
        {area.valid_to && (
          <div class="facts__item">
            <dt>{t('areas.detail.valid_to')}</dt>
            <dd>{date(area.valid_to)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

interface ListState {
  items: Area[];
  total: number;
  loading: boolean;
  error: unknown;
}

/** A paged list of areas (one level, optionally under a parent) with a client-side filter. */
function AreaList({ state, level, parent }: { state: AreasState; level: AreaLevel; parent: Area | undefined }) {
  const { t, lang, num } = useI18n();
  const [list, setList] = useState<ListState>({ items: [], total: 0, loading: true, error: null });
  const [filter, setFilter] = useState('');
  const ctrlRef = useRef<AbortController | null>(null);
  const country = state.country;
  const parentCode = parent?.code;

  const load = useCallback(
    async (offset: number, all: boolean) => {
      ctrlRef.current?.abort();
      const ctrl = new AbortController();
      ctrlRef.current = ctrl;
      setList((s) => ({ ...s, loading: true, error: null }));
      try {
        let items: Area[] = [];
        let total = 0;
        let next = offset;
        for (;;) {
          const page = await api.areas(
            {
              country,
              level,
              ...(parentCode ? { parent: parentCode } : {}),
              ...(state.asOf ? { as_of: state.asOf } : {}),
              limit: all ? MAX_PAGE : PAGE_SIZE,
              offset: next,
            },
            ctrl.signal,
          );
          items = items.concat(page.items);
          total = page.total;
          next += page.items.length;
          if (!all || page.items.length === 0 || next >= total) break;
        }
        if (ctrl.signal.aborted) return;
        setList((s) => ({
          items: offset === 0 ? items : s.items.concat(items),
          total,
          loading: false,
          error: null,
        }));
      } catch (e) {
        if (ctrl.signal.aborted) return;
        setList((s) => ({ ...s, loading: false, error: e }));
      }
    },
    [country, level, parentCode, state.asOf],
  );

  useEffect(() => {
    void load(0, false);
    return () => ctrlRef.current?.abort();
  }, [load]);

  const folded = foldForSearch(filter);
  const shown = useMemo(() => list.items.filter((a) => matchesFilter(a, folded)), [list.items, folded]);
  const hasPopulation = list.items.some((a) => a.population !== null && a.population !== undefined);
  const hasKind = list.items.some((a) => a.kind !== 'wilaya' && kindKey(a.kind) !== undefined);
  const remaining = list.total - list.items.length;
  const headingId = `list-${level}`;
  const open = (a: Area) => go({ country, asOf: state.asOf, area: a.code });

  return (
    <section class="card area-list" aria-labelledby={headingId} data-testid="area-list" data-level={level}>
      <div class="area-list__head">
        <h2 class="area-list__title" id={headingId}>
          {parent
            ? t('areas.detail.children', { levels: t(levelsKey(country, level)) })
            : t(levelsKey(country, level))}
        </h2>
        <p class="area-list__count" aria-live="polite" data-testid="area-count">
          {t('areas.count', { shown: num(list.items.length), total: num(list.total) })}
        </p>
      </div>

      <div class="area-list__filter">
        <label class="visually-hidden" for={`filter-${level}`}>
          {t('areas.filter')}
        </label>
        <input
          id={`filter-${level}`}
          class="input input--search"
          type="search"
          placeholder={`${t('areas.filter')} — ${t('areas.filter_placeholder')}`}
          value={filter}
          autoComplete="off"
          data-testid="area-filter"
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
        {folded && (
          <p class="area-list__hint" aria-live="polite">
            {t('areas.matching', { n: num(shown.length) })}
            {remaining > 0 && <> · {t('areas.filter_partial')}</>}
          </p>
        )}
      </div>

      {list.error !== null && <ErrorNotice error={list.error} onRetry={() => void load(list.items.length, false)} />}

      {list.items.length > 0 && (
        <div class="table-wrap">
          <table class="table table--interactive">
            <thead>
              <tr>
                <th scope="col" class="col-code">
                  {t('areas.col.code')}
                </th>
                <th scope="col">{t('areas.col.name')}</th>
                <th scope="col">{t('areas.col.name_other')}</th>
                {hasKind && <th scope="col">{t('areas.col.kind')}</th>}
                {hasPopulation && (
                  <th scope="col" class="num">
                    {t('areas.col.population')}
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {shown.map((a) => {
                const other = otherName(a, lang);
                return (
                  <tr key={a.code} data-testid="area-row" data-code={a.code} onClick={() => open(a)}>
                    <td class="col-code">
                      <bdi class="code" dir="ltr">
                        {a.code}
                      </bdi>
                    </td>
                    <td>
                      <a
                        href={areasHref({ country, asOf: state.asOf, area: a.code })}
                        onClick={(e) => e.stopPropagation()}
                        data-testid="area-link"
                      >
                        {areaName(a, lang)}
                      </a>
                    </td>
                    <td class="muted">
                      <bdi lang={other.lang}>{other.text}</bdi>
                    </td>
                    {hasKind && <td>{kindKey(a.kind) ? t(kindKey(a.kind)!) : ''}</td>}
                    {hasPopulation && (
                      <td class="num">{a.population !== null && a.population !== undefined ? num(a.population) : ''}</td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {!list.loading && list.error === null && list.items.length === 0 && <p class="empty">{t('areas.empty')}</p>}
      {!list.loading && list.items.length > 0 && shown.length === 0 && <p class="empty">{t('areas.no_match')}</p>}
      {list.loading && <Loading />}

      {!list.loading && remaining > 0 && (
        <div class="area-list__more">
          <button
            type="button"
            class="btn btn--secondary"
            data-testid="load-more"
            onClick={() => void load(list.items.length, false)}
          >
            {t('areas.load_more')}
          </button>
          <button
            type="button"
            class="btn btn--ghost"
            data-testid="load-all"
            onClick={() => void load(list.items.length, true)}
          >
            {t('areas.load_all')}
          </button>
        </div>
      )}
    </section>
  );
}
