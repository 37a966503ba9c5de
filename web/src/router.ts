import { useEffect, useState } from 'preact/hooks';

// Hash-based routing (#/areas?country=MA&area=MA-04): the server only has to serve index.html at /,
// and every view can be bookmarked or reloaded.

export interface Route {
  path: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = (q >= 0 ? raw.slice(0, q) : raw) || '/';
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  return { path: path.startsWith('/') ? path : `/${path}`, params };
}

export type RouteParams = Record<string, string | null | undefined>;

export function href(path: string, params?: RouteParams): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== null && v !== undefined && v !== '') search.set(k, v);
  }
  const qs = search.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

export function navigate(path: string, params?: RouteParams, replace = false): void {
  const target = href(path, params);
  if (replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else if (window.location.hash !== target) {
    window.location.hash = target;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
