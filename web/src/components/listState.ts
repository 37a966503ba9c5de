import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import { PAGE_SIZES } from './Pager';

/** Where a list stands, as its URL says (…&page=2&size=50&sort=-created_at): bookmarkable, and the back
 *  button returns to it. `sort` is a key of the server's allow-list, "-" first for descending; '' is the
 *  list's own order. */
export interface ListState {
  page: number;
  size: number;
  sort: string;
}

/** page, size and sort from the URL; a size the pager does not offer or a sort the list does not take is
 *  left at the list's default. */
export function readListState(params: URLSearchParams, sorts: readonly string[], defaultSize: number): ListState {
  const wanted = Number(params.get('size'));
  const size = (PAGE_SIZES as readonly number[]).includes(wanted) ? wanted : defaultSize;
  const raw = params.get('sort') ?? '';
  const sort = sorts.includes(raw.replace(/^-/, '')) ? raw : '';
  return { page: Math.max(1, Number(params.get('page')) || 1), size, sort };
}

/** The URL parameters of `s`, leaving out what is the default. */
export function listParams(s: ListState, defaultSize: number): Record<string, string | undefined> {
  return {
    page: s.page > 1 ? String(s.page) : undefined,
    size: s.size !== defaultSize ? String(s.size) : undefined,
    sort: s.sort || undefined,
  };
}

/** The `limit`/`offset`/`sort` of the request for `s`. */
export function listQuery(s: ListState): { limit: number; offset: number; sort?: string } {
  return { limit: s.size, offset: (s.page - 1) * s.size, ...(s.sort ? { sort: s.sort } : {}) };
}

/** Something read from the server (a list page, a record), again whenever `key` changes or reload() is
 *  called, and again in the new language when the page's language changes (the server writes reasons,
 *  labels and messages in the language it is asked in); the request for what is no longer shown is
 *  aborted, and its answer, come anyway, is dropped. `data` is null while loading when `clear` (the
 *  default); otherwise the last answer stays on screen until the new one comes. After a change of
 *  language only, the answer in the language before always stays until the new one comes (and an error
 *  shown stays until an answer comes). `perLanguage` false: not read again for a new language, for data
 *  the page edits in place (a form's state), whose edits a reload would throw away.
 *  shownCheck(), called as an act (a POST) starts, gives a check that the key is still the one it started
 *  under and the page still mounted: an act is not aborted, so its answer or error is put on screen, and
 *  what it does next (a navigation) is done, only when the check passes. A change of language does not
 *  fail the check (the act's answer, a save or a report that cannot be asked again, is not lost): that
 *  answer is in the language the act was made in. */
export function useLoaded<T>(load: (signal: AbortSignal) => Promise<T>, key: string, clear = true, perLanguage = true) {
  const { lang } = useI18n();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  // Set while rendering, not in an effect: an answer coming between the render of another key and its
  // effects would still pass for the key before.
  const shown = useRef<string | null>(key);
  shown.current = key;
  // A page left for another one keyed apart (app.tsx) is unmounted, not rendered with another key: its
  // acts answering after that would still pass for the key they started under.
  useEffect(
    () => () => {
      shown.current = null;
    },
    [],
  );
  // What the last load was for: a load for the same key and attempt is one for a new language.
  const loaded = useRef<{ key: string; attempt: number } | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    const languageOnly = loaded.current?.key === key && loaded.current.attempt === attempt;
    loaded.current = { key, attempt };
    if (!languageOnly) {
      if (clear) setData(null);
      setError(null);
    }
    load(ctrl.signal).then(
      (d) => {
        if (ctrl.signal.aborted) return;
        setError(null);
        setData(d);
      },
      (e) => !ctrl.signal.aborted && setError(e),
    );
    return () => ctrl.abort();
  }, [key, attempt, perLanguage ? lang : '']);
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  const shownCheck = useCallback(() => {
    const started = shown.current;
    return () => shown.current === started;
  }, []);
  return { data, setData, error, reload, shownCheck };
}

/** A record looked up by a code the user typed (a tracking code), through useLoaded: 'missing' when the
 *  server does not know the code (404), null while no code is given. */
export function useLookup<T>(find: (code: string, signal: AbortSignal) => Promise<T>, code: string) {
  return useLoaded<T | 'missing' | null>(
    (signal) =>
      code
        ? find(code, signal).catch((err: unknown) => {
            if (err instanceof ApiError && err.status === 404) return 'missing' as const;
            throw err;
          })
        : Promise.resolve(null),
    code,
  );
}
