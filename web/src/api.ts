// Thin client for the Sanad JSON API (/api/v1). The session lives in an HttpOnly cookie set by the
// server; the CSRF token returned at login (and by /auth/me) is kept in memory only and sent on every
// state-changing request.

export type Country = 'MA' | 'DZ';
export type AreaLevel = 'region' | 'province' | 'commune';

export interface User {
  id: number | string;
  username: string;
  roles: string[];
  area_code: string | null;
}

export interface Area {
  code: string;
  country: Country;
  level: AreaLevel;
  parent_code: string | null;
  name_ar: string;
  name_fr: string;
  lat: number | null;
  lon: number | null;
  population: number | null;
  valid_from: string | null;
  valid_to: string | null;
  /** Finer type where the data has one: prefecture / province / prefecture_of_arrondissements (MA
   *  provinces), urban / rural (MA communes), wilaya (DZ). */
  kind?: string | null;
  households?: number | null;
}

export interface ListPage<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface AreaDetail {
  area: Area;
  parents: Area[];
}

export interface Session {
  user: User;
  csrf_token: string;
  expires_at?: string;
}

/** An API failure: an HTTP error with the server's {"error": {...}} body, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly requestId: string | null = null,
    /** Seconds from the Retry-After header (429, 503), when present. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const BASE = '/api/v1';
let csrfToken: string | null = null;
let acceptLanguage = 'ar';
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setApiLanguage(lang: string): void {
  acceptLanguage = lang;
}

/** Called when an authenticated request answers 401 (session expired or revoked). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | null | undefined>;

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const when = Date.parse(value); // HTTP-date form
  return Number.isNaN(when) ? null : Math.max(0, Math.round((when - Date.now()) / 1000));
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not raise the global "session expired" signal on 401 (login, me). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': acceptLanguage,
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }

  const requestId = response.headers.get('X-Request-Id');
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const err = (data as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    if (response.status === 401 && !opts.quiet401) onUnauthorized?.();
    throw new ApiError(
      response.status,
      err?.code ?? `http_${response.status}`,
      err?.message ?? response.statusText,
      err?.field ?? null,
      requestId,
      parseRetryAfter(response.headers.get('Retry-After')),
    );
  }
  if (data === null) {
    throw new ApiError(response.status, 'bad_response', 'The server sent a response that is not JSON.', null, requestId);
  }
  return data as T;
}

export const api = {
  login(username: string, password: string): Promise<Session> {
    return request<Session>('POST', '/auth/login', { body: { username, password }, quiet401: true });
  },
  me(): Promise<Session> {
    return request<Session>('GET', '/auth/me', { quiet401: true });
  },
  logout(): Promise<void> {
    return request<void>('POST', '/auth/logout', { quiet401: true });
  },
  areas(
    query: {
      country: Country;
      level?: AreaLevel;
      parent?: string;
      as_of?: string;
      q?: string;
      limit?: number;
      offset?: number;
    },
    signal?: AbortSignal,
  ): Promise<ListPage<Area>> {
    return request<ListPage<Area>>('GET', '/areas', { query, ...(signal ? { signal } : {}) });
  },
  area(code: string, asOf?: string, signal?: AbortSignal): Promise<AreaDetail> {
    return request<AreaDetail>('GET', `/areas/${encodeURIComponent(code)}`, {
      query: { as_of: asOf },
      ...(signal ? { signal } : {}),
    });
  },
};
