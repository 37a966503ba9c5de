import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, PERSON_SORTS, registry } from '../api';
import type { ListPage, Person, PersonQuery, User } from '../api';
import { AreaLabel, AreaPicker } from '../components/AreaPicker';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { ListPager } from '../components/Pager';
import { SortHeader } from '../components/SortHeader';
import { listParams, readListState } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { canExport, canPropose, detectQuery, formatValue, nameIn, vocabKey, PERSON_FIELD_BY_NAME } from '../registry';
import { href, navigate } from '../router';
import type { Route } from '../router';

const DEFAULT_PAGE_SIZE = 25;

/** #/registry?q=…&area=…&inactive=1&page=2&size=50&sort=-birth_date — the search is in the URL, so it
 *  can be bookmarked. */
function readState(route: Route) {
  const p = route.params;
  return { q: p.get('q') ?? '', area: p.get('area') ?? '', inactive: p.get('inactive') === '1', ...readListState(p, PERSON_SORTS, DEFAULT_PAGE_SIZE) };
}

type State = ReturnType<typeof readState>;

function go(s: State): void {
  navigate('/registry', {
    q: s.q || undefined,
    area: s.area || undefined,
    inactive: s.inactive ? '1' : undefined,
    ...listParams(s, DEFAULT_PAGE_SIZE),
  });
}

function toQuery(s: State): PersonQuery | null {
  const d = detectQuery(s.q);
  if (d.mode === 'empty' && !s.area) return null;
  const q: PersonQuery = { limit: s.size, offset: (s.page - 1) * s.size };
  if (d.mode === 'name') q.q = d.value;
  if (d.mode === 'national_id') q.national_id = d.value;
  if (d.mode === 'phone') q.phone = d.value;
  if (s.area) q.area = s.area;
  if (s.inactive) q.include_inactive = '1';
  if (s.sort) q.sort = s.sort;
  return q;
}

const MODE_KEYS: Record<string, MessageKey> = {
  name: 'search.mode.name',
  national_id: 'search.mode.national_id',
  phone: 'search.mode.phone',
};

export function SearchPage({ route, user }: { route: Route; user: User }) {
  const { t, num } = useI18n();
  const state = readState(route);
  const [text, setText] = useState(state.q);
  const [area, setArea] = useState(state.area);
  const [inactive, setInactive] = useState(state.inactive);
  const [result, setResult] = useState<ListPage<Person> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const query = toQuery(state);
  const queryKey = JSON.stringify(query);

  // The form follows the URL only when the URL changes (back, a link, a new search): not just after
  // mounting, when it would overwrite what the user has already started typing.
  const shown = useRef({ q: state.q, area: state.area, inactive: state.inactive });
  useEffect(() => {
    const last = shown.current;
    if (last.q !== state.q) setText(state.q);
    if (last.area !== state.area) setArea(state.area);
    if (last.inactive !== state.inactive) setInactive(state.inactive);
    shown.current = { q: state.q, area: state.area, inactive: state.inactive };
  }, [state.q, state.area, state.inactive]);

  useEffect(() => {
    setError(null);
    if (!query) {
      setResult(null);
      return undefined;
    }
    const ctrl = new AbortController();
    setLoading(true);
    registry
      .persons(query, ctrl.signal)
      .then((page) => {
        setResult(page);
        setLoading(false);
      })
      .catch((e) => {
        if (ctrl.signal.aborted) return;
        setError(e);
        setResult(null);
        setLoading(false);
      });
    return () => ctrl.abort();
  }, [queryKey]);

  const detected = detectQuery(text);
  const submit = (e: Event) => {
    e.preventDefault();
    go({ ...state, q: text.trim(), area, inactive, page: 1 });
  };
  const total = result?.total ?? 0;
  const exact = result?.total_exact !== false;
  const first = (state.page - 1) * state.size;
  const indexDown = error instanceof ApiError && error.status === 503 && detectQuery(state.q).mode === 'name';

  return (
    <div class="page" data-testid="search-page">
      <header class="page__header page__header--actions">
        <div>
          <h1 class="page__title">{t('search.title')}</h1>
          <p class="page__intro">{t('search.intro')}</p>
        </div>
        {canPropose(user.roles) && (
          <a class="btn btn--primary" href={href('/households/new')} data-testid="new-household">
            {t('household.new')}
          </a>
        )}
      </header>

      <form class="toolbar search-form" role="search" onSubmit={submit}>
        <div class="toolbar__group search-form__query">
          <label class="toolbar__label" for="search-q">
            {t('search.label')}
          </label>
          <div class="toolbar__inline">
            <input
              id="search-q"
              class="input input--search"
              type="search"
              value={text}
              placeholder={t('search.placeholder')}
              autoComplete="off"
              dir="auto"
              data-testid="search-input"
              aria-describedby="search-mode"
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <button type="submit" class="btn btn--primary" data-testid="search-submit">
              {t('search.submit')}
            </button>
          </div>
          <p class="toolbar__hint" id="search-mode" aria-live="polite" data-testid="search-mode" data-mode={detected.mode}>
            {detected.mode === 'empty' ? t('search.hint') : t(MODE_KEYS[detected.mode]!)}
          </p>
        </div>
        <div class="toolbar__group search-form__area">
          <AreaPicker idPrefix="search-area" value={area} scope={user.area_code} label={t('search.area')} onChange={setArea} />
        </div>
        <label class="checkbox">
          <input type="checkbox" checked={inactive} onChange={(e) => setInactive(e.currentTarget.checked)} />
          {t('search.include_inactive')}
        </label>
      </form>

      {indexDown && (
        <div class="notice notice--warning" role="alert" data-testid="search-unavailable">
          <p>{t('search.index_unavailable')}</p>
        </div>
      )}
      {error !== null && !indexDown && <ErrorNotice error={error} onRetry={() => go({ ...state })} />}
      {!query && !error && <p class="empty">{t('search.start')}</p>}
      {loading && <Loading />}

      {result && !loading && (
        <section class="card results" aria-labelledby="results-title" data-testid="search-results">
          <div class="results__head">
            <h2 class="results__title" id="results-title" aria-live="polite" data-testid="result-count">
              {total === 0
                ? t('search.none')
                : t(exact ? 'search.count' : 'search.count_more', { from: num(first + 1), to: num(first + result.items.length), total: num(total) })}
            </h2>
            {canExport(user.roles) && query && total > 0 && (
              <div class="results__export">
                <a class="btn btn--secondary btn--small" href={registry.exportUrl('csv', query)} download data-testid="export-csv">
                  {t('search.export_csv')}
                </a>
                <a class="btn btn--secondary btn--small" href={registry.exportUrl('xlsx', query)} download data-testid="export-xlsx">
                  {t('search.export_xlsx')}
                </a>
              </div>
            )}
          </div>
          {result.items.length > 0 && <PersonTable persons={result.items} sort={state.sort} onSort={(sort) => go({ ...state, sort, page: 1 })} />}
          <ListPager state={state} total={total} go={go} />
        </section>
      )}
    </div>
  );
}

function PersonTable({ persons, sort, onSort }: { persons: Person[]; sort: string; onSort: (sort: string) => void }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  const rows = persons;
  // A column header sorts the whole result (on the server); a second click reverses it.
  const th = (column: (typeof PERSON_SORTS)[number], label: string) => <SortHeader column={column} label={label} sort={sort} onSort={onSort} />;
  const hasScore = persons.some((p) => typeof p.score === 'number');
  const hasCommune = persons.some((p) => p.commune_code);
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            {th('record_id', t('field.record_id'))}
            {th('name_ar', t('person.name_ar'))}
            {th('name_lat', t('person.name_lat'))}
            <th scope="col">{t('field.sex')}</th>
            {th('birth_date', t('field.birth_date'))}
            {th('national_id', t('field.national_id'))}
            {hasCommune && <th scope="col">{t('field.commune_code')}</th>}
            <th scope="col">{t('person.household')}</th>
            {hasScore && (
              <th scope="col" class="num">
                {t('search.score')}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.id} data-testid="person-row" data-id={p.id} class={p.status !== 'active' ? 'row--inactive' : undefined}>
              <td>
                <bdi class="code" dir="ltr">
                  {p.record_id}
                </bdi>
              </td>
              <td>
                <bdi lang="ar" dir="rtl" data-testid="person-name-ar">
                  {nameIn(p, 'ar') || t('common.none')}
                </bdi>
              </td>
              <td>
                <bdi lang="fr" dir="ltr" data-testid="person-name-lat">
                  {nameIn(p, 'lat') || t('common.none')}
                </bdi>
              </td>
              <td>{t(vocabKey('sex', p.sex))}</td>
              <td>{formatValue(i18n, PERSON_FIELD_BY_NAME.get('birth_date'), p.birth_date)}</td>
              <td>
                <bdi class="code" dir="ltr">
                  {p.national_id ?? t('common.none')}
                </bdi>
              </td>
              {hasCommune && (
                <td>
                  <AreaLabel code={p.commune_code} />
                </td>
              )}
              <td>
                <a href={href(`/households/${p.household_id}`)} data-testid="household-link">
                  {t('person.open_household', { id: num(p.household_id, { useGrouping: false }) })}
                </a>
                {p.relationship && <span class="muted"> · {t(vocabKey('relationship', p.relationship))}</span>}
                {p.status !== 'active' && <span class="badge badge--muted"> {t(vocabKey('status', p.status))}</span>}
              </td>
              {hasScore && <td class="num">{num(p.score ?? 0, { maximumFractionDigits: 2 })}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
